import CustomerApplication
import NIOCore
import Synchronization

/// Bounds how long a caller waits for a pooled connection: if none is handed over within
/// `timeout`, the wait is cancelled and the caller gets ``ApplicationError/Code/unavailable``
/// (503) instead of hanging. With a `probe`, a wait that lasts asks it every `probeEvery` whether
/// the server still accepts connections, and ends at once with 503 when it does not: a database
/// that is down answers in a fraction of a second, not after the whole timeout. Once a connection
/// is handed over, the work on it is not bounded here (statements have their own limits).
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

        /// The operation holds its connection: nothing is left to time.
        var isClaimed: Bool { state.load(ordering: .acquiring) == Self.claimed }
    }

    /// The deadline's alarm: fired by a timer on an event loop, or stood down when the operation
    /// finished first. A sleeping task would do the same, but a cancelled `Task.sleep` keeps its
    /// timer (and the task's memory) until the sleep would have ended: at thousands of statements
    /// per second and a 10 s timeout that was tens of MiB held for nothing. An event loop's
    /// scheduled task is removed from its timer heap the moment it is cancelled.
    final class Alarm: Sendable {
        private enum State {
            case armed
            case waiting(CheckedContinuation<Bool, Never>)
            case rang(Bool)
        }

        private let state = Mutex<State>(.armed)

        /// Ends ``wait()`` with `fired` (true: the deadline passed); only the first call counts.
        func ring(fired: Bool) {
            let waiter: CheckedContinuation<Bool, Never>? = state.withLock { state in
                switch state {
                case .armed:
                    state = .rang(fired)
                    return nil
                case .waiting(let continuation):
                    state = .rang(fired)
                    return continuation
                case .rang:
                    return nil
                }
            }
            waiter?.resume(returning: fired)
        }

        /// True when the deadline passed, false when the alarm was stood down or the waiting task cancelled.
        func wait() async -> Bool {
            await withTaskCancellationHandler {
                await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
                    let rang: Bool? = state.withLock { state in
                        switch state {
                        case .armed:
                            state = .waiting(continuation)
                            return nil
                        case .rang(let fired):
                            return fired
                        case .waiting:
                            return false  // one waiter only; not reached
                        }
                    }
                    if let rang { continuation.resume(returning: rang) }
                }
            } onCancel: {
                ring(fired: false)
            }
        }
    }

    private enum Outcome<R: Sendable>: Sendable {
        case finished(R)
        case deadline
        case unreachable
        case stoodDown
    }

    static func run<R: Sendable>(
        timeout: Duration,
        on eventLoop: any EventLoop,
        probe: (@Sendable () async -> Bool)? = nil,
        probeEvery: Duration = .milliseconds(250),
        _ operation: @escaping @Sendable (Leased) async throws -> R
    ) async throws -> R {
        let leased = Leased()
        return try await withThrowingTaskGroup(of: Outcome<R>.self) { group in
            group.addTask { .finished(try await operation(leased)) }
            group.addTask {
                // One timer at a time, cancelled (and freed) as soon as the operation finishes. The
                // deadline is a moment, so that time spent in probes counts against it.
                let clock = ContinuousClock()
                let deadline = clock.now + timeout
                while true {
                    let remaining = deadline - clock.now
                    guard remaining > .zero else { return leased.isClaimed ? .stoodDown : .deadline }
                    let step = probe == nil ? remaining : min(probeEvery, remaining)
                    let alarm = Alarm()
                    let timer = eventLoop.scheduleTask(in: Self.timeAmount(step)) { alarm.ring(fired: true) }
                    let fired = await alarm.wait()
                    timer.cancel()
                    guard fired, !leased.isClaimed else { return .stoodDown }
                    if clock.now >= deadline { return .deadline }
                    if let probe, await !probe() { return .unreachable }
                }
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
                case .unreachable:
                    guard leased.expire() else { continue }
                    group.cancelAll()
                    throw ApplicationError(.unavailable, "The database does not accept connections; try again shortly.")
                case .stoodDown:
                    continue
                }
            }
            throw CancellationError()
        }
    }

    static func timeAmount(_ duration: Duration) -> TimeAmount {
        let (seconds, attoseconds) = duration.components
        return .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }
}
