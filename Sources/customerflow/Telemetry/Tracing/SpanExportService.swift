import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOSSL
import ServiceLifecycle

/// Sends the spans queued in a ``SpanBuffer`` to an OTLP/HTTP collector (`POST /v1/traces`,
/// protobuf): a batch as soon as one is full, whatever is queued every `scheduleDelay`, and all
/// that is left when the service shuts down gracefully.
///
/// - Important: A failed export is retried twice (after 250 ms and 1 s) when the collector
///   says it is busy or cannot be reached (429, 502, 503, 504, a failed connection, a timeout), within
///   `OTEL_BSP_EXPORT_TIMEOUT`, then dropped; failures and spans dropped on a full queue are logged,
///   at most once a minute, never thrown. A shutdown stops retries and leaves the queue to the last
///   export, which makes one attempt per batch within 5 s in all.
struct SpanExportService: Service {
    struct Configuration: Sendable {
        var endpoint: String
        var headers: [(String, String)] = []
        /// One attempt's limit (`OTEL_EXPORTER_OTLP_TIMEOUT`).
        var timeout: Duration = .seconds(10)
        /// One batch's limit, attempts and pauses included (`OTEL_BSP_EXPORT_TIMEOUT`).
        var batchTimeout: Duration = .seconds(30)
        /// What the last export at shutdown may take in all: a pod is stopped on a deadline.
        var finalFlushTimeout: Duration = .seconds(5)
        var scheduleDelay: Duration = .seconds(5)
        /// A PEM file of the collector's certificate authority (`https` endpoints).
        var certificatePath: String?
        /// Client certificate and key, PEM, for mutual TLS.
        var clientCertificatePath: String?
        var clientKeyPath: String?

        /// The endpoint without credentials or query (an `?api-key=`), for log lines.
        var endpointForLogs: String {
            guard var parts = URLComponents(string: endpoint) else { return "(unreadable URL)" }
            parts.user = nil
            parts.password = nil
            parts.query = nil
            return parts.string ?? "(unreadable URL)"
        }
    }

    let buffer: SpanBuffer
    let encoder: OTLPTraceEncoder
    let configuration: Configuration
    let logger: Logger
    private let http: HTTPClient.Configuration
    private let report: ExportReport

    /// Checks the TLS files now, so that a wrong path stops the start rather than every export.
    init(buffer: SpanBuffer, encoder: OTLPTraceEncoder, configuration: Configuration, logger: Logger) throws {
        self.buffer = buffer
        self.encoder = encoder
        self.configuration = configuration
        self.logger = logger
        var http = HTTPClient.Configuration()
        http.timeout = .init(connect: .seconds(5), read: .init(configuration.timeout))
        http.redirectConfiguration = .disallow
        // The exporter's own requests are not traced: each would add a span to the next export.
        http.tracing.tracer = nil
        if URL(string: configuration.endpoint)?.scheme?.lowercased() == "https" {
            var tls = TLSConfiguration.makeClientConfiguration()
            if let path = configuration.certificatePath {
                guard FileManager.default.isReadableFile(atPath: path) else {
                    throw ConfigurationError("OTEL_EXPORTER_OTLP_CERTIFICATE=\(path): no readable file there")
                }
                tls.trustRoots = .file(path)
            }
            switch (configuration.clientCertificatePath, configuration.clientKeyPath) {
            case (nil, nil): break
            case (let certificate?, let key?):
                do {
                    tls.certificateChain = try NIOSSLCertificate.fromPEMFile(certificate).map { .certificate($0) }
                    tls.privateKey = .privateKey(try NIOSSLPrivateKey(file: key, format: .pem))
                } catch {
                    throw ConfigurationError("OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE/OTEL_EXPORTER_OTLP_CLIENT_KEY: cannot read \(certificate) and \(key) as PEM")
                }
            default:
                throw ConfigurationError("OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE and OTEL_EXPORTER_OTLP_CLIENT_KEY go together: set both or neither")
            }
            http.tlsConfiguration = tls
        }
        self.http = http
        report = ExportReport()
    }

