import CustomerDomain
import Foundation
import Logging
import SQLKit

/// Applies pending migrations and reports whether the schema is current.
///
/// All pending migrations run in one transaction together with their bookkeeping rows, so a
/// failure leaves the schema as it was. Several instances starting at once are safe: on
/// PostgreSQL they queue on an advisory lock scoped to the table prefix, on SQLite on the single
/// writer; whoever comes second finds nothing left to do.
public struct MigrationRunner: Sendable {
    public let client: any DatabaseClient
    public let names: SchemaNames
    public let migrations: [Migration]
    let logger: Logger

    public init(client: any DatabaseClient, names: SchemaNames, logger: Logger) {
        self.init(client: client, names: names, migrations: Migrations.all, logger: logger)
    }

    init(client: any DatabaseClient, names: SchemaNames, migrations: [Migration], logger: Logger) {
        self.client = client
        self.names = names
        self.migrations = migrations.sorted { $0.version < $1.version }
        self.logger = logger
    }

    /// The newest schema version this build knows.
    public var latestVersion: Int { migrations.last?.version ?? 0 }

    /// Migrations not yet applied, oldest first.
    public func pending() async throws -> [Migration] {
        let applied = try await appliedVersions()
        return migrations.filter { !applied.contains($0.version) }
    }

    /// Whether every known migration has been applied. `false` (not an error) when the database
    /// has no migrations table yet.
    public func isUpToDate() async throws -> Bool {
        let applied = try await appliedVersions()
        return migrations.allSatisfy { applied.contains($0.version) }
    }

    /// Applies what is pending and returns what was applied.
    @discardableResult
    public func migrate() async throws -> [Migration] {
        let names = self.names
        let migrations = self.migrations
        let kind = client.kind
        let applied = try await client.withTransaction { database -> [Migration] in
            if kind == .postgres {
                try await database.raw("SELECT pg_advisory_xact_lock(hashtext(\(bind: "customerflow.migrations:" + names.prefix)))").run()
            }
            try await database.raw(SQLQueryString(Self.createTableSQL(kind: kind, names: names))).run()
            let rows = try await database.raw("SELECT version FROM \(ident: names.migrations)").all()
            let done = Set(try rows.map { try $0.decode(column: "version", as: Int.self) })
            var applied: [Migration] = []
            for migration in migrations where !done.contains(migration.version) {
                for statement in migration.sql(for: kind, names: names) {
                    try await database.raw(SQLQueryString(statement)).run()
                }
                try await database.raw(
                    """
                    INSERT INTO \(ident: names.migrations) (version, name, applied_at)
                    VALUES (\(bind: migration.version), \(bind: migration.name), \(bind: DatabaseTimestamp(Date())))
                    """
                ).run()
                applied.append(migration)
            }
            return applied
        }
        for migration in applied {
            logger.info("applied migration", metadata: ["version": "\(migration.version)", "name": "\(migration.name)"])
        }
        return applied
    }

    /// The SQL that ``migrate()`` would run now, for `migrate --dry-run`.
    public func pendingSQL() async throws -> [(Migration, [String])] {
        try await pending().map { ($0, $0.sql(for: client.kind, names: names)) }
    }

    private func appliedVersions() async throws -> Set<Int> {
        let names = self.names
        let kind = client.kind
        return try await client.withConnection { database in
            let exists = try await Self.tableExists(names.migrations, kind: kind, in: database)
            guard exists else { return [] }
            let rows = try await database.raw("SELECT version FROM \(ident: names.migrations)").all()
            return Set(try rows.map { try $0.decode(column: "version", as: Int.self) })
        }
    }

    static func tableExists(_ table: String, kind: DatabaseKind, in database: any SQLDatabase) async throws -> Bool {
        let rows: [any SQLRow]
        switch kind {
        case .postgres:
            rows = try await database.raw("SELECT 1 AS present FROM pg_catalog.pg_tables WHERE tablename = \(bind: table) AND schemaname = current_schema()").all()
        case .sqlite:
            rows = try await database.raw("SELECT 1 AS present FROM sqlite_master WHERE type = 'table' AND name = \(bind: table)").all()
        case .mysql:
            rows = try await database.raw(
                "SELECT 1 AS present FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = \(bind: table)"
            ).all()
        }
        return !rows.isEmpty
    }

    static func createTableSQL(kind: DatabaseKind, names: SchemaNames) -> String {
        let dialect = SchemaDialect(kind: kind)
        return """
            CREATE TABLE IF NOT EXISTS \(names.migrations) (
                version INTEGER PRIMARY KEY,
                name TEXT NOT NULL,
                applied_at \(dialect.timestamp) NOT NULL
            )
            """
    }
}
