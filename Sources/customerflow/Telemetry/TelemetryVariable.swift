/// The `OTEL_*` environment variables the service reads itself, with what they do; the
/// configuration reference lists them from here. swift-otel reads the rest of the specification's
/// variables (sampler, resource attributes, headers, certificates, compression) on its own.
enum TelemetryVariable: String, CaseIterable, Sendable {
    case sdkDisabled = "OTEL_SDK_DISABLED"
    case serviceName = "OTEL_SERVICE_NAME"
    case endpoint = "OTEL_EXPORTER_OTLP_ENDPOINT"
    case tracesEndpoint = "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"
    case metricsEndpoint = "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT"
    case exporterProtocol = "OTEL_EXPORTER_OTLP_PROTOCOL"
    case exporterTimeout = "OTEL_EXPORTER_OTLP_TIMEOUT"
    case tracesExporter = "OTEL_TRACES_EXPORTER"
    case metricsExporter = "OTEL_METRICS_EXPORTER"
    case batchScheduleDelay = "OTEL_BSP_SCHEDULE_DELAY"
    case metricExportInterval = "OTEL_METRIC_EXPORT_INTERVAL"
    /// Read by swift-otel; listed because every deployment should choose it.
    case sampler = "OTEL_TRACES_SAMPLER"
    /// Read by swift-otel.
    case samplerArgument = "OTEL_TRACES_SAMPLER_ARG"

    /// The default as the reference shows it.
    var shownDefault: String {
        switch self {
        case .sdkDisabled: "`false`"
        case .serviceName: "`customerflow`"
        case .endpoint, .tracesEndpoint, .metricsEndpoint: "(empty)"
        case .exporterProtocol: "`http/protobuf`"
        case .exporterTimeout: "`10000`"
        case .tracesExporter: "`otlp` when an endpoint is set, else none"
        case .metricsExporter: "`otlp` when a metrics endpoint is set, else none"
        case .batchScheduleDelay: "`5000`"
        case .metricExportInterval: "`60000`"
        case .sampler: "`parentbased_always_on`"
        case .samplerArgument: "(empty)"
        }
    }

    /// Markdown.
    var help: String {
        switch self {
        case .sdkDisabled: "`true`: no OpenTelemetry export at all"
        case .serviceName: "`service.name` of every span and metric"
        case .endpoint: "Base URL of an OTLP/HTTP collector (`http://collector:4318`); setting it turns trace export on"
        case .tracesEndpoint: "Full URL for traces, instead of the base URL + `/v1/traces`"
        case .metricsEndpoint: "Full URL for metrics; setting it turns OTLP metric export on (`GET /metrics` serves them either way)"
        case .exporterProtocol: "`http/protobuf` or `http/json`; `grpc` is refused at start (this build exports over HTTP only)"
        case .exporterTimeout: "Milliseconds an export may take; a slow collector drops the batch, never a request"
        case .tracesExporter: "`otlp` or `none`"
        case .metricsExporter: "`otlp` pushes metrics too; otherwise they are only served at `GET /metrics`"
        case .batchScheduleDelay: "Milliseconds between span batches"
        case .metricExportInterval: "Milliseconds between metric pushes"
        case .sampler: "`parentbased_traceidratio` with `OTEL_TRACES_SAMPLER_ARG=0.1` keeps tracing within 10 % of the untraced throughput (bench/RESULTS.md)"
        case .samplerArgument: "The sampler's ratio, `0`…`1`"
        }
    }
}
