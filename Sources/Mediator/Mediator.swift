/// Sends requests to their handler through the pipeline behaviours, and publishes notifications
/// to their handlers.
///
/// Build one with ``MediatorBuilder``; it is immutable afterwards and cheap to copy. The pipeline
/// of each request type is composed once, when the mediator is built, not on every send.
public struct Mediator: Sendable {
    final class Registry: Sendable {
        let handlers: [ObjectIdentifier: any Sendable]
        let notificationHandlers: [ObjectIdentifier: [any Sendable]]

        init(handlers: [ObjectIdentifier: any Sendable], notificationHandlers: [ObjectIdentifier: [any Sendable]]) {
            self.handlers = handlers
            self.notificationHandlers = notificationHandlers
        }
    }

    let registry: Registry

    /// Sends a request through the behaviours to its handler and returns the handler's answer.
    ///
    /// - Throws: whatever a behaviour or the handler throws, or ``MediatorError/Code/noHandler``.
    public func send<R: Request>(_ request: R, context: MediatorContext = MediatorContext()) async throws -> R.Response {
        guard let pipeline = registry.handlers[ObjectIdentifier(R.self)] as? Pipeline<R> else {
            throw MediatorError(code: .noHandler, requestType: String(describing: R.self))
        }
        var context = context
        context.mediator = self
        return try await pipeline.run(request, context)
    }

    /// Publishes a notification to each of its handlers in registration order; none is fine.
    public func publish<N: Notification>(_ notification: N, context: MediatorContext = MediatorContext()) async throws {
        guard let handlers = registry.notificationHandlers[ObjectIdentifier(N.self)] else { return }
        var context = context
        context.mediator = self
        for handler in handlers {
            if let handler = handler as? NotificationPipeline<N> {
                try await handler.run(notification, context)
            }
        }
    }

    /// Whether a handler is registered for a request type.
    public func canHandle<R: Request>(_ type: R.Type) -> Bool {
        registry.handlers[ObjectIdentifier(type)] != nil
    }
}

struct Pipeline<R: Request>: Sendable {
    let run: @Sendable (R, MediatorContext) async throws -> R.Response
}

struct NotificationPipeline<N: Notification>: Sendable {
    let run: @Sendable (N, MediatorContext) async throws -> Void
}
