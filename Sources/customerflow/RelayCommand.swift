import ArgumentParser
import CoreMetrics
import EventBus
import Logging
import Persistence
import ServiceLifecycle

/// `customerflow relay`: runs the outbox relay (and retention) alone, without the HTTP API, for
/// deployments that scale relays apart from API instances.
struct RelayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "relay", abstract: "Run the outbox relay without the HTTP API.")

    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        let configuration = try await CustomerFlowConfiguration.load(
            from: CustomerFlowConfiguration.reader(flags: database.flags, configFile: database.configFile)
        )
        // The in-memory transport lives inside one process: a relay on its own would mark every
        // event published to a bus nobody listens to.
        guard configuration.eventBus.transport != .memory else {
            throw ConfigurationError("eventBus.transport is memory: a relay alone needs a broker (rabbitmq); the in-memory bus works only inside serve")
        }
        let logger = LoggingSetup.logger(level: configuration.logLevel, standardOutput: true)
        let telemetry = try Telemetry.bootstrap(logger: logger)
        // A long-running service like `serve`: its connections opened at start (see database.poolMinimum).
        let client = try await DatabaseClients.open(configuration.databaseURL, poolSize: 4, poolMinimum: 4, logger: logger)
        let names = try SchemaNames(prefix: configuration.tablePrefix)
        // A relay alone serves no /metrics: its figures reach a collector over OTLP, if configured.
        let events = try EventBusComponents(
            settings: configuration.eventBus, database: client, names: names, logger: logger,
            metrics: telemetry?.metrics ?? NOOPMetricsHandler.instance)
        let migrations = MigrationRunner(client: client, names: names, logger: logger)
        let group = ServiceGroup(
            configuration: .init(
                services: (telemetry?.services ?? []).map { .init(service: $0) } + [
                    .init(service: DatabaseService(client: client)),
                    .init(service: TransportService(transport: events.transport)),
                    .init(service: SchemaCheck(migrations: migrations), successTerminationBehavior: .ignore),
                    .init(service: events.retention),
                    .init(service: events.relay),
                ],
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger
            )
        )
        logger.info("relay starting", metadata: ["id": "\(events.relay.id)", "database": "\(configuration.databaseURL)"])
        try await group.run()
    }
}

/// Refuses to relay against a schema that is not current: `customerflow migrate` comes first.
struct SchemaCheck: Service {
    let migrations: MigrationRunner

    func run() async throws {
        guard try await migrations.isUpToDate() else {
            throw ConfigurationError("the database schema is not current: run customerflow migrate first")
        }
    }
}
