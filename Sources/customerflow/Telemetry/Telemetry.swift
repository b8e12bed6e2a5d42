import CoreMetrics
import Foundation
import Logging
import OTel
import ServiceLifecycle
import Tracing

/// OpenTelemetry export, configured the standard way: by the `OTEL_*` environment variables.
///
/// Off unless configured. Traces are exported (OTLP/HTTP with protobuf) when
/// `OTEL_EXPORTER_OTLP_ENDPOINT`, `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` or `OTEL_TRACES_EXPORTER`
/// (other than `none`) is set; metrics are pushed over OTLP as well when `OTEL_METRICS_EXPORTER=otlp`
/// or `OTEL_EXPORTER_OTLP_METRICS_ENDPOINT` is set (`GET /metrics` serves them either way).
/// `OTEL_SDK_DISABLED=true` turns everything off. Every other variable of the specification
/// (`OTEL_SERVICE_NAME`, `OTEL_TRACES_SAMPLER`, `OTEL_TRACES_SAMPLER_ARG`, `OTEL_BSP_*`,
/// `OTEL_EXPORTER_OTLP_HEADERS`, `…_TIMEOUT`, `…_COMPRESSION`, certificates) is read by swift-otel.
///
/// - Important: Exporting never fails a request: spans are queued and sent in batches by
///   ``service``; when the collector is down the batch is dropped and swift-otel's diagnostic
///   logger (routed through the service's own log lines) says so.
struct Telemetry: Sendable {
    /// The tracer: bootstrapped for the process by `serve`, or scoped to a task with `withTracer`.
    let tracer: any Tracer
    /// Pushes metrics over OTLP, beside the Prometheus registry; `nil` when not configured.
    let metrics: (any MetricsFactory)?
    /// Batches and exports; run it beside the application, stopped after it.
    let services: [any Service]

    /// Reads `environment`; `nil` when no export is configured.
    static func make(environment: [String: String], logger: Logger) throws -> Telemetry? {
        func value(_ variable: TelemetryVariable) -> String? {
            environment[variable.rawValue].map { $0.trimmingCharacters(in: .whitespaces) }.flatMap { $0.isEmpty ? nil : $0 }
        }
        if value(.sdkDisabled)?.lowercased() == "true" { return nil }
        let tracesExporter = value(.tracesExporter)?.lowercased()
        let tracesOn = tracesExporter.map { $0 != "none" }
            ?? (value(.endpoint) != nil || value(.tracesEndpoint) != nil)
        let metricsExporter = value(.metricsExporter)?.lowercased()
        let metricsOn = metricsExporter.map { $0 == "otlp" } ?? (value(.metricsEndpoint) != nil)
        guard tracesOn || metricsOn else { return nil }
        if let chosen = value(.exporterProtocol), chosen.hasPrefix("grpc") {
            throw ConfigurationError("OTEL_EXPORTER_OTLP_PROTOCOL=grpc: this build exports OTLP over HTTP only (http/protobuf or http/json)")
        }

        var configuration = OTel.Configuration.default
        configuration.serviceName = value(.serviceName) ?? "customerflow"
        var diagnostics = logger
        diagnostics[metadataKey: "component"] = "swift-otel"
        configuration.diagnosticLogger = .custom(diagnostics)
        configuration.logs.enabled = false
        configuration.traces.enabled = tracesOn
        configuration.metrics.enabled = metricsOn
        // swift-otel reads the process environment itself; `environment` is applied here too so
        // that the service (and its tests) can be configured with another one.
        if let endpoint = value(.tracesEndpoint) ?? value(.endpoint).map({ Self.signalURL($0, "traces") }) {
            configuration.traces.otlpExporter.endpoint = endpoint
        }
        if let endpoint = value(.metricsEndpoint) ?? value(.endpoint).map({ Self.signalURL($0, "metrics") }) {
            configuration.metrics.otlpExporter.endpoint = endpoint
        }
        if let delay = value(.batchScheduleDelay).flatMap(Int.init) {
            configuration.traces.batchSpanProcessor.scheduleDelay = .milliseconds(delay)
        }
        if let timeout = value(.exporterTimeout).flatMap(Int.init) {
            configuration.traces.otlpExporter.timeout = .milliseconds(timeout)
            configuration.metrics.otlpExporter.timeout = .milliseconds(timeout)
        }
        if let interval = value(.metricExportInterval).flatMap(Int.init) {
            configuration.metrics.exportInterval = .milliseconds(interval)
        }

        var services: [any Service] = []
        var tracer: any Tracer = NoOpTracer()
        if tracesOn {
            let backend = try OTel.makeTracingBackend(configuration: configuration)
            tracer = backend.factory
            services.append(backend.service)
        }
        var metrics: (any MetricsFactory)?
        if metricsOn {
            let backend = try OTel.makeMetricsBackend(configuration: configuration)
            metrics = backend.factory
            services.append(backend.service)
        }
        return Telemetry(tracer: tracer, metrics: metrics, services: services)
    }

    /// Reads the process environment and makes the tracer the process's: what `serve` and
    /// `relay` do at start-up. `nil` when no export is configured.
    static func bootstrap(logger: Logger) throws -> Telemetry? {
        guard let telemetry = try make(environment: ProcessInfo.processInfo.environment, logger: logger) else { return nil }
        InstrumentationSystem.bootstrap(telemetry.tracer)
        logger.info("OpenTelemetry export on", metadata: ["traces": "\(!(telemetry.tracer is NoOpTracer))", "metrics": "\(telemetry.metrics != nil)"])
        return telemetry
    }

    /// The OTLP/HTTP URL of one signal under a base endpoint: `http://collector:4318/v1/traces`.
    static func signalURL(_ base: String, _ signal: String) -> String {
        (base.hasSuffix("/") ? base : base + "/") + "v1/" + signal
    }
}
