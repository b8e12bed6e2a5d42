import ServiceLifecycle
import Synchronization

/// Starts a service only once the schema is current: the relay, the consumers and retention
/// query tables that `serve` creates in `beforeServerStarts`, and on a fresh database they would
/// otherwise fail (and log) their first rounds.
///
/// - Important: A shutdown that comes before the schema is ready ends the wait; the service then
///   never starts.
struct AfterMigrations: Service {
    /// Opened once migrations are applied.
    final class Gate: Sendable {
        private let opened = Atomic<Bool>(false)
        func open() { opened.store(true, ordering: .releasing) }
        var isOpen: Bool { opened.load(ordering: .acquiring) }
    }

    let gate: Gate
    let service: any Service

    func run() async throws {
        do {
            try await cancelWhenGracefulShutdown {
                while !gate.isOpen { try await Task.sleep(for: .milliseconds(10)) }
            }
        } catch is CancellationError {
            return
        }
        guard gate.isOpen else { return }
        try await service.run()
    }
}
