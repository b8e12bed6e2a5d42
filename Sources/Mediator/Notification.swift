/// A message published through the ``Mediator`` to every handler registered for its type, in
/// registration order. Domain events travel as notifications.
public protocol Notification: Sendable {}

/// Handles one type of ``Notification``.
///
/// - Important: Handlers run one after the other, in the caller's task and context: inside the
///   caller's transaction, when there is one. An error stops the remaining handlers and reaches
///   the publisher.
public protocol NotificationHandler<Handled>: Sendable {
    associatedtype Handled: Notification
    func handle(_ notification: Handled, context: MediatorContext) async throws
}
