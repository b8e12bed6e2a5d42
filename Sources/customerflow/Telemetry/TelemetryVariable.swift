/// The `OTEL_*` environment variables the service reads, with what they do; the configuration
/// reference lists them from here. Traces are the service's own (``OTLPTracer``); the OTLP metric
/// push is swift-otel's, which also reads the specification's `OTEL_EXPORTER_OTLP_METRICS_*`
/// variables on its own.
enum TelemetryVariable: String, CaseIterable, Sendable {
    case sdkDisabled = "OTEL_SDK_DISABLED"
    case serviceName = "OTEL_SERVICE_NAME"
    case endpoint = "OTEL_EXPORTER_OTLP_ENDPOINT"
    case tracesEndpoint = "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"
    case metricsEndpoint = "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT"
    case exporterProtocol = "OTEL_EXPORTER_OTLP_PROTOCOL"
    case exporterTimeout = "OTEL_EXPORTER_OTLP_TIMEOUT"
    case tracesTimeout = "OTEL_EXPORTER_OTLP_TRACES_TIMEOUT"
    case tracesProtocol = "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL"
    case headers = "OTEL_EXPORTER_OTLP_HEADERS"
    case tracesHeaders = "OTEL_EXPORTER_OTLP_TRACES_HEADERS"
    case certificate = "OTEL_EXPORTER_OTLP_CERTIFICATE"
    case tracesCertificate = "OTEL_EXPORTER_OTLP_TRACES_CERTIFICATE"
    case clientCertificate = "OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE"
    case tracesClientCertificate = "OTEL_EXPORTER_OTLP_TRACES_CLIENT_CERTIFICATE"
    case clientKey = "OTEL_EXPORTER_OTLP_CLIENT_KEY"
    case tracesClientKey = "OTEL_EXPORTER_OTLP_TRACES_CLIENT_KEY"
    case resourceAttributes = "OTEL_RESOURCE_ATTRIBUTES"
    case propagators = "OTEL_PROPAGATORS"
    case compression = "OTEL_EXPORTER_OTLP_COMPRESSION"
    case tracesExporter = "OTEL_TRACES_EXPORTER"
    case metricsExporter = "OTEL_METRICS_EXPORTER"
    case batchScheduleDelay = "OTEL_BSP_SCHEDULE_DELAY"
    case batchExportTimeout = "OTEL_BSP_EXPORT_TIMEOUT"
    case batchMaxQueueSize = "OTEL_BSP_MAX_QUEUE_SIZE"
    case batchMaxExportSize = "OTEL_BSP_MAX_EXPORT_BATCH_SIZE"
    case metricExportInterval = "OTEL_METRIC_EXPORT_INTERVAL"
    case sampler = "OTEL_TRACES_SAMPLER"
    case samplerArgument = "OTEL_TRACES_SAMPLER_ARG"

    /// The default as the reference shows it.
    var shownDefault: String {
        switch self {
        case .sdkDisabled: "`false`"
        case .serviceName: "`customerflow`"
        case .endpoint, .tracesEndpoint, .metricsEndpoint: "(empty)"
        case .exporterProtocol: "`http/protobuf`"
        case .exporterTimeout, .tracesTimeout: "`10000`"
        case .tracesProtocol: "`http/protobuf`"
        case .headers, .tracesHeaders, .certificate, .tracesCertificate, .clientCertificate, .tracesClientCertificate,
             .clientKey, .tracesClientKey, .resourceAttributes: "(empty)"
        case .propagators: "`tracecontext,baggage`"
        case .compression: "`none`"
        case .batchExportTimeout: "`30000`"
        case .batchMaxQueueSize: "`2048`"
        case .batchMaxExportSize: "`512`"
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
        case .exporterProtocol: "`http/protobuf`; `http/json` for metrics only; `grpc` is refused at start (this build exports over HTTP only)"
        case .exporterTimeout: "Milliseconds an export attempt may take; a slow collector drops the batch, never a request"
        case .tracesTimeout: "The same, for traces only"
        case .tracesProtocol: "`http/protobuf`, the only protocol traces are exported with"
        case .headers: "Headers sent with every export, `name=value` pairs separated by commas, values percent-encoded (`authorization=Bearer%20…`)"
        case .tracesHeaders: "The same, for traces only"
        case .certificate: "PEM file of the certificate authority an `https` collector's certificate is checked against (default: the system's)"
        case .tracesCertificate: "The same, for traces only"
        case .clientCertificate: "PEM client certificate for mutual TLS, with `OTEL_EXPORTER_OTLP_CLIENT_KEY`"
        case .tracesClientCertificate: "The same, for traces only"
        case .clientKey: "PEM private key of the client certificate"
        case .tracesClientKey: "The same, for traces only"
        case .resourceAttributes: "More resource attributes, `key=value` pairs separated by commas (`deployment.environment.name=prod`); `OTEL_SERVICE_NAME` wins over a `service.name` here"
        case .propagators: "`tracecontext` (W3C `traceparent`/`tracestate`, read and written) or `none`; `baggage` is accepted and not carried; others are refused at start"
        case .compression: "`none`; `gzip` is accepted with a warning at start and payloads still go uncompressed"
        case .batchExportTimeout: "Milliseconds one batch's export may take, retries included; the export at shutdown takes 5 s at most"
        case .batchMaxQueueSize: "Spans waiting for export at most; beyond it spans are dropped (and counted in a log line), never waited for"
        case .batchMaxExportSize: "Spans per export request at most; a full batch is sent at once"
        case .tracesExporter: "`otlp` or `none`; anything else is refused at start"
        case .metricsExporter: "`otlp` pushes metrics too; otherwise they are only served at `GET /metrics`"
        case .batchScheduleDelay: "Milliseconds between exports of a partial batch"
        case .metricExportInterval: "Milliseconds between metric pushes"
        case .sampler: "`parentbased_traceidratio` with `OTEL_TRACES_SAMPLER_ARG=0.1` traces one request in ten, as deploy/ ships it; bench/RESULTS.md has what each setting costs"
        case .samplerArgument: "The sampler's ratio, `0`…`1`"
        }
    }
}
