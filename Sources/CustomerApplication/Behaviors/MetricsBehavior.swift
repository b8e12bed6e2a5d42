import CoreMetrics
import Mediator

/// Records each request's duration in `customerflow_mediator_request_duration_seconds`, by
/// request type and ``RequestOutcome``.
public struct MetricsBehavior: PipelineBehavior {
    let factory: any MetricsFactory

    public init(factory: any MetricsFactory) {
        self.factory = factory
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
        Timer(
            label: "customerflow_mediator_request_duration_seconds",
            dimensions: [("request", String(describing: type)), ("outcome", outcome.rawValue)],
            factory: factory
        ).recordNanoseconds(elapsed.components.seconds * 1_000_000_000 + elapsed.components.attoseconds / 1_000_000_000)
    }
}
