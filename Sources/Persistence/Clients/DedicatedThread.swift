import Foundation
import Synchronization

/// One operating-system thread that runs submitted jobs one after the other.
///
/// For C libraries whose calls block (a database client waiting on its socket): their calls run
/// here, never on a NIO event loop or on Swift's cooperative pool, where a blocked thread would
/// stall unrelated work.
final class DedicatedThread: Sendable {
    private struct State {
        var jobs: [@Sendable () -> Void] = []
        var stopping = false
    }

    private let state = Mutex(State())
    private let condition = NSCondition()

    init(name: String) {
        let thread = Thread { [self] in self.loop() }
        thread.name = name
        thread.start()
    }

    /// The thread was stopped: the job was not run.
    struct Stopped: Error {}

    /// Runs `body` on the thread and returns its result; throws ``Stopped`` at once once the
    /// thread is stopping, so that no caller waits for a job that will never run.
    func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            let accepted = submit { continuation.resume(with: Result { try body() }) }
            if !accepted { continuation.resume(throwing: Stopped()) }
        }
    }

    /// Ends the thread after the jobs already submitted.
    func stop() {
        condition.lock()
        state.withLock { $0.stopping = true }
        condition.signal()
        condition.unlock()
    }

    private func submit(_ job: @escaping @Sendable () -> Void) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        let accepted = state.withLock { state -> Bool in
            guard !state.stopping else { return false }
            state.jobs.append(job)
            return true
        }
        if accepted { condition.signal() }
        return accepted
    }

    private func loop() {
        while true {
            condition.lock()
            var next: (@Sendable () -> Void)?
            var stop = false
            while next == nil && !stop {
                (next, stop) = state.withLock { state -> ((@Sendable () -> Void)?, Bool) in
                    if !state.jobs.isEmpty { return (state.jobs.removeFirst(), false) }
                    return (nil, state.stopping)
                }
                if next == nil && !stop { condition.wait() }
            }
            condition.unlock()
            guard let job = next else { return }
            job()
        }
    }
}
