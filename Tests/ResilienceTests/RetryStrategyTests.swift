import Resilience
import Synchronization
import Testing

@Suite("Retry")
struct RetryStrategyTests {
    struct Flaky: Error {}
    struct Fatal: Error {}

    /// Runs a retry over an operation that always fails, advancing the clock through each wait;
    /// returns the waits requested and how many attempts ran.
    static func waits(_ options: RetryStrategy.Options, random: @escaping @Sendable (ClosedRange<Double>) -> Double = { Double.random(in: $0) }) async throws -> ([Duration], Int) {
        let clock = VirtualClock()
        let attempts = Count()
        let retry = RetryStrategy(options, clock: clock, random: random)
        let task = Task {
            try await retry.execute { () async throws -> Int in
                attempts.increment()
                throw Flaky()
            }
        }
        for _ in 1..<options.maxAttempts {
            try await clock.waitForSleepers()
            clock.advance(by: clock.requestedSleeps.last ?? .zero)
        }
        await #expect(throws: Flaky.self) { try await task.value }
        return (clock.requestedSleeps, attempts.value)
    }

    @Test("without jitter the waits are the schedule: constant, linear, exponential capped, a fixed list whose last repeats")
    func schedules() async throws {
        let ms = { (value: Int) in Duration.milliseconds(value) }
        #expect(try await Self.waits(.init(maxAttempts: 4, backoff: .constant(ms(100)), jitter: .none)) == ([ms(100), ms(100), ms(100)], 4))
        #expect(try await Self.waits(.init(maxAttempts: 4, backoff: .linear(ms(100)), jitter: .none)).0 == [ms(100), ms(200), ms(300)])
        #expect(try await Self.waits(.init(maxAttempts: 6, backoff: .exponential(ms(100)), jitter: .none, maxDelay: ms(1000))).0
            == [ms(100), ms(200), ms(400), ms(800), ms(1000)])
        let webhook: [Duration] = [.seconds(1), .seconds(5), .seconds(30), .seconds(120), .seconds(600), .seconds(3600), .seconds(6 * 3600)]
        let (waits, attempts) = try await Self.waits(.init(maxAttempts: 10, backoff: .schedule(webhook), jitter: .none, maxDelay: .seconds(86_400)))
        #expect(waits == webhook + [.seconds(6 * 3600), .seconds(6 * 3600)])
        #expect(attempts == 10)
    }

    @Test("full jitter stays within [0, delay]; decorrelated within [base, 3 × the previous wait], capped")
    func jitterBounds() async throws {
        let (full, _) = try await Self.waits(.init(maxAttempts: 8, backoff: .exponential(.milliseconds(100)), jitter: .full, maxDelay: .seconds(5)))
        let retry = RetryStrategy(.init(backoff: .exponential(.milliseconds(100)), maxDelay: .seconds(5)))
        for (index, wait) in full.enumerated() {
            #expect(wait >= .zero && wait <= retry.baseDelay(afterAttempt: index + 1), "wait \(index + 1): \(wait)")
        }
        // With the draw pinned to the top of its range, the schedule is exactly the bound.
        let (top, _) = try await Self.waits(.init(maxAttempts: 4, backoff: .exponential(.milliseconds(100)), jitter: .full), random: { $0.upperBound })
        #expect(top == [.milliseconds(100), .milliseconds(200), .milliseconds(400)])

        let (decorrelated, _) = try await Self.waits(.init(maxAttempts: 10, backoff: .exponential(.milliseconds(100)), jitter: .decorrelated, maxDelay: .seconds(2)))
        var previous = Duration.milliseconds(100)
        for wait in decorrelated {
            #expect(wait >= .milliseconds(99) && wait <= min(.seconds(2), previous * 3) + .milliseconds(1), "\(wait) after \(previous)")
            previous = wait
        }
    }

    @Test("a failure the predicate rejects, and cancellation, are never retried; a success after failures is returned")
    func predicateCancellationAndRecovery() async throws {
        let clock = VirtualClock()
        let retry = RetryStrategy(.init(maxAttempts: 5, backoff: .constant(.seconds(1)), jitter: .none, shouldRetry: { !($0 is Fatal) }), clock: clock)
        let attempts = Count()
        await #expect(throws: Fatal.self) {
            try await retry.execute { () async throws -> Int in
                attempts.increment()
                throw Fatal()
            }
        }
        #expect(attempts.value == 1)

        let recovering = Task {
            try await retry.execute { () async throws -> String in
                if attempts.increment() < 4 { throw Flaky() }
                return "ok"
            }
        }
        for _ in 0..<2 {
            try await clock.waitForSleepers()
            clock.advance(by: .seconds(1))
        }
        #expect(try await recovering.value == "ok")

        let cancelled = Task {
            try await retry.execute { () async throws -> Int in throw Flaky() }
        }
        try await clock.waitForSleepers()
        cancelled.cancel()
        await #expect(throws: CancellationError.self) { try await cancelled.value }
    }
}
