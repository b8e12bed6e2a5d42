import CustomerApplication
import Synchronization

/// Bounds how long a caller waits for a pooled connection: if none is handed over within
/// `timeout`, the wait is cancelled and the caller gets ``ApplicationError/Code/unavailable``
/// (503) instead of hanging. Once a connection is handed over, the work on it is not bounded
/// here (statements have their own limits).
enum LeaseDeadline {
    /// A flag the operation sets as soon as it holds a connection.
    final class Leased: Sendable {
        private let value = Atomic<Bool>(false)
        func set() { value.store(true, ordering: .releasing) }
        var isSet: Bool { value.load(ordering: .acquiring) }
    }

    private enum Outcome<R: Sendable>: Sendable {
        case finished(R)
        case deadline
    }

    static func run<R: Sendable>(
        timeout: Duration, _ operation: @escaping @Sendable (Leased) async throws -> R
    ) async throws -> R {
        let leased = Leased()
        return try await withThrowingTaskGroup(of: Outcome<R>.self) { group in
            group.addTask { .finished(try await operation(leased)) }
            group.addTask {
                try await Task.sleep(for: timeout)
                return .deadline
            }
            while let outcome = try await group.next() {
                switch outcome {
                case .finished(let result):
                    group.cancelAll()
                    return result
                case .deadline:
                    guard !leased.isSet else { continue }
                    group.cancelAll()
                    throw ApplicationError(.unavailable, "No database connection became free in time; try again later.")
                }
            }
            throw CancellationError()
        }
    }
}
