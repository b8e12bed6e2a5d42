import Persistence
import ServiceLifecycle

/// Keeps the database pool alive for as long as the application runs and closes it on
/// shutdown, after the HTTP server (listed earlier, so stopped later) has drained.
struct DatabaseService: Service {
    let client: any DatabaseClient

    func run() async throws {
        try await cancelWhenGracefulShutdown {
            try await client.run()
        }
        await client.shutdown()
    }
}