    func run() async throws {
        // Made here, not in `init`: a client must be shut down, and a service that never runs
        // would leave one behind.
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: http)
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                while !Task.isCancelled {
                    try? await Task.sleep(for: configuration.scheduleDelay)
                    buffer.flush()
                }
            }
            for await _ in buffer.wakeUpSignals.cancelOnGracefulShutdown() {
                await exportQueued(client, within: configuration.batchTimeout, retrying: true)
            }
            group.cancelAll()
        }
        // Shutdown: what the application ended before stopping goes out too, once, within
        // `finalFlushTimeout` (the process is on a deadline), even if this task was cancelled
        // rather than shut down gracefully (the spans of a failure are the ones worth having).
        buffer.flush()
        await Task { [self] in
            await exportQueued(client, within: configuration.finalFlushTimeout, retrying: false, total: true)
            try? await client.shutdown()
        }.value
    }

    /// Exports the full batches, and after a flush what is left.
    ///
    /// - Parameters:
    ///   - limit: how long one batch may take (attempts and pauses), or with `total` all of them.
    private func exportQueued(_ client: HTTPClient, within limit: Duration, retrying: Bool, total: Bool = false) async {
        let overall = ContinuousClock.now + limit
        while true {
            // A shutdown (or a cancellation) leaves what is queued to the final flush, which has
            // its own bound: a batch taken now could hold the process for its whole limit.
            if !total, Task.isShuttingDownGracefully || Task.isCancelled { break }
            let batch = buffer.takeBatch()
            if batch.isEmpty { break }
            let deadline = total ? overall : ContinuousClock.now + limit
            guard ContinuousClock.now < deadline else {
                if let line = report.failed(spans: batch.count + buffer.count, reason: "no time left at shutdown") {
                    logger.warning("\(line)", metadata: ["endpoint": "\(configuration.endpointForLogs)"])
                }
                break
            }
            await export(batch, client, until: deadline, retrying: retrying)
        }
        let dropped = buffer.takeDropped()
        if dropped > 0, let line = report.dropped(dropped) { logger.warning("\(line)") }
    }

    private func export(_ batch: [FinishedSpan], _ client: HTTPClient, until deadline: ContinuousClock.Instant, retrying: Bool) async {
        let payload = encoder.encode(batch)
        var request = HTTPClientRequest(url: configuration.endpoint)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/x-protobuf")
        request.headers.add(name: "User-Agent", value: "customerflow")
        for (name, value) in configuration.headers { request.headers.add(name: name, value: value) }
        request.body = .bytes(ByteBuffer(bytes: payload))
        let delays: [Duration] = retrying ? [.milliseconds(250), .seconds(1)] : []
        var failure = ""
        for attempt in 0...delays.count {
            let left = min(configuration.timeout, deadline - ContinuousClock.now)
            guard left > .zero else { break }
            do {
                let status = try await Self.send(request, client, within: left)
                if (200..<300).contains(status) {
                    if let line = report.succeeded() { logger.info("\(line)") }
                    return
                }
                failure = "the collector answered \(status)"
                guard [429, 502, 503, 504].contains(status) else { break }
            } catch {
                failure = String(describing: type(of: error))
            }
            guard attempt < delays.count, !Task.isCancelled, !Task.isShuttingDownGracefully,
                  ContinuousClock.now + delays[attempt] < deadline
            else { break }
            try? await Task.sleep(for: delays[attempt])
        }
        if let line = report.failed(spans: batch.count, reason: failure) {
            logger.warning("\(line)", metadata: ["endpoint": "\(configuration.endpointForLogs)"])
        }
    }

    /// Sends `request` and reads the answer within `limit`, all of it: a client's timeout ends once
    /// the response head has come, and a collector could then hold the body back.
    private static func send(_ request: HTTPClientRequest, _ client: HTTPClient, within limit: Duration) async throws -> Int {
        try await withThrowingTaskGroup(of: Int?.self) { group in
            group.addTask {
                let response = try await client.execute(request, timeout: .init(limit))
                _ = try await response.body.collect(upTo: 1 << 20)
                return Int(response.status.code)
            }
            group.addTask {
                try await Task.sleep(for: limit)
                return nil
            }
            defer { group.cancelAll() }
            guard let first = try await group.next(), let status = first else { throw ExportTimedOut() }
            return status
        }
    }

    private struct ExportTimedOut: Error {}
}
