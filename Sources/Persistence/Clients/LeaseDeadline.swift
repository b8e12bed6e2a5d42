import CustomerApplication
import Synchronization

/// Bounds how long a caller waits for a pooled connection: if none is handed over within
/// `timeout`, the wait is cancelled and the caller gets ``ApplicationError/Code/unavailable``
/// (503) instead of hanging. Once a connection is handed over, the work on it is not bounded
/// here (statements have their own limits).
enum LeaseDeadline {
    /// Who won the race between the connection and the deadline, decided once: the operation
    /// claims the lease when it gets a connection, the deadline expires it when it fires; only
    /// the first of the two succeeds.
    ///
    /// - Important: the operation must not touch the connection unless ``claim()`` returns true:
    ///   once the caller was told "unavailable", nothing may run on its behalf (a late connection
    ///   would otherwise run a command the caller believes was refused).
    final class Leased: Sendable {
        private static let waiting = 0, claimed = 1, expired = 2
        private let state = Atomic<Int>(Leased.waiting)

        /// Takes the lease for the operation; false when the deadline came first.
        func claim() -> Bool {
            state.compareExchange(expected: Self.waiting, desired: Self.claimed, ordering: .acquiringAndReleasing).exchanged
        }

        /// Expires the wait; false when the operation already holds a connection.
        func expire() -> Bool {
            state.compareExchange(expected: Self.waiting, desired: Self.expired, ordering: .acquiringAndReleasing).exchanged
        }
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
                    guard leased.expire() else { continue }
                    group.cancelAll()
                    throw ApplicationError(.unavailable, "No database connection became free in time; try again later.")
                }
            }
            throw CancellationError()
        }
    }
}
