import Hummingbird
import Logging

/// A throwaway HTTP server on 127.0.0.1 and a port of its own, for tests that need something to
/// call them (a collector, a webhook endpoint). It serves `router` for the duration of `body`,
/// which gets its base URL (`http://127.0.0.1:PORT`).
enum LocalHTTPServer {
    static func run<R: Sendable>(_ router: Router<BasicRequestContext>, name: String, _ body: @Sendable (String) async throws -> R) async throws -> R {
        let (ports, portContinuation) = AsyncStream.makeStream(of: Int.self)
        var logger = Logger(label: name)
        logger.logLevel = .critical
        let app = Application(
            router: router,
            configuration: .init(address: .hostname("127.0.0.1", port: 0), serverName: name),
            onServerRunning: { channel in portContinuation.yield(channel.localAddress?.port ?? 0) },
            logger: logger
        )
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await app.runService(gracefulShutdownSignals: []) }
            var iterator = ports.makeAsyncIterator()
            guard let port = await iterator.next(), port > 0 else { throw CancellationError() }
            defer { group.cancelAll() }
            return try await body("http://127.0.0.1:\(port)")
        }
    }
}
