import CustomerAPI
import CustomerApplication
import Hummingbird
import Logging
import Mediator
import Persistence

/// Builds the whole service from its configuration: the one place that knows every module.
///
/// Read top to bottom: database → schema → use cases → HTTP router → application with its
/// services. Tests call it too, with an in-memory database.
func buildApplication(_ configuration: CustomerFlowConfiguration, logger: Logger) async throws -> some ApplicationProtocol {
    let database = try await DatabaseClients.open(configuration.databaseURL, poolSize: configuration.databasePoolSize, logger: logger)
    let names = try SchemaNames(prefix: configuration.tablePrefix)
    let migrations = MigrationRunner(client: database, names: names, logger: logger)
    let clock = SystemWallClock()

    let mediator = try CustomerUseCases.mediator(
        .init(
            transactions: SQLTransactionRunner(client: database, names: names),
            queries: SQLCustomerQueries(client: database, names: names),
            clock: clock,
            eventSource: configuration.eventSource,
            cursors: CustomerListCursorCodec(secret: configuration.cursorSecret),
            logger: logger
        )
    )
    let router = buildRouter(
        mediator: mediator,
        idempotency: SQLIdempotencyStore(client: database, names: names),
        readiness: DatabaseReadiness(health: DatabaseHealth(client: database, migrations: migrations)),
        clock: clock
    )

    var app = Application(
        router: router,
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "customerflow"),
        services: [DatabaseService(client: database)],
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
    clock: any WallClock
) -> Router<CustomerFlowRequestContext> {
    let router = Router(context: CustomerFlowRequestContext.self)
    router.add(middleware: LogRequestsMiddleware(.debug))
    router.add(middleware: ProblemDetailsMiddleware())
    router.addRoutes(
        CustomersController(mediator: mediator, idempotency: idempotency, clock: clock).endpoints,
        atPath: "/v1/customers"
    )
    router.addRoutes(HealthController(readiness: readiness).endpoints, atPath: "/health")
    router.addRoutes(OpenAPIController().endpoints, atPath: "/openapi.json")
    return router
}
