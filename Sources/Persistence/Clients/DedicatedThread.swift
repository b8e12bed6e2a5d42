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

    /// Runs `body` on the thread and returns its result.
    func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            submit { continuation.resume(with: Result { try body() }) }
        }
    }

    /// Ends the thread after the jobs already submitted.
    func stop() {
        condition.lock()
        state.withLock { $0.stopping = true }
        condition.signal()
        condition.unlock()
    }

    private func submit(_ job: @escaping @Sendable () -> Void) {
        condition.lock()
        state.withLock { $0.jobs.append(job) }
        condition.signal()
        condition.unlock()
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
