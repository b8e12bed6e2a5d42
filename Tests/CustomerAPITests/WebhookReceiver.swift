import EventBus
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import Synchronization

/// A local HTTP endpoint for webhook tests: `POST /hooks/<name>` answers as its plan says (fail
/// the first N requests with 500, always 410, or 200) and records every request with whether its
/// Standard Webhooks signature verified.
final class WebhookReceiver: Sendable {
    struct Received: Sendable {
        let hook: String
        let id: String
        let subject: String
        let version: Int
        let signed: Bool
        let answered: Int
        let body: String
    }

    enum Plan: Sendable {
        case ok
        case failFirst(Int)
        /// Always 500, quoting the customer's e-mail and the request body in the answer (as
        /// careless endpoints do).
        case failEchoing
        case gone
        /// Answers after 12 s: longer than any test's timeout. Recorded on arrival with
        /// `answered == 0`, since no client waits that long for the late 200.
        case hang
    }

    private let state = Mutex<(plans: [String: Plan], secrets: [String: String], received: [Received], seen: [String: Int])>(([:], [:], [], [:]))

    func plan(_ hook: String, _ plan: Plan) { state.withLock { $0.plans[hook] = plan } }
    func secret(_ hook: String, _ secret: String) { state.withLock { $0.secrets[hook] = secret } }
    func received(_ hook: String) -> [Received] { state.withLock { $0.received.filter { $0.hook == hook } } }
    /// The bodies of the requests `hook` answered 200.
    func bodies(_ hook: String) -> [String] { received(hook).filter { $0.answered == 200 }.map(\.body) }

    /// Runs `body` with the receiver's base URL.
    static func run<R: Sendable>(_ body: @Sendable (WebhookReceiver, String) async throws -> R) async throws -> R {
        let receiver = WebhookReceiver()
        let router = Router()
        router.post("/hooks/:name") { request, context -> Response in
            let name = context.parameters.get("name") ?? ""
            let data = Data(try await request.body.collect(upTo: 1 << 20).readableBytesView)
            let id = request.headers[HTTPField.Name("webhook-id")!] ?? ""
            let timestamp = Int(request.headers[HTTPField.Name("webhook-timestamp")!] ?? "") ?? 0
            let signature = request.headers[HTTPField.Name("webhook-signature")!] ?? ""
            let event = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
            let payload = event?["data"] as? [String: Any]
            let hangs: Bool = receiver.state.withLock { state in
                if case .hang = state.plans[name] ?? .ok { return true }
                return false
            }
            if hangs {
                receiver.state.withLock { state in
                    state.received.append(Received(
                        hook: name, id: id, subject: event?["subject"] as? String ?? "", version: payload?["version"] as? Int ?? -1, signed: false, answered: 0,
                        body: String(decoding: data, as: UTF8.self)))
                }
                try await Task.sleep(for: .seconds(12))
                return Response(status: .ok)
            }
            let echoes: Bool = receiver.state.withLock { state in
                if case .failEchoing = state.plans[name] ?? .ok { return true }
                return false
            }
            let answer: Int = receiver.state.withLock { state in
                let signed = state.secrets[name].map { WebhookSigner.verify(secret: $0, id: id, timestamp: timestamp, body: data, header: signature) } ?? false
                let count = state.seen[name, default: 0]
                state.seen[name] = count + 1
                let answer: Int = switch state.plans[name] ?? .ok {
                case .ok: 200
                case .failFirst(let failures): count < failures ? 500 : 200
                case .failEchoing: 500
                case .gone: 410
                case .hang: 0
                }
                state.received.append(Received(
                    hook: name, id: id, subject: event?["subject"] as? String ?? "", version: payload?["version"] as? Int ?? -1, signed: signed, answered: answer,
                    body: String(decoding: data, as: UTF8.self)))
                return answer
            }
            let echo = "cannot take the customer \(payload?["email"] as? String ?? payload?["name"] as? String ?? ""): " + String(decoding: data, as: UTF8.self)
            let text = echoes ? echo : answer == 500 ? "receiver failing on purpose" : ""
            return Response(status: .init(code: answer), body: .init(byteBuffer: ByteBuffer(string: text)))
        }
        return try await LocalHTTPServer.run(router, name: "webhook-receiver") { url in try await body(receiver, url) }
    }
}
