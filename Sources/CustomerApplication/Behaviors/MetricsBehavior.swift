import CoreMetrics
import Mediator

/// Records each request's duration in `customerflow_mediator_request_duration_seconds`, by
/// request type and ``RequestOutcome``.
public struct MetricsBehavior: PipelineBehavior {
    private let timers: TimerCache

    public init(factory: any MetricsFactory) {
        timers = TimerCache(label: "customerflow_mediator_request_duration_seconds", dimensionNames: ["request", "outcome"], factory: factory)
    }

    public func handle<R: Request>(
        _ request: R,
        context: MediatorContext,
        next: @Sendable (R, MediatorContext) async throws -> R.Response
    ) async throws -> R.Response {
        let started = ContinuousClock.now
        do {
            let response = try await next(request, context)
            record(R.self, outcome: .success, since: started)
            return response
        } catch {
            record(R.self, outcome: RequestOutcome(error), since: started)
            throw error
        }
    }

    private func record<R>(_ type: R.Type, outcome: RequestOutcome, since started: ContinuousClock.Instant) {
        let elapsed = ContinuousClock.now - started
        timers.timer([String(describing: type), outcome.rawValue])
            .recordNanoseconds(elapsed.components.seconds * 1_000_000_000 + elapsed.components.attoseconds / 1_000_000_000)
    }
}
