import CoreMetrics
import Foundation
import Logging
import OTel
import ServiceLifecycle
import Tracing

/// OpenTelemetry export, configured the standard way: by the `OTEL_*` environment variables
/// (``TelemetryVariable`` lists those read).
///
/// Off unless configured. Traces are exported (OTLP/HTTP with protobuf) by the service's own
/// ``OTLPTracer`` when `OTEL_EXPORTER_OTLP_ENDPOINT`, `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` or
/// `OTEL_TRACES_EXPORTER=otlp` is set; metrics are pushed over OTLP by swift-otel as well when
/// `OTEL_METRICS_EXPORTER=otlp` or `OTEL_EXPORTER_OTLP_METRICS_ENDPOINT` is set (`GET /metrics`
/// serves them either way). `OTEL_SDK_DISABLED=true` turns everything off.
///
/// - Important: Exporting never fails a request: spans are queued and sent in batches by
///   ``services``; when the collector is down the batch is dropped and a log line says so, at
///   most once a minute.
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
        if let tracesExporter, tracesExporter != "otlp", tracesExporter != "none" {
            throw ConfigurationError("OTEL_TRACES_EXPORTER=\(tracesExporter): expected otlp or none")
        }
        let tracesOn = tracesExporter.map { $0 == "otlp" }
            ?? (value(.endpoint) != nil || value(.tracesEndpoint) != nil)
        let metricsExporter = value(.metricsExporter)?.lowercased()
        let metricsOn = metricsExporter.map { $0 == "otlp" } ?? (value(.metricsEndpoint) != nil)
        guard tracesOn || metricsOn else { return nil }
        /// Milliseconds (≥ 1: a zero delay would spin) from `variable`, else `fallback`.
        func milliseconds(_ variable: TelemetryVariable, default fallback: Int) throws -> Int {
            guard let text = value(variable) else { return fallback }
            guard let number = Int(text), number >= 1 else {
                throw ConfigurationError("\(variable.rawValue)=\(text): expected a positive whole number of milliseconds")
            }
            return number
        }
        /// A span count (≥ 1) from `variable`, else `fallback`.
        func spanCount(_ variable: TelemetryVariable, default fallback: Int) throws -> Int {
            guard let text = value(variable) else { return fallback }
            guard let number = Int(text), number >= 1 else {
                throw ConfigurationError("\(variable.rawValue)=\(text): expected a number of spans, at least 1")
            }
            return number
        }

        var services: [any Service] = []
        var tracer: any Tracer = NoOpTracer()
        if tracesOn {
            let protocolVariable: TelemetryVariable = value(.tracesProtocol) != nil ? .tracesProtocol : .exporterProtocol
            if let chosen = value(protocolVariable), chosen.lowercased() != "http/protobuf" {
                throw ConfigurationError("\(protocolVariable.rawValue)=\(chosen): traces are exported over OTLP/HTTP with protobuf (http/protobuf) only")
            }
            let endpoint = value(.tracesEndpoint) ?? Self.signalURL(value(.endpoint) ?? "http://localhost:4318", "traces")
            guard let url = URL(string: endpoint), ["http", "https"].contains(url.scheme?.lowercased() ?? ""), url.host != nil else {
                // Not echoed: the URL may carry credentials.
                throw ConfigurationError("\(value(.tracesEndpoint) != nil ? "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT" : "OTEL_EXPORTER_OTLP_ENDPOINT"): expected an http:// or https:// URL")
            }
            let sampler = try TraceSampler(name: value(.sampler), argument: value(.samplerArgument))
            let propagators = Set((value(.propagators) ?? "tracecontext,baggage").lowercased().split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
            if let unknown = propagators.subtracting(["tracecontext", "baggage", "none"]).sorted().first {
                throw ConfigurationError("OTEL_PROPAGATORS=\(value(.propagators) ?? ""): \(unknown) is not supported; use tracecontext (W3C) or none")
            }
            if let compression = value(.compression)?.lowercased(), compression != "none" {
                guard compression == "gzip" else {
                    throw ConfigurationError("OTEL_EXPORTER_OTLP_COMPRESSION=\(compression): expected none or gzip")
                }
                logger.warning("OTEL_EXPORTER_OTLP_COMPRESSION=gzip is not applied: spans are exported uncompressed")
            }
            let buffer = SpanBuffer(
                maxQueueSize: try spanCount(.batchMaxQueueSize, default: 2048), maxBatchSize: try spanCount(.batchMaxExportSize, default: 512))
            var export = SpanExportService.Configuration(endpoint: endpoint)
            export.headers = try Self.headers(value(.tracesHeaders) ?? value(.headers))
            export.timeout = .milliseconds(try milliseconds(.tracesTimeout, default: try milliseconds(.exporterTimeout, default: 10_000)))
            export.scheduleDelay = .milliseconds(try milliseconds(.batchScheduleDelay, default: 5_000))
            export.batchTimeout = .milliseconds(try milliseconds(.batchExportTimeout, default: 30_000))
            export.certificatePath = value(.tracesCertificate) ?? value(.certificate)
            export.clientCertificatePath = value(.tracesClientCertificate) ?? value(.clientCertificate)
            export.clientKeyPath = value(.tracesClientKey) ?? value(.clientKey)
            let encoder = OTLPTraceEncoder(
                resource: try Self.resource(serviceName: value(.serviceName), attributes: value(.resourceAttributes)),
                scopeName: "customerflow", scopeVersion: "")
            var diagnostics = logger
            diagnostics[metadataKey: "component"] = "span-export"
            services.append(try SpanExportService(buffer: buffer, encoder: encoder, configuration: export, logger: diagnostics))
            tracer = OTLPTracer(sampler: sampler, buffer: buffer, propagates: propagators.contains("tracecontext"))
        }
        var metrics: (any MetricsFactory)?
        if metricsOn {
            if let chosen = value(.exporterProtocol), chosen.hasPrefix("grpc") {
                throw ConfigurationError("OTEL_EXPORTER_OTLP_PROTOCOL=grpc: this build exports OTLP over HTTP only (http/protobuf or http/json)")
            }
            var configuration = OTel.Configuration.default
            configuration.serviceName = value(.serviceName) ?? "customerflow"
            var diagnostics = logger
            diagnostics[metadataKey: "component"] = "swift-otel"
            configuration.diagnosticLogger = .custom(diagnostics)
            configuration.logs.enabled = false
            configuration.traces.enabled = false
            configuration.metrics.enabled = true
            // swift-otel reads the process environment itself; `environment` is applied here too so
            // that the service (and its tests) can be configured with another one.
            if let endpoint = value(.metricsEndpoint) ?? value(.endpoint).map({ Self.signalURL($0, "metrics") }) {
                configuration.metrics.otlpExporter.endpoint = endpoint
            }
            if let timeout = value(.exporterTimeout).flatMap(Int.init) {
                configuration.metrics.otlpExporter.timeout = .milliseconds(timeout)
            }
            if let interval = value(.metricExportInterval).flatMap(Int.init) {
                configuration.metrics.exportInterval = .milliseconds(interval)
            }
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

    /// `OTEL_EXPORTER_OTLP_HEADERS`: `name=value` pairs separated by commas, values percent-encoded.
    static func headers(_ text: String?) throws -> [(String, String)] {
        guard let text else { return [] }
        return try text.split(separator: ",").compactMap { pair in
            let pair = pair.trimmingCharacters(in: .whitespaces)
            if pair.isEmpty { return nil }
            guard let equals = pair.firstIndex(of: "="), equals != pair.startIndex,
                  let value = String(pair[pair.index(after: equals)...]).trimmingCharacters(in: .whitespaces).removingPercentEncoding
            else {
                // The value may be a secret (an API key): the message names the variable only.
                throw ConfigurationError("OTEL_EXPORTER_OTLP_HEADERS: expected name=value pairs separated by commas")
            }
            return (String(pair[..<equals]).trimmingCharacters(in: .whitespaces), value)
        }
    }

    /// The resource every span carries: `OTEL_RESOURCE_ATTRIBUTES` (`key=value,…`, values
    /// percent-encoded), then `service.name` from `OTEL_SERVICE_NAME` (which wins) or
    /// `customerflow`, and the SDK's name and language.
    static func resource(serviceName: String?, attributes: String?) throws -> [(String, SpanAttribute)] {
        var pairs: [(String, String)] = []
        for pair in (attributes ?? "").split(separator: ",") {
            let pair = pair.trimmingCharacters(in: .whitespaces)
            if pair.isEmpty { continue }
            guard let equals = pair.firstIndex(of: "="), equals != pair.startIndex,
                  let value = String(pair[pair.index(after: equals)...]).trimmingCharacters(in: .whitespaces).removingPercentEncoding
            else { throw ConfigurationError("OTEL_RESOURCE_ATTRIBUTES=\(attributes ?? ""): expected key=value pairs separated by commas") }
            pairs.append((String(pair[..<equals]).trimmingCharacters(in: .whitespaces), value))
        }
        let name = serviceName ?? pairs.last(where: { $0.0 == "service.name" })?.1 ?? "customerflow"
        pairs.removeAll { ["service.name", "telemetry.sdk.name", "telemetry.sdk.language"].contains($0.0) }
        return [("service.name", .string(name)), ("telemetry.sdk.name", .string("customerflow")), ("telemetry.sdk.language", .string("swift"))]
            + pairs.map { ($0.0, .string($0.1)) }
    }

    /// The OTLP/HTTP URL of one signal under a base endpoint: `http://collector:4318/v1/traces`.
    static func signalURL(_ base: String, _ signal: String) -> String {
        (base.hasSuffix("/") ? base : base + "/") + "v1/" + signal
    }
}
