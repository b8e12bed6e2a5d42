import CoreMetrics
import Foundation
import CustomerAPI
import CustomerApplication
import EventBus
import FeatureFlags
import Hummingbird
import Logging
import Mediator
import Persistence
import Resilience
import ServiceLifecycle

/// Builds the whole service from its configuration: the one place that knows every module.
///
/// Read top to bottom: database → schema → use cases → HTTP router → application with its
/// services. Tests call it too, with an in-memory database.
///
/// - Parameters:
///   - transport: overrides the configured transport (tests pass one they observe).
///   - subscriptions: consumer groups to run in this process.
///   - telemetry: OpenTelemetry export (``Telemetry/bootstrap(logger:)``), whose services run
///     beside the application and stop after it.
func buildApplication(
    _ configuration: CustomerFlowConfiguration,
    logger: Logger,
    transport: (any Transport)? = nil,
    subscriptions: [Subscription] = [],
    telemetry: Telemetry? = nil
) async throws -> some ApplicationProtocol {
    let metrics: ServiceMetrics? = configuration.metricsEnabled ? ServiceMetrics(export: telemetry?.metrics) : nil
    let metricsFactory: any MetricsFactory = metrics?.factory ?? NOOPMetricsHandler.instance
    let database = MeteredDatabaseClient(
        try await DatabaseClients.open(
            configuration.databaseURL, poolSize: configuration.databasePoolSize, poolMinimum: configuration.databasePoolMinimum,
            logger: logger),
        size: DatabaseClients.connections(for: configuration.databaseURL, poolSize: configuration.databasePoolSize))
    // Queries read from the replica when one is configured; commands never do.
    var readDatabase: MeteredDatabaseClient?
    if let readURL = configuration.databaseReadURL {
        readDatabase = MeteredDatabaseClient(
            try await DatabaseClients.open(
                readURL, poolSize: configuration.databasePoolSize, poolMinimum: configuration.databasePoolMinimum, logger: logger),
            size: DatabaseClients.connections(for: readURL, poolSize: configuration.databasePoolSize))
    }
    let names = try SchemaNames(prefix: configuration.tablePrefix)
    let migrations = MigrationRunner(client: database, names: names, logger: logger)
    let clock = SystemWallClock()
    let flagDefinitions = FeatureFlagSnapshot(configuration.featureFlags)
    let features = FeatureFlagEvaluator(source: flagDefinitions, logger: logger)
    // Webhooks: a consumer group queues each event for the subscriptions it matches, in the
    // inbox transaction; the dispatcher delivers them.
    let webhooks = SQLWebhookStore(client: database, names: names)
    let webhookFanOut = Subscription(group: "customerflow.webhooks", patterns: ["#"]) { event, context in
        try await webhooks.enqueue(event, in: context, now: Date())
    }
    let events = try EventBusComponents(
        settings: configuration.eventBus, database: database, names: names, transport: transport,
        subscriptions: subscriptions + [webhookFanOut], logger: logger, metrics: metricsFactory
    )

    let mediator = try CustomerUseCases.mediator(
        .init(
            transactions: SQLTransactionRunner(client: database, names: names, afterOutboxCommit: events.signal.notify),
            queries: SQLCustomerQueries(client: readDatabase.map { $0 as any DatabaseClient } ?? database, names: names),
            clock: clock,
            eventSource: configuration.eventSource,
            cursors: CustomerListCursorCodec(secret: configuration.cursorSecret),
            logger: logger,
            metrics: metrics?.factory,
            features: features,
            records: SQLPersonalDataRecords(client: database, names: names),
            primaryQueries: SQLCustomerQueries(client: database, names: names)
        )
    )
    let pools = [("primary", database)] + (readDatabase.map { [("replica", $0)] } ?? [])
    var renderMetrics: (@Sendable () async -> String)?
    if let metrics {
        renderMetrics = { [outbox = events.outbox] in await metrics.render(outbox: outbox, pools: pools) }
    }
    let router = buildRouter(
        mediator: mediator,
        idempotency: SQLIdempotencyStore(client: database, names: names),
        readiness: ServiceReadiness(
            health: DatabaseHealth(client: database, replica: readDatabase, migrations: migrations),
            transport: events.transport, outbox: events.outbox, maxLag: configuration.eventBus.maxLag),
        clock: clock,
        events: events,
        metrics: metrics?.factory,
        renderMetrics: renderMetrics,
        features: features,
        webhooks: WebhooksAdminController(store: webhooks, allowPrivateTargets: configuration.webhooks.allowPrivateTargets ?? configuration.listensOnLoopback),
        security: try await RouterSecurity(configuration, logger: logger)
    )

    // Services stop in reverse order: the HTTP server first, then the event bus, then the
    // database, and the telemetry exporters last, with every span of the shutdown.
    var services: [any Service] = telemetry?.services ?? []
    services.append(DatabaseService(client: database))
    if let source = configuration.source, let file = source.file {
        services.append(FeatureFlagReloader(source: source, file: file, target: flagDefinitions, logger: logger))
    }
    if let readDatabase { services.append(DatabaseService(client: readDatabase)) }
    // The event bus works on tables the migrations create: it starts once they are applied.
    let schemaReady = AfterMigrations.Gate()
    services.append(TransportService(transport: events.transport))
    var eventServices: [any Service] = [events.retention]
    if configuration.eventBus.relayEnabled { eventServices.append(events.relay) }
    eventServices.append(events.consumer)
    eventServices.append(WebhookDispatcher(
        store: webhooks,
        configuration: .init(
            retrySchedule: configuration.webhooks.retrySchedule, retryFor: configuration.webhooks.retryFor,
            timeout: configuration.webhooks.timeout, pollInterval: configuration.webhooks.pollInterval,
            breaker: .init(failureRatio: 0.5, samplingDuration: .seconds(60), minimumThroughput: 3, breakDuration: configuration.webhooks.breakDuration)),
        logger: logger, metrics: metricsFactory, isEnabled: { features.isEnabled(ProductFeatures.webhooks) }))
    services += eventServices.map { AfterMigrations(gate: schemaReady, service: $0) as any Service }
    let limits = configuration.limits
    var app = Application(
        router: router,
        server: .http1(configuration: .init(
            additionalChannelHandlers: [RequestReadTimeoutHandler(timeout: .seconds(limits.readTimeout.components.seconds))],
            httpDecoderConfiguration: .init(
                maxHeaderFieldSize: limits.maxHeaderBytes, maxHeaderListSize: limits.maxHeaderBytes, maxHeaderFieldCount: limits.maxHeaderCount))),
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "customerflow"),
        services: services,
        logger: logger
    )
    // The database may come up after the service (containers starting together, a failover):
    // the first connection is retried while the database is unreachable, for up to about half a minute.
    let startup = ResiliencePipeline(name: "database.startup", strategies: [
        RetryStrategy(
            .init(maxAttempts: 8, backoff: .exponential(.milliseconds(500)), jitter: .full, maxDelay: .seconds(8),
                  shouldRetry: { ($0 as? ApplicationError)?.code == .unavailable }),
            telemetry: ResilienceTelemetry(pipeline: "database.startup", logger: logger, metrics: metricsFactory))
    ])
    app.beforeServerStarts {
        try await startup.execute {
            do {
                try await migrations.migrate()
            } catch let error as ApplicationError where error.code == .unavailable {
                logger.warning("database unavailable at start-up; retrying", metadata: ["error": "\(error)"])
                throw error
            }
        }
        schemaReady.open()
    }
    return app
}

