import Logging
import MetricsTestKit
import Resilience
import Synchronization
import Testing

@Suite("Circuit breaker")
struct CircuitBreakerTests {
    struct Down: Error {}

    static func breaker(_ clock: VirtualClock, metrics: TestMetrics = TestMetrics()) -> CircuitBreaker {
        CircuitBreaker(
            .init(failureRatio: 0.5, samplingDuration: .seconds(10), minimumThroughput: 4, breakDuration: .seconds(5)), clock: clock,
            telemetry: ResilienceTelemetry(pipeline: "test", logger: Logger(label: "breaker", factory: { _ in SwiftLogNoOpLogHandler() }), metrics: metrics))
    }

    static func fail(_ breaker: CircuitBreaker, calls: Count) async {
        _ = try? await breaker.execute { () async throws -> Int in
            calls.increment()
            throw Down()
        }
    }

    static func succeed(_ breaker: CircuitBreaker, calls: Count) async throws {
        _ = try await breaker.execute { () async throws -> Int in
            calls.increment()
            return 1
        }
    }

    @Test("opens once the failure ratio is crossed with enough calls, rejects fast while open, half-opens after the break, closes on a good probe")
    func opensRejectsHalfOpensCloses() async throws {
        let clock = VirtualClock()
        let metrics = TestMetrics()
        let breaker = Self.breaker(clock, metrics: metrics)
        let calls = Count()
        try await Self.succeed(breaker, calls: calls)
        await Self.fail(breaker, calls: calls)
        await Self.fail(breaker, calls: calls)
        #expect(breaker.state == .closed, "3 calls are below the minimum throughput")
        await Self.fail(breaker, calls: calls)
        #expect(breaker.state == .open, "3 failures in 4 calls crosses 50 %")
        #expect(try metrics.expectGauge("customerflow_resilience_circuit_state", [("pipeline", "test")]).lastValue == 1)

        // Open: the dependency is not called at all.
        let before = calls.value
        await #expect(throws: BrokenCircuit.self) { try await breaker.execute { () async throws -> Int in calls.increment(); return 1 } }
        #expect(calls.value == before)

        clock.advance(by: .seconds(4.9))
        #expect(breaker.state == .open)
        clock.advance(by: .milliseconds(100))
        #expect(breaker.state == .halfOpen)
        try await Self.succeed(breaker, calls: calls)
        #expect(breaker.state == .closed)
        #expect(try metrics.expectGauge("customerflow_resilience_circuit_state", [("pipeline", "test")]).lastValue == 0)
        #expect(try metrics.expectCounter("customerflow_resilience_events_total", [("pipeline", "test"), ("strategy", "circuit_breaker"), ("event", "opened")]).totalValue == 1)
        #expect(try metrics.expectCounter("customerflow_resilience_events_total", [("pipeline", "test"), ("strategy", "circuit_breaker"), ("event", "rejected")]).totalValue == 1)
    }

    @Test("a failed probe opens the circuit again; while a probe runs other calls are refused")
    func failedProbeReopens() async throws {
        let clock = VirtualClock()
        let breaker = Self.breaker(clock)
        let calls = Count()
        for _ in 0..<4 { await Self.fail(breaker, calls: calls) }
        #expect(breaker.state == .open)
        clock.advance(by: .seconds(5))

        let probe = Task {
            try await breaker.execute { () async throws -> Int in
                try await clock.sleep(for: .seconds(1))
                throw Down()
            }
        }
        try await clock.waitForSleepers()
        await #expect(throws: BrokenCircuit.self) { try await breaker.execute { 1 } }
        clock.advance(by: .seconds(1))
        await #expect(throws: Down.self) { try await probe.value }
        #expect(breaker.state == .open)
        await #expect(throws: BrokenCircuit.self) { try await breaker.execute { 1 } }
    }

    @Test("failures older than the sampling window do not count")
    func slidingWindow() async throws {
        let clock = VirtualClock()
        let breaker = Self.breaker(clock)
        let calls = Count()
        for _ in 0..<3 { await Self.fail(breaker, calls: calls) }
        clock.advance(by: .seconds(11))
        await Self.fail(breaker, calls: calls)
        for _ in 0..<3 { try await Self.succeed(breaker, calls: calls) }
        #expect(breaker.state == .closed, "1 failure in the last 4 calls")
    }
}
