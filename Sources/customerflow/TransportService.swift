import EventBus
import ServiceLifecycle

/// Closes the transport's connections when the process stops, after the relay and consumers that
/// use it (listed later, so stopped earlier) are done.
struct TransportService: Service {
    let transport: any Transport

    func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                try? await Task.sleep(for: .seconds(3600))
            }
        }
        await transport.shutdown()
    }
}
