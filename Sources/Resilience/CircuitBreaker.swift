import Synchronization

/// Stops calling a dependency that keeps failing, so that callers fail fast instead of waiting on
/// it, and probes it again after a while (Polly v8's circuit breaker).
///
/// Closed: outcomes are counted over the last `samplingDuration`; once at least
/// `minimumThroughput` calls were made and the share of failures reaches `failureRatio`, the
/// circuit opens. Open: every call fails at once with ``BrokenCircuit`` for `breakDuration`.
/// Half-open: one call goes through as a probe (others are refused); its success closes the
/// circuit, its failure opens it again.
///
/// - Important: One breaker per dependency (per webhook endpoint, per broker), shared by all its
///   callers: it is a class with its own lock. Its state is the gauge
///   `customerflow_resilience_circuit_state{pipeline}` (0 closed, 1 open, 2 half-open).
public final class CircuitBreaker: ResilienceStrategy {
    public struct Options: Sendable {
        public var failureRatio: Double
        public var samplingDuration: Duration
        public var minimumThroughput: Int
        public var breakDuration: Duration
        /// Whether a failure counts against the dependency (a rejected input does not).
        public var isFailure: @Sendable (any Error) -> Bool

        public init(
            failureRatio: Double = 0.5, samplingDuration: Duration = .seconds(30), minimumThroughput: Int = 10,
            breakDuration: Duration = .seconds(5), isFailure: @escaping @Sendable (any Error) -> Bool = { _ in true }
        ) {
            self.failureRatio = failureRatio
            self.samplingDuration = samplingDuration
            self.minimumThroughput = max(1, minimumThroughput)
            self.breakDuration = breakDuration
            self.isFailure = isFailure
        }
    }

    public enum State: Int, Hashable, Sendable {
        case closed = 0, open = 1, halfOpen = 2
    }

    private struct Storage {
        var state = State.closed
        /// (when, failed) of the calls in the sampling window, oldest first.
        var outcomes: [(at: Duration, failed: Bool)] = []
        var openUntil = Duration.zero
        var probing = false
    }

    public let options: Options
    let clock: any ResilienceClock
    let telemetry: ResilienceTelemetry?
    private let storage = Mutex(Storage())

    public init(_ options: Options = Options(), clock: any ResilienceClock = SystemResilienceClock(), telemetry: ResilienceTelemetry? = nil) {
        self.options = options
        self.clock = clock
        self.telemetry = telemetry
        telemetry?.gauge("customerflow_resilience_circuit_state", State.closed.rawValue)
    }

    /// The state now (an open circuit whose break is over reads as half-open).
    public var state: State {
        let now = clock.now
        return storage.withLock { storage in
            storage.state == .open && now >= storage.openUntil ? .halfOpen : storage.state
        }
    }

    public func execute<T: Sendable>(_ operation: @escaping @Sendable () async throws -> T) async throws -> T {
        let isProbe = try admit()
        do {
            let result = try await operation()
            settle(failed: false, isProbe: isProbe)
            return result
        } catch {
            if error is CancellationError {
                if isProbe { storage.withLock { $0.probing = false } }
                throw error
            }
            settle(failed: options.isFailure(error), isProbe: isProbe)
            throw error
        }
    }

    /// Lets a call through or refuses it; `true` when the call is the half-open probe.
    private func admit() throws -> Bool {
        let now = clock.now
        var transition: State?
        let decision: Result<Bool, BrokenCircuit> = storage.withLock { storage in
            switch storage.state {
            case .closed:
                return .success(false)
            case .open:
                guard now >= storage.openUntil else { return .failure(BrokenCircuit(retryAfter: storage.openUntil - now)) }
                storage.state = .halfOpen
                storage.probing = true
                transition = .halfOpen
                return .success(true)
            case .halfOpen:
                guard !storage.probing else { return .failure(BrokenCircuit(retryAfter: .zero)) }
                storage.probing = true
                return .success(true)
            }
        }
        if let transition { report(transition) }
        switch decision {
        case .success(let probe): return probe
        case .failure(let refusal):
            telemetry?.record("circuit_breaker", "rejected")
            throw refusal
        }
    }

    private func settle(failed: Bool, isProbe: Bool) {
        let now = clock.now
        let transition: State? = storage.withLock { storage in
            if isProbe || storage.state == .halfOpen {
                storage.probing = false
                storage.outcomes = []
                if failed {
                    storage.state = .open
                    storage.openUntil = now + options.breakDuration
                    return .open
                }
                storage.state = .closed
                return .closed
            }
            guard storage.state == .closed else { return nil }
            storage.outcomes.append((now, failed))
            let horizon = now - options.samplingDuration
            if let firstKept = storage.outcomes.firstIndex(where: { $0.at > horizon }) {
                storage.outcomes.removeFirst(firstKept)
            } else {
                storage.outcomes = []
            }
            let total = storage.outcomes.count
            let failures = storage.outcomes.filter(\.failed).count
            guard total >= options.minimumThroughput, Double(failures) / Double(total) >= options.failureRatio else { return nil }
            storage.state = .open
            storage.openUntil = now + options.breakDuration
            storage.outcomes = []
            return .open
        }
        if let transition { report(transition) }
    }

    private func report(_ state: State) {
        let name = switch state {
        case .closed: "closed"
        case .open: "opened"
        case .halfOpen: "half_opened"
        }
        telemetry?.record("circuit_breaker", name)
        telemetry?.gauge("customerflow_resilience_circuit_state", state.rawValue)
    }
}

/// The circuit is open: the dependency is not called. Retry after `retryAfter`.
public struct BrokenCircuit: Error, Hashable, Sendable, CustomStringConvertible {
    public let retryAfter: Duration
    public var description: String { "circuit open; retry after \(retryAfter)" }
}
