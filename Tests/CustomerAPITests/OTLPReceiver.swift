import Foundation
import Hummingbird
import Logging
import NIOCore
import Synchronization
import TestSupport

/// A local OTLP/HTTP collector for tests: accepts `POST /v1/traces` and `POST /v1/metrics`
/// (protobuf), keeps the spans and the metric names, answers as a collector does. Runs on 127.0.0.1 on a port of its own for the duration of `body`.
final class OTLPReceiver: Sendable {
    private let received = Mutex<[ReceivedSpan]>([])
    private let undecodable = Mutex<Int>(0)
    private let metrics = Mutex<Set<String>>([])
    private let refusals = Mutex<(count: Int, status: HTTPResponse.Status)>((0, .serviceUnavailable))
    private let traceRequests = Mutex<[(status: Int, authorization: String?)]>([])

    /// Answers the next `count` trace exports with `status` (503: a busy collector).
    func refuse(next count: Int, with status: HTTPResponse.Status = .serviceUnavailable) { refusals.withLock { $0 = (count, status) } }

    /// Every trace export, in order: the status answered and the `Authorization` header sent.
    var exports: [(status: Int, authorization: String?)] { traceRequests.withLock { $0 } }

    /// Names of the metrics received.
    var metricNames: Set<String> { metrics.withLock { $0 } }

    var spans: [ReceivedSpan] { received.withLock { $0 } }
    var undecodablePayloads: Int { undecodable.withLock { $0 } }

    /// Runs `body` with the receiver's base URL (`http://127.0.0.1:PORT`).
    static func run<R: Sendable>(_ body: @Sendable (OTLPReceiver, String) async throws -> R) async throws -> R {
        let receiver = OTLPReceiver()
        let router = Router()
        router.post("/v1/traces") { request, _ -> Response in
            let buffer = try await request.body.collect(upTo: 16 << 20)
            let authorization = request.headers[.authorization]
            let refusal = receiver.refusals.withLock { refusals -> HTTPResponse.Status? in
                defer { refusals.count = max(0, refusals.count - 1) }
                return refusals.count > 0 ? refusals.status : nil
            }
            receiver.traceRequests.withLock { $0.append((Int(refusal?.code ?? 200), authorization)) }
            if let refusal { return Response(status: refusal) }
            do {
                let spans = try OTLPSpanDecoder.spans(Data(buffer.readableBytesView))
                receiver.received.withLock { $0 += spans }
            } catch {
                receiver.undecodable.withLock { $0 += 1 }
            }
            return Response(status: .ok, headers: [.contentType: "application/x-protobuf"], body: .init())
        }
        router.post("/v1/metrics") { request, _ -> Response in
            let buffer = try await request.body.collect(upTo: 16 << 20)
            do {
                let names = try OTLPSpanDecoder.metricNames(Data(buffer.readableBytesView))
                receiver.metrics.withLock { $0.formUnion(names) }
            } catch {
                receiver.undecodable.withLock { $0 += 1 }
            }
            return Response(status: .ok, headers: [.contentType: "application/x-protobuf"], body: .init())
        }
        return try await LocalHTTPServer.run(router, name: "otlp-receiver") { url in try await body(receiver, url) }
    }

    /// Waits (up to `timeout`) until `done` holds for the spans received so far; returns them.
    func spans(within timeout: Duration = .seconds(20), until done: ([ReceivedSpan]) -> Bool) async throws -> [ReceivedSpan] {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            let current = spans
            if done(current) { return current }
            try await Task.sleep(for: .milliseconds(50))
        }
        return spans
    }
}
