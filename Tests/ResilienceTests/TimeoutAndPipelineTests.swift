import Resilience
import Synchronization
import Testing

@Suite("Timeout and pipelines")
struct TimeoutAndPipelineTests {
    struct Down: Error {}

    @Test("an operation over its timeout is cancelled and the caller gets TimeoutRejected; one within it returns its value")
    func timeoutCancels() async throws {
        let clock = VirtualClock()
        let timeout = TimeoutStrategy(.seconds(1), clock: clock)
        let sawCancellation = Count()
        let slow = Task {
            try await timeout.execute { () async throws -> Int in
                do {
                    try await clock.sleep(for: .seconds(10))
                } catch is CancellationError {
                    sawCancellation.increment()
                    throw CancellationError()
                }
                return 1
            }
        }
        try await clock.waitForSleepers(2)
        clock.advance(by: .seconds(1))
        await #expect(throws: TimeoutRejected.self) { try await slow.value }
        #expect(sawCancellation.value == 1)

        let quick = Task { try await timeout.execute { () async throws -> Int in 7 } }
        #expect(try await quick.value == 7)
    }

    @Test("a pipeline runs its strategies outermost first: retries around a breaker stop once it opens")
    func pipelineOrder() async throws {
        let clock = VirtualClock()
        let breaker = CircuitBreaker(.init(failureRatio: 1, samplingDuration: .seconds(60), minimumThroughput: 2, breakDuration: .seconds(30)), clock: clock)
        let pipeline = ResiliencePipeline(name: "test", strategies: [
            RetryStrategy(.init(maxAttempts: 5, backoff: .constant(.zero), jitter: .none, shouldRetry: { !($0 is BrokenCircuit) }), clock: clock),
            breaker,
            TimeoutStrategy(.seconds(1), clock: clock),
        ])
        let calls = Count()
        await #expect(throws: BrokenCircuit.self) {
            try await pipeline.execute { () async throws -> Int in
                calls.increment()
                throw Down()
            }
        }
        // Two failures open the breaker; the third attempt is refused without a call.
        #expect(calls.value == 2)
        #expect(breaker.state == .open)
    }
}
