/// Collects handlers and behaviours, then builds an immutable ``Mediator``.
///
/// ```swift
/// var builder = MediatorBuilder()
/// builder.addBehavior(LoggingBehavior(logger: logger))
/// builder.addBehavior(ValidationBehavior(validators: validators))
/// builder.register(RegisterCustomerHandler(clock: clock))
/// builder.register(notificationHandler: PublishCustomerIntegrationEvents())
/// let mediator = try builder.build()
/// ```
public struct MediatorBuilder: Sendable {
    private var behaviors: [any PipelineBehavior] = []
    private var handlerFactories: [(ObjectIdentifier, String, @Sendable ([any PipelineBehavior]) -> any Sendable)] = []
    private var notificationHandlers: [ObjectIdentifier: [any Sendable]] = [:]

    public init() {}

    /// Adds a behaviour around every handler; the first added is the outermost.
    public mutating func addBehavior(_ behavior: some PipelineBehavior) {
        behaviors.append(behavior)
    }

    /// Registers the handler of a request type. Each request type has exactly one handler.
    public mutating func register<H: RequestHandler>(_ handler: H) {
        handlerFactories.append((ObjectIdentifier(H.Handled.self), String(describing: H.Handled.self), { behaviors in
            var next: @Sendable (H.Handled, MediatorContext) async throws -> H.Handled.Response = { request, context in
                try await handler.handle(request, context: context)
            }
            for behavior in behaviors.reversed() {
                let inner = next
                next = { request, context in
                    try await behavior.handle(request, context: context, next: inner)
                }
            }
            return Pipeline<H.Handled>(run: next)
        }))
    }

    /// Registers one more handler of a notification type; they run in registration order.
    public mutating func register<H: NotificationHandler>(notificationHandler handler: H) {
        notificationHandlers[ObjectIdentifier(H.Handled.self), default: []].append(
            NotificationPipeline<H.Handled>(run: { notification, context in
                try await handler.handle(notification, context: context)
            })
        )
    }

    /// Composes every pipeline.
    ///
    /// - Throws: ``MediatorError/Code/duplicateHandler`` when a request type has two handlers.
    public func build() throws -> Mediator {
        var handlers: [ObjectIdentifier: any Sendable] = [:]
        for (key, name, factory) in handlerFactories {
            guard handlers[key] == nil else {
                throw MediatorError(code: .duplicateHandler, requestType: name)
            }
            handlers[key] = factory(behaviors)
        }
        return Mediator(registry: .init(handlers: handlers, notificationHandlers: notificationHandlers))
    }
}
