import CustomerAPI
import CustomerApplication
import EventBus
import Hummingbird
import Logging
import Mediator
import Persistence
import ServiceLifecycle

/// Builds the whole service from its configuration: the one place that knows every module.
///
/// Read top to bottom: database → schema → use cases → HTTP router → application with its
/// services. Tests call it too, with an in-memory database.
///
/// - Parameters:
///   - transport: overrides the configured transport (tests pass one they observe).
///   - subscriptions: consumer groups to run in this process.
func buildApplication(
    _ configuration: CustomerFlowConfiguration,
    logger: Logger,
    transport: (any Transport)? = nil,
    subscriptions: [Subscription] = []
) async throws -> some ApplicationProtocol {
    let database = try await DatabaseClients.open(configuration.databaseURL, poolSize: configuration.databasePoolSize, logger: logger)
    // Queries read from the replica when one is configured; commands never do.
    var readDatabase: (any DatabaseClient)?
    if let readURL = configuration.databaseReadURL {
        readDatabase = try await DatabaseClients.open(readURL, poolSize: configuration.databasePoolSize, logger: logger)
    }
    let names = try SchemaNames(prefix: configuration.tablePrefix)
    let migrations = MigrationRunner(client: database, names: names, logger: logger)
    let clock = SystemWallClock()
    let events = try EventBusComponents(
        settings: configuration.eventBus, database: database, names: names, transport: transport,
        subscriptions: subscriptions, logger: logger
    )

    let mediator = try CustomerUseCases.mediator(
        .init(
            transactions: SQLTransactionRunner(client: database, names: names, afterOutboxCommit: events.signal.notify),
            queries: SQLCustomerQueries(client: readDatabase ?? database, names: names),
            clock: clock,
            eventSource: configuration.eventSource,
            cursors: CustomerListCursorCodec(secret: configuration.cursorSecret),
            logger: logger
        )
    )
    let router = buildRouter(
        mediator: mediator,
        idempotency: SQLIdempotencyStore(client: database, names: names),
        readiness: DatabaseReadiness(health: DatabaseHealth(client: database, replica: readDatabase, migrations: migrations)),
        clock: clock,
        events: events
    )

    // Services stop in reverse order: the HTTP server first, then the event bus, then the database.
    var services: [any Service] = [DatabaseService(client: database)]
    if let readDatabase { services.append(DatabaseService(client: readDatabase)) }
    services += [TransportService(transport: events.transport), events.retention] as [any Service]
    if configuration.eventBus.relayEnabled { services.append(events.relay) }
    services.append(events.consumer)
    var app = Application(
        router: router,
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "customerflow"),
        services: services,
        logger: logger
    )
    app.beforeServerStarts {
        try await migrations.migrate()
    }
    return app
}

/// The HTTP surface: middleware, then every controller under its path.
func buildRouter(
    mediator: Mediator,
    idempotency: any IdempotencyStore,
    readiness: any ReadinessCheck,
    clock: any WallClock,
    events: EventBusComponents? = nil
) -> Router<CustomerFlowRequestContext> {
    let router = Router(context: CustomerFlowRequestContext.self)
    router.add(middleware: LogRequestsMiddleware(.debug))
    router.add(middleware: ProblemDetailsMiddleware())
    router.addRoutes(
        CustomersController(mediator: mediator, idempotency: idempotency, clock: clock).endpoints,
        atPath: "/v1/customers"
    )
    router.addRoutes(HealthController(readiness: readiness).endpoints, atPath: "/health")
    if let events {
        router.addRoutes(OutboxAdminController(store: events.outbox, signal: events.signal).endpoints, atPath: "/admin/outbox")
        router.addRoutes(InboxAdminController(store: events.inbox).endpoints, atPath: "/admin/inbox")
    }
    router.addRoutes(OpenAPIController().endpoints, atPath: "/openapi.json")
    return router
}
