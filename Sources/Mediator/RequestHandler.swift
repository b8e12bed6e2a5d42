/// Handles one type of ``Request``.
///
/// - Important: A handler is registered once and called concurrently; it must keep no state
///   between calls. Per-call state travels in the ``MediatorContext``.
public protocol RequestHandler<Handled>: Sendable {
    associatedtype Handled: Request
    func handle(_ request: Handled, context: MediatorContext) async throws -> Handled.Response
}