/// The HTTP surface: middleware, then every controller under its path.
func buildRouter(
    mediator: Mediator,
    idempotency: any IdempotencyStore,
    readiness: any ReadinessCheck,
    clock: any WallClock,
    events: EventBusComponents? = nil,
    metrics: (any MetricsFactory)? = nil,
    renderMetrics: (@Sendable () async -> String)? = nil,
    features: FeatureFlagEvaluator? = nil,
    webhooks: WebhooksAdminController<CustomerFlowRequestContext>? = nil,
    security: RouterSecurity = RouterSecurity()
) -> Router<CustomerFlowRequestContext> {
    // HEAD wherever GET is served (RFC 9110 §9.3.2).
    let router = Router(context: CustomerFlowRequestContext.self, options: .autoGenerateHeadEndpoints)
    router.add(middleware: RequestTracingMiddleware())
    if let metrics { router.add(middleware: RequestMetricsMiddleware(factory: metrics)) }
    router.add(middleware: RequestLogMiddleware(.debug))
    // Outside the problem mapping, so that error responses carry these headers too.
    router.add(middleware: SecurityHeadersMiddleware())
    if !security.corsAllowedOrigins.isEmpty { router.add(middleware: CORSPolicyMiddleware(allowedOrigins: security.corsAllowedOrigins)) }
    router.add(middleware: ProblemDetailsMiddleware())
    router.add(middleware: RequestLimitsMiddleware(maxBodyBytes: security.maxBodyBytes))
    // Who is calling, how often, and may they: the rate limit keys on the token's subject.
    if let verifier = security.verifier { router.add(middleware: BearerTokenAuthenticator(verifier: verifier, limiter: security.rateLimiter)) }
    if let limiter = security.rateLimiter { router.add(middleware: RateLimitMiddleware(limiter: limiter)) }
    if security.verifier != nil { router.add(middleware: ScopeAuthorizationMiddleware(policy: security.policy)) }
    router.addRoutes(
        CustomersController(mediator: mediator, idempotency: idempotency, clock: clock).endpoints,
        atPath: "/v1/customers"
    )
    router.addRoutes(HealthController(readiness: readiness).endpoints, atPath: "/health")
    if let events {
        router.addRoutes(OutboxAdminController(store: events.outbox, signal: events.signal).endpoints, atPath: "/admin/outbox")
        router.addRoutes(InboxAdminController(store: events.inbox).endpoints, atPath: "/admin/inbox")
        router.addRoutes(DashboardController(outbox: events.outbox, inbox: events.inbox, signal: events.signal, webhooks: webhooks?.store).endpoints, atPath: "/admin")
    }
    if let features { router.addRoutes(FeaturesController(flags: features).endpoints, atPath: "/admin/features") }
    if let verifier = security.verifier { router.addRoutes(AdminLoginController(verifier: verifier).endpoints, atPath: "/admin") }
    if let webhooks, let features {
        router.group("/admin/webhooks")
            .add(middleware: FeatureGateMiddleware(ProductFeatures.webhooks, flags: features))
            .addRoutes(webhooks.endpoints)
    }
    router.addRoutes(OpenAPIController().endpoints, atPath: "/openapi.json")
    if let renderMetrics { router.addRoutes(MetricsController(render: renderMetrics).endpoints, atPath: "/metrics") }
    // Last: a middleware added after every route wraps only the router's not-found responder.
    router.add(middleware: MethodNotAllowedMiddleware(routes: router.routes.map { ($0.path, $0.method) }))
    return router
}
