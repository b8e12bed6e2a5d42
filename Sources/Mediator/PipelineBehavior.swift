/// Code that wraps every request handler: logging, validation, transactions, tracing.
///
/// Behaviours run in registration order: the first registered is the outermost. A behaviour may
/// act before and after `next`, change the context it passes on, retry `next`, or answer without
/// calling it (a validation failure, a feature gate).
///
/// - Important: A behaviour is shared by all requests and tasks; it must be stateless or
///   thread-safe. It must call `next` at most once per attempt and must not swallow
///   cancellation.
public protocol PipelineBehavior: Sendable {
    func handle<R: Request>(
        _ request: R,
        context: MediatorContext,
        next: @Sendable (R, MediatorContext) async throws -> R.Response
    ) async throws -> R.Response
}
