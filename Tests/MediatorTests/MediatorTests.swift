import Mediator
import Synchronization
import Testing

struct Ping: Query { typealias Response = String; let text: String }
struct Touch: Command { typealias Response = Int }
struct Happened: Notification { let text: String }

struct PingHandler: RequestHandler {
    func handle(_ request: Ping, context: MediatorContext) async throws -> String { "pong: \(request.text)" }
}

struct TouchHandler: RequestHandler {
    func handle(_ request: Touch, context: MediatorContext) async throws -> Int { context[Counter.self] ?? 0 }
}

enum Counter: MediatorContextKey { typealias Value = Int }

final class Journal: Sendable {
    let entries = Mutex<[String]>([])
    func append(_ entry: String) { entries.withLock { $0.append(entry) } }
    var all: [String] { entries.withLock { $0 } }
}

struct Recording: PipelineBehavior {
    let name: String
    let journal: Journal
    func handle<R: Request>(_ request: R, context: MediatorContext, next: @Sendable (R, MediatorContext) async throws -> R.Response) async throws -> R.Response {
        journal.append("\(name) before")
        var context = context
        context[Counter.self] = (context[Counter.self] ?? 0) + 1
        let response = try await next(request, context)
        journal.append("\(name) after")
        return response
    }
}

struct ShortCircuit: PipelineBehavior {
    struct Refused: Error {}
    func handle<R: Request>(_ request: R, context: MediatorContext, next: @Sendable (R, MediatorContext) async throws -> R.Response) async throws -> R.Response {
        if R.self is any Command.Type { throw Refused() }
        return try await next(request, context)
    }
}

struct Listener: NotificationHandler {
    let name: String
    let journal: Journal
    func handle(_ notification: Happened, context: MediatorContext) async throws {
        journal.append("\(name): \(notification.text)")
    }
}

@Suite("Mediator")
struct MediatorTests {
    @Test("a request reaches its handler and its answer comes back")
    func sendsToHandler() async throws {
        var builder = MediatorBuilder()
        builder.register(PingHandler())
        #expect(try await builder.build().send(Ping(text: "hi")) == "pong: hi")
    }

    @Test("behaviours wrap handlers in registration order and pass their context on")
    func behavioursRunInOrder() async throws {
        let journal = Journal()
        var builder = MediatorBuilder()
        builder.addBehavior(Recording(name: "outer", journal: journal))
        builder.addBehavior(Recording(name: "inner", journal: journal))
        builder.register(TouchHandler())
        let count = try await builder.build().send(Touch())
        #expect(count == 2)
        #expect(journal.all == ["outer before", "inner before", "inner after", "outer after"])
    }

    @Test("a behaviour can refuse a request before its handler runs")
    func behaviourShortCircuits() async throws {
        var builder = MediatorBuilder()
        builder.addBehavior(ShortCircuit())
        builder.register(TouchHandler())
        builder.register(PingHandler())
        let mediator = try builder.build()
        await #expect(throws: ShortCircuit.Refused.self) { try await mediator.send(Touch()) }
        #expect(try await mediator.send(Ping(text: "queries pass")) == "pong: queries pass")
    }

    @Test("notifications reach every handler in registration order; none is fine")
    func publishesToAllHandlers() async throws {
        let journal = Journal()
        var builder = MediatorBuilder()
        builder.register(notificationHandler: Listener(name: "first", journal: journal))
        builder.register(notificationHandler: Listener(name: "second", journal: journal))
        let mediator = try builder.build()
        try await mediator.publish(Happened(text: "x"))
        #expect(journal.all == ["first: x", "second: x"])
        try await MediatorBuilder().build().publish(Happened(text: "nobody listens"))
    }

    @Test("sending a request without a handler is an error, not a crash")
    func missingHandler() async throws {
        let mediator = try MediatorBuilder().build()
        await #expect { try await mediator.send(Ping(text: "x")) } throws: { ($0 as? MediatorError)?.code == .noHandler }
    }

    @Test("two handlers for one request type are refused when building")
    func duplicateHandler() {
        var builder = MediatorBuilder()
        builder.register(PingHandler())
        builder.register(PingHandler())
        #expect { try builder.build() } throws: { ($0 as? MediatorError)?.code == .duplicateHandler }
    }

    @Test("handlers can publish through the mediator in their context")
    func contextCarriesMediator() async throws {
        struct Announcing: RequestHandler {
            func handle(_ request: Touch, context: MediatorContext) async throws -> Int {
                try await context.mediator?.publish(Happened(text: "touched"), context: context)
                return 1
            }
        }
        let journal = Journal()
        var builder = MediatorBuilder()
        builder.register(Announcing())
        builder.register(notificationHandler: Listener(name: "l", journal: journal))
        _ = try await builder.build().send(Touch())
        #expect(journal.all == ["l: touched"])
    }
}
