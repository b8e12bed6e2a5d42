import ArgumentParser
import Foundation
import Logging
import Persistence

/// `customerflow migrate [--dry-run] [--allow-destructive]`, `migrate status`,
/// `migrate baseline --version V`.
struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Apply pending database migrations, show where the schema stands, or baseline an existing schema.",
        subcommands: [Apply.self, Status.self, Baseline.self],
        defaultSubcommand: Apply.self
    )

    /// Applies pending migrations, or prints their SQL.
    struct Apply: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "apply", abstract: "Apply pending migrations (the default).")

        @Flag(help: "Print the SQL of pending migrations without applying anything.")
        var dryRun = false

        @Flag(help: "Also apply migrations marked destructive (drops, renames). Back up first.")
        var allowDestructive = false

        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let dryRun = self.dryRun
            let allowDestructive = self.allowDestructive
            try await withDatabase(database) { client, names, logger in
                let runner = MigrationRunner(client: client, names: names, logger: logger)
                if dryRun {
                    let pending = try await runner.pendingSQL()
                    if pending.isEmpty { print("-- the schema is up to date (version \(runner.latestVersion))") }
                    for (migration, statements) in pending {
                        print("-- migration \(migration.version): \(migration.name)\(migration.destructive ? " (destructive)" : "")")
                        for statement in statements { print(statement + ";") }
                    }
                } else {
                    let applied = try await runner.migrate(allowDestructive: allowDestructive)
                    print(
                        applied.isEmpty
                            ? "The schema is up to date (version \(runner.latestVersion))."
                            : "Applied \(applied.count) migration(s); the schema is at version \(runner.latestVersion).")
                }
            }
        }
    }

    /// Lists every migration with its state.
    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "status", abstract: "List migrations: applied, baseline, pending, changed.")

        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let states = try await withDatabase(database, quiet: true) { client, names, logger in
                try await MigrationRunner(client: client, names: names, logger: logger).status()
            }
            print("VERSION  STATUS            APPLIED AT                 DURATION  DESCRIPTION")
            for state in states {
                let applied = state.appliedAt.map { ISO8601DateFormatter().string(from: $0) } ?? "-"
                let duration = state.durationMilliseconds.map { "\($0) ms" } ?? "-"
                print(
                    pad(String(state.version), 8) + " " + pad(state.status.rawValue, 17) + " " + pad(applied, 26) + " " + pad(duration, 9) + " "
                        + state.description + (state.destructive ? " (destructive)" : ""))
            }
            if states.contains(where: { $0.status == .checksumChanged }) {
                throw ValidationError("an applied migration was changed after it ran; customerflow migrate will refuse until it is restored")
            }
        }

        private func pad(_ text: String, _ width: Int) -> String {
            text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
        }
    }

    /// Records migrations up to a version as present in a schema created by other means.
    struct Baseline: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "baseline",
            abstract: "Record migrations up to --version as already applied, for a database whose schema already matches it."
        )

        @Option(help: "The schema version the database already has.")
        var version: Int

        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let version = self.version
            try await withDatabase(database) { client, names, logger in
                try await MigrationRunner(client: client, names: names, logger: logger).baseline(version: version)
            }
            print("Baselined at version \(version); customerflow migrate will apply only later versions.")
        }
    }
}

/// Runs a one-off command against the configured database: opens it, runs `body`, closes it.
func withDatabase<R: Sendable>(
    _ options: DatabaseOptions,
    quiet: Bool = false,
    _ body: @Sendable (any DatabaseClient, SchemaNames, Logger) async throws -> R
) async throws -> R {
    try await withConfiguredDatabase(options, quiet: quiet) { _, client, names, logger in try await body(client, names, logger) }
}

/// ``withDatabase(_:quiet:_:)`` for commands that need the rest of the configuration too.
func withConfiguredDatabase<R: Sendable>(
    _ options: DatabaseOptions,
    quiet: Bool = false,
    poolSize: Int = 2,
    _ body: @Sendable (CustomerFlowConfiguration, any DatabaseClient, SchemaNames, Logger) async throws -> R
) async throws -> R {
    let configuration = try await CustomerFlowConfiguration.load(
        from: CustomerFlowConfiguration.reader(flags: options.flags, configFile: options.configFile)
    )
    let logger = LoggingSetup.logger(level: quiet ? .error : configuration.logLevel)
    let client = try await DatabaseClients.open(configuration.databaseURL, poolSize: poolSize, logger: logger)
    let names = try SchemaNames(prefix: configuration.tablePrefix)
    return try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { try await client.run() }
        defer { group.cancelAll() }
        do {
            let result = try await body(configuration, client, names, logger)
            await client.shutdown()
            return result
        } catch {
            await client.shutdown()
            throw error
        }
    }
}
