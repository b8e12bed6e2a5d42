import Foundation
import Resilience
import Synchronization

/// Time that moves only when a test says so: sleepers wait until ``advance(by:)`` passes their
/// deadline. Every requested sleep is recorded. No real time passes.
final class VirtualClock: ResilienceClock {
    private struct Sleeper {
        let id: UUID
        let deadline: Duration
        let continuation: CheckedContinuation<Void, any Error>
    }

    private struct State {
        var now = Duration.zero
        var sleepers: [Sleeper] = []
        var cancelledEarly: Set<UUID> = []
        var requested: [Duration] = []
    }

    private let state = Mutex(State())

    var now: Duration { state.withLock { $0.now } }
    var requestedSleeps: [Duration] { state.withLock { $0.requested } }
    var sleeperCount: Int { state.withLock { $0.sleepers.count } }

    func sleep(for duration: Duration) async throws {
        let id = UUID()
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let resume: Result<Void, any Error>? = state.withLock { state in
                    state.requested.append(duration)
                    if state.cancelledEarly.remove(id) != nil { return .failure(CancellationError()) }
                    if duration <= .zero { return .success(()) }
                    state.sleepers.append(Sleeper(id: id, deadline: state.now + duration, continuation: continuation))
                    return nil
                }
                if let resume { continuation.resume(with: resume) }
            }
        } onCancel: {
            let sleeper: Sleeper? = state.withLock { state in
                guard let index = state.sleepers.firstIndex(where: { $0.id == id }) else {
                    state.cancelledEarly.insert(id)
                    return nil
                }
                return state.sleepers.remove(at: index)
            }
            sleeper?.continuation.resume(throwing: CancellationError())
        }
    }

    func advance(by duration: Duration) {
        let due: [Sleeper] = state.withLock { state in
            state.now += duration
            let due = state.sleepers.filter { $0.deadline <= state.now }
            state.sleepers.removeAll { $0.deadline <= state.now }
            return due
        }
        for sleeper in due { sleeper.continuation.resume() }
    }

    /// Waits (yielding, no real sleep) until `count` tasks sleep on this clock.
    func waitForSleepers(_ count: Int = 1) async throws {
        for _ in 0..<100_000 {
            if sleeperCount >= count { return }
            await Task.yield()
        }
        throw NeverSlept()
    }

    struct NeverSlept: Error {}
}

/// A counter tasks share.
final class Count: Sendable {
    private let count = Mutex(0)
    var value: Int { count.withLock { $0 } }
    /// Adds one; returns the new value.
    @discardableResult
    func increment() -> Int { count.withLock { $0 += 1; return $0 } }
}
