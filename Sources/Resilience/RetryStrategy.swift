/// Runs an operation again after a failure it deems transient, waiting longer each time.
///
/// Delays: `constant` (d, d, d…), `linear` (d, 2d, 3d…), `exponential` (d, 2d, 4d…) or a fixed
/// `schedule` (the last delay repeats), capped at `maxDelay`, then jittered: `full` draws uniformly
/// from [0, delay]; `decorrelated` from [base, 3 × the previous delay] (capped), which spreads
/// clients apart without ever waiting less than the base.
public struct RetryStrategy: ResilienceStrategy {
    public enum Backoff: Hashable, Sendable {
        case constant(Duration)
        case linear(Duration)
        case exponential(Duration)
        /// These delays in turn; the last one repeats.
        case schedule([Duration])
    }

    public enum Jitter: Hashable, Sendable {
        case none, full, decorrelated
    }

    public struct Options: Sendable {
        /// Attempts in all, the first included.
        public var maxAttempts: Int
        public var backoff: Backoff
        public var jitter: Jitter
        public var maxDelay: Duration
        /// Whether a failure is worth another attempt; cancellation never is.
        public var shouldRetry: @Sendable (any Error) -> Bool

        public init(
            maxAttempts: Int = 3, backoff: Backoff = .exponential(.milliseconds(200)), jitter: Jitter = .full,
            maxDelay: Duration = .seconds(30), shouldRetry: @escaping @Sendable (any Error) -> Bool = { _ in true }
        ) {
            self.maxAttempts = max(1, maxAttempts)
            self.backoff = backoff
            self.jitter = jitter
            self.maxDelay = maxDelay
            self.shouldRetry = shouldRetry
        }
    }

    public let options: Options
    let clock: any ResilienceClock
    let telemetry: ResilienceTelemetry?
    let random: @Sendable (ClosedRange<Double>) -> Double

    /// - Parameter random: a uniform draw in a range, for jitter (tests pass their own).
    public init(
        _ options: Options, clock: any ResilienceClock = SystemResilienceClock(), telemetry: ResilienceTelemetry? = nil,
        random: @escaping @Sendable (ClosedRange<Double>) -> Double = { Double.random(in: $0) }
    ) {
        self.options = options
        self.clock = clock
        self.telemetry = telemetry
        self.random = random
    }

    public func execute<T: Sendable>(_ operation: @escaping @Sendable () async throws -> T) async throws -> T {
        var attempt = 1
        var previous: Duration?
        while true {
            do {
                let result = try await operation()
                telemetry?.record("retry", attempt == 1 ? "succeeded" : "succeeded_after_retry", ["attempt": "\(attempt)"])
                return result
            } catch {
                if error is CancellationError || Task.isCancelled { throw error }
                guard attempt < options.maxAttempts, options.shouldRetry(error) else {
                    telemetry?.record("retry", "gave_up", ["attempt": "\(attempt)", "error": "\(type(of: error))"])
                    throw error
                }
                let wait = delay(afterAttempt: attempt, previous: previous)
                previous = wait
                telemetry?.record("retry", "retrying", ["attempt": "\(attempt)", "delay": "\(wait)", "error": "\(type(of: error))"])
                try await clock.sleep(for: wait)
                attempt += 1
            }
        }
    }

    /// The wait after failed attempt `attempt` (1-based), before jitter.
    public func baseDelay(afterAttempt attempt: Int) -> Duration {
        let delay: Duration = switch options.backoff {
        case .constant(let d): d
        case .linear(let d): d * attempt
        case .exponential(let d): d * (1 << min(30, max(0, attempt - 1)))
        case .schedule(let delays): delays.isEmpty ? .zero : delays[min(attempt - 1, delays.count - 1)]
        }
        return min(delay, options.maxDelay)
    }

    /// The wait after failed attempt `attempt`, jittered; `previous` is the last wait (for
    /// decorrelated jitter).
    public func delay(afterAttempt attempt: Int, previous: Duration? = nil) -> Duration {
        let base = baseDelay(afterAttempt: attempt)
        switch options.jitter {
        case .none:
            return base
        case .full:
            return .seconds(random(0...Self.seconds(base)))
        case .decorrelated:
            let floor = Self.seconds(baseDelay(afterAttempt: 1))
            let ceiling = min(Self.seconds(options.maxDelay), max(floor, Self.seconds(previous ?? base) * 3))
            return .seconds(random(floor...max(floor, ceiling)))
        }
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
