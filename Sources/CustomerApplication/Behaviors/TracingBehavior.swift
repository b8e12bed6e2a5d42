import EventBus
import Mediator
import Tracing
import Validation

/// Wraps each request in a span named after its type (`RegisterCustomerCommand`), a child of the
/// caller's span (the HTTP request), and the parent of everything the handler does (SQL
/// statements). Attributes: `mediator.request`, `mediator.outcome` (``RequestOutcome``, as in the
/// metrics), `error.type` on failure and, when validation refused the request,
/// `mediator.validation.failure_count`.
///
/// Spans go to the tracer of the task (`withTracer`) or of the process (`InstrumentationSystem`);
/// with none configured they cost a no-op call.
///
/// - Important: Neither the request nor an error's text is recorded (`withSpan` would record the
///   error's description, and some carry what the caller sent): only the error's type.
public struct TracingBehavior: PipelineBehavior {
    public init() {}

    public func handle<R: Request>(
        _ request: R,
        context: MediatorContext,
        next: @Sendable (R, MediatorContext) async throws -> R.Response
    ) async throws -> R.Response {
        // Under an unrecorded request the span would not be recorded either.
        if TraceRecording.isOff { return try await next(request, context) }
        let name = String(describing: R.self)
        let span = startSpan(name, ofKind: .internal)
        defer { span.end() }
        span.attributes["mediator.request"] = name
        do {
            let response = try await InstrumentationContext.$current.withValue(span.context) {
                try await next(request, context)
            }
            span.attributes["mediator.outcome"] = RequestOutcome.success.rawValue
            return response
        } catch {
            let outcome = RequestOutcome(error)
            span.attributes["mediator.outcome"] = outcome.rawValue
            span.attributes["error.type"] = String(describing: type(of: error))
            if let validation = error as? ValidationError {
                span.attributes["mediator.validation.failure_count"] = validation.failures.count
            }
            if outcome == .error { span.setStatus(SpanStatus(code: .error)) }
            throw error
        }
    }
}
