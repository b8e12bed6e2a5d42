import ArgumentParser
import Logging
import Persistence

/// `customerflow migrate [--dry-run]`: applies pending migrations, or prints their SQL.
struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "migrate", abstract: "Apply pending database migrations.")

    @Flag(help: "Print the SQL of pending migrations without applying it.")
    var dryRun = false

    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        let dryRun = self.dryRun
        try await withDatabase(database) { client, names, logger in
            let runner = MigrationRunner(client: client, names: names, logger: logger)
            if dryRun {
                let pending = try await runner.pendingSQL()
                if pending.isEmpty { print("-- the schema is up to date (version \(runner.latestVersion))") }
                for (migration, statements) in pending {
                    print("-- migration \(migration.version): \(migration.name)")
                    for statement in statements { print(statement + ";") }
                }
            } else {
                let applied = try await runner.migrate()
                print(
                    applied.isEmpty
                        ? "The schema is up to date (version \(runner.latestVersion))."
                        : "Applied \(applied.count) migration(s); the schema is at version \(runner.latestVersion).")
            }
        }
    }
}

/// Runs a one-off command against the configured database: opens it, runs `body`, closes it.
func withDatabase<R: Sendable>(
    _ options: DatabaseOptions,
    quiet: Bool = false,
    _ body: @Sendable (any DatabaseClient, SchemaNames, Logger) async throws -> R
) async throws -> R {
    let configuration = try await CustomerFlowConfiguration.load(
        from: CustomerFlowConfiguration.reader(flags: options.flags, configFile: options.configFile)
    )
    let logger = LoggingSetup.logger(level: quiet ? .error : configuration.logLevel)
    let client = try await DatabaseClients.open(configuration.databaseURL, poolSize: 2, logger: logger)
    let names = try SchemaNames(prefix: configuration.tablePrefix)
    return try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { try await client.run() }
        defer { group.cancelAll() }
        do {
            let result = try await body(client, names, logger)
            await client.shutdown()
            return result
        } catch {
            await client.shutdown()
            throw error
        }
    }
}
