import CoreMetrics
import Logging

/// Strategies composed in order, the first outermost (Polly v8's `ResiliencePipeline`): with
/// `[retry, circuitBreaker, timeout]` each attempt is bounded by the timeout, counted by the
/// breaker, and retried while the breaker lets it through.
public struct ResiliencePipeline: Sendable {
    /// Names the pipeline in metrics and logs (`rabbitmq.publish`, `webhook:<id>`).
    public let name: String
    public let strategies: [any ResilienceStrategy]

    public init(name: String, strategies: [any ResilienceStrategy]) {
        self.name = name
        self.strategies = strategies
    }

    /// A pipeline that just runs the operation.
    public static let empty = ResiliencePipeline(name: "empty", strategies: [])

    public func execute<T: Sendable>(_ operation: @escaping @Sendable () async throws -> T) async throws -> T {
        try await Self.run(strategies[...], operation)
    }

    private static func run<T: Sendable>(_ strategies: ArraySlice<any ResilienceStrategy>, _ operation: @escaping @Sendable () async throws -> T) async throws -> T {
        guard let first = strategies.first else { return try await operation() }
        let rest = strategies.dropFirst()
        return try await first.execute { try await run(rest, operation) }
    }
}

/// Where strategies report: a metric for every attempt and state change, a debug line each.
public struct ResilienceTelemetry: Sendable {
    public let pipeline: String
    let logger: Logger
    let metrics: any MetricsFactory

    public init(pipeline: String, logger: Logger, metrics: any MetricsFactory = MetricsSystem.factory) {
        self.pipeline = pipeline
        self.logger = logger
        self.metrics = metrics
    }

    /// `customerflow_resilience_events_total{pipeline, strategy, event}`.
    func record(_ strategy: String, _ event: String, _ metadata: Logger.Metadata = [:]) {
        Counter(label: "customerflow_resilience_events_total", dimensions: [("pipeline", pipeline), ("strategy", strategy), ("event", event)], factory: metrics)
            .increment()
        var all = metadata
        all["pipeline"] = .string(pipeline)
        logger.debug("\(strategy) \(event)", metadata: all)
    }

    func gauge(_ label: String, _ value: Int) {
        Gauge(label: label, dimensions: [("pipeline", pipeline)], factory: metrics).record(value)
    }
}
