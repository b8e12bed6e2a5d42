import CustomerDomain
import Foundation
import Logging
import SQLKit

/// Applies pending migrations, records them in the schema-history table, and reports where the
/// schema stands.
///
/// Each migration runs in its own transaction together with its history row where the database
/// allows DDL in a transaction (PostgreSQL, SQLite); MySQL commits each DDL statement on its own,
/// so there a migration that fails half-way must be finished by hand (the error says which).
/// Several instances migrating at once take turns on a lock scoped to the table prefix — an
/// advisory lock (PostgreSQL), `GET_LOCK` (MySQL), the single writer (SQLite) — and whoever comes
/// second re-reads the history and finds nothing left to do.
///
/// - Important: Before applying anything the runner checks every applied migration's checksum
///   against this build's SQL and refuses on a difference; it refuses destructive migrations
///   unless asked (`allowDestructive`), and any migration that drops or renames without being
///   marked destructive.
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

    // MARK: - Reading

    /// Every known or recorded migration, oldest first.
    public func status() async throws -> [MigrationState] {
        let history = try await readHistory()
        let kind = client.kind
        var states: [MigrationState] = migrations.map { migration in
            guard let row = history[migration.version] else {
                return MigrationState(
                    version: migration.version, description: migration.name, status: .pending, destructive: migration.destructive,
                    appliedAt: nil, durationMilliseconds: nil)
            }
            let status: MigrationState.Status =
                row.checksum != migration.checksum(for: kind) ? .checksumChanged : row.baseline ? .baseline : .applied
            return MigrationState(
                version: migration.version, description: migration.name, status: status, destructive: migration.destructive,
                appliedAt: row.appliedAt, durationMilliseconds: row.durationMilliseconds)
        }
        let known = Set(migrations.map(\.version))
        for row in history.values where !known.contains(row.version) {
            states.append(
                MigrationState(
                    version: row.version, description: row.description, status: .unknown, destructive: false,
                    appliedAt: row.appliedAt, durationMilliseconds: row.durationMilliseconds))
        }
        return states.sorted { $0.version < $1.version }
    }

    /// Migrations not yet applied, oldest first.
    public func pending() async throws -> [Migration] {
        let history = try await readHistory()
        return migrations.filter { history[$0.version] == nil }
    }

    /// Whether every known migration has been applied. `false` (not an error) when the database
    /// has no history table yet.
    public func isUpToDate() async throws -> Bool {
        try await pending().isEmpty
    }

    /// The SQL that ``migrate(allowDestructive:)`` would run now, for `migrate --dry-run`. Reads
    /// only: a dry run creates nothing, not even the history table.
    public func pendingSQL() async throws -> [(Migration, [String])] {
        let history = try await readHistory()
        try verify(history)
        return migrations.filter { history[$0.version] == nil }.map { ($0, $0.sql(for: client.kind, names: names)) }
    }

    // MARK: - Writing

    /// Applies what is pending, oldest first, and returns what was applied.
    @discardableResult
    public func migrate(allowDestructive: Bool = false) async throws -> [Migration] {
        try lint()
        try await refuseTablesOfAnotherPrefix()
        let kind = client.kind
        let names = self.names
        var applied: [Migration] = []
        for migration in migrations {
            let ran = try await locked { database -> Bool in
                let history = try await self.prepareHistory(database)
                try self.verify(history)
                guard history[migration.version] == nil else { return false }
                if migration.destructive && !allowDestructive {
                    throw MigrationError(
                        .destructive,
                        "migration \(migration.version) (\(migration.name)) is destructive; back up the database, then run customerflow migrate --allow-destructive"
                    )
                }
                let started = ContinuousClock.now
                for (index, statement) in migration.sql(for: kind, names: names).enumerated() {
                    do {
                        try await database.raw(SQLQueryString(statement)).run()
                    } catch {
                        let note = kind == .mysql && index > 0
                            ? " (MySQL committed its first \(index) statement(s): undo them or finish the migration by hand before retrying)" : ""
                        self.logger.error(
                            "migration failed", metadata: ["version": "\(migration.version)", "statement": "\(index + 1)", "error": "\(error)"])
                        throw error is MigrationError ? error : MigrationFailure(version: migration.version, name: migration.name, note: note, cause: error)
                    }
                }
                let elapsed = ContinuousClock.now - started
                let milliseconds = Int(elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000)
                try await self.record(migration, baseline: false, durationMilliseconds: milliseconds, in: database)
                return true
            }
            if ran {
                applied.append(migration)
                logger.info("applied migration", metadata: ["version": "\(migration.version)", "name": "\(migration.name)"])
            }
        }
        return applied
    }

    /// Records every migration up to `version` as already present, for a database whose schema
    /// was created by other means (an older tool, a restored dump) and matches that version.
    /// Refused when the history has any row.
    public func baseline(version: Int) async throws {
        guard migrations.contains(where: { $0.version == version }) else {
            throw MigrationError(
                .unknownVersion, "this build has no migration \(version); known versions: \(migrations.map { String($0.version) }.joined(separator: ", "))")
        }
        let covered = migrations.filter { $0.version <= version }
        try await locked { database in
            let history = try await self.prepareHistory(database)
            guard history.isEmpty else {
                throw MigrationError(
                    .historyNotEmpty, "the schema history already has \(history.count) migration(s); baseline is only for a database without one")
            }
            for migration in covered {
                try await self.record(migration, baseline: true, durationMilliseconds: 0, in: database)
            }
        }
        logger.info("baselined the schema history", metadata: ["version": "\(version)"])
    }

    /// With no prefix and no history, a database that has CustomerFlow's tables under `cf_` (the
    /// default before the prefix became empty) would get a second, empty schema: refused.
    private func refuseTablesOfAnotherPrefix() async throws {
        guard names.prefix.isEmpty else { return }
        let kind = client.kind
        let found = try await client.withConnection { database -> Bool in
            for own in ["schema_history", "schema_migrations"] where try await Self.tableExists(own, kind: kind, in: database) { return false }
            for old in ["cf_schema_history", "cf_schema_migrations"] where try await Self.tableExists(old, kind: kind, in: database) { return true }
            return false
        }
        if found {
            throw MigrationError(
                .otherPrefix,
                "this database holds CustomerFlow tables prefixed cf_ and none without a prefix: set database.tablePrefix to cf_ (the default of earlier builds)")
        }
    }

    // MARK: - History

    struct HistoryRow: Sendable {
        let version: Int
        let description: String
        let baseline: Bool
        let checksum: String
        let appliedAt: Date?
        let durationMilliseconds: Int?
    }

    /// Refuses migrations that drop or rename without being marked destructive.
    func lint() throws {
        for migration in migrations where !migration.destructive {
            let offending = migration.destructiveStatements(for: client.kind)
            if let first = offending.first {
                throw MigrationError(
                    .undeclaredDestructive,
                    "migration \(migration.version) (\(migration.name)) is not marked destructive but runs: \(first.prefix(120))")
            }
        }
    }

    /// Refuses when an applied migration's SQL is not what this build would run.
    func verify(_ history: [Int: HistoryRow]) throws {
        for migration in migrations {
            guard let row = history[migration.version] else { continue }
            let expected = migration.checksum(for: client.kind)
            if row.checksum != expected {
                throw MigrationError(
                    .checksumMismatch,
                    "migration \(migration.version) (\(migration.name)) was changed after it was applied: recorded checksum \(row.checksum.prefix(12))…, this build has \(expected.prefix(12))…; restore the released migration and add a new one instead"
                )
            }
        }
    }

    private func readHistory() async throws -> [Int: HistoryRow] {
        let names = self.names
        let kind = client.kind
        let migrations = self.migrations
        return try await client.withConnection { database in
            if try await Self.tableExists(names.schemaHistory, kind: kind, in: database) {
                return try await Self.history(names: names, in: database)
            }
            if try await Self.tableExists(names.legacyMigrations, kind: kind, in: database) {
                return try await Self.legacyHistory(names: names, kind: kind, migrations: migrations, in: database)
            }
            return [:]
        }
    }

    /// Creates the history table if needed and reads it, under the lock. Versions a legacy
    /// history table recorded are adopted first (each time, so an adoption cut short by a crash
    /// is finished by the next run).
    private func prepareHistory(_ database: any SQLDatabase, adoptLegacy: Bool = true) async throws -> [Int: HistoryRow] {
        let kind = client.kind
        if !(try await Self.tableExists(names.schemaHistory, kind: kind, in: database)) {
            try await database.raw(SQLQueryString(Self.createHistorySQL(kind: kind, names: names))).run()
        }
        var history = try await Self.history(names: names, in: database)
        if adoptLegacy, try await Self.tableExists(names.legacyMigrations, kind: kind, in: database) {
            let legacy = try await Self.legacyHistory(names: names, kind: kind, migrations: migrations, in: database)
            let missing = migrations.filter { legacy[$0.version] != nil && history[$0.version] == nil }
            for migration in missing {
                try await record(migration, baseline: false, durationMilliseconds: 0, in: database)
            }
            if !missing.isEmpty { history = try await Self.history(names: names, in: database) }
        }
        return history
    }

    private func record(_ migration: Migration, baseline: Bool, durationMilliseconds: Int, in database: any SQLDatabase) async throws {
        try await database.raw(
            """
            INSERT INTO \(ident: names.schemaHistory) (version, description, kind, checksum, applied_at, duration_ms)
            VALUES (\(bind: migration.version), \(bind: migration.name), \(bind: baseline ? "baseline" : "migration"),
                    \(bind: migration.checksum(for: client.kind)), \(bind: DatabaseTimestamp(Date())), \(bind: durationMilliseconds))
            """
        ).run()
    }

    private static func history(names: SchemaNames, in database: any SQLDatabase) async throws -> [Int: HistoryRow] {
        let rows = try await database.raw(
            "SELECT version, description, kind, checksum, applied_at, duration_ms FROM \(ident: names.schemaHistory)"
        ).all()
        var history: [Int: HistoryRow] = [:]
        for row in rows {
            let version = try row.decode(column: "version", as: Int.self)
            history[version] = HistoryRow(
                version: version,
                description: try row.decode(column: "description", as: String.self),
                baseline: try row.decode(column: "kind", as: String.self) == "baseline",
                checksum: try row.decode(column: "checksum", as: String.self),
                appliedAt: try row.decode(column: "applied_at", as: DatabaseTimestamp.self).date,
                durationMilliseconds: try row.decode(column: "duration_ms", as: Int.self)
            )
        }
        return history
    }

    /// The versions a build before checksums recorded; they ran the SQL of their day, which for
    /// released migrations is this build's.
    private static func legacyHistory(
        names: SchemaNames, kind: DatabaseKind, migrations: [Migration], in database: any SQLDatabase
    ) async throws -> [Int: HistoryRow] {
        let rows = try await database.raw("SELECT version FROM \(ident: names.legacyMigrations)").all()
        var history: [Int: HistoryRow] = [:]
        for row in rows {
            let version = try row.decode(column: "version", as: Int.self)
            guard let migration = migrations.first(where: { $0.version == version }) else { continue }
            history[version] = HistoryRow(
                version: version, description: migration.name, baseline: false, checksum: migration.checksum(for: kind),
                appliedAt: nil, durationMilliseconds: nil)
        }
        return history
    }

    // MARK: - Locking

    /// Runs `body` holding the migration lock of this prefix: in a transaction with an advisory
    /// lock (PostgreSQL), in a transaction on the single writer (SQLite), or on one connection
    /// holding `GET_LOCK` (MySQL, where DDL cannot be rolled back anyway).
    private func locked<R: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        let lockName = "customerflow.migrations:" + names.prefix
        switch client.kind {
        case .postgres:
            return try await client.withTransaction { database in
                try await database.raw("SELECT pg_advisory_xact_lock(hashtext(\(bind: lockName)))").run()
                return try await body(database)
            }
        case .sqlite:
            return try await client.withTransaction(body)
        case .mysql:
            return try await client.withConnection { database in
                let acquired = try await database.raw("SELECT GET_LOCK(\(bind: lockName), 120) AS acquired").first()?
                    .decodeOptional(column: "acquired", as: Int.self)
                guard acquired == 1 else {
                    throw MigrationError(.lockTimeout, "another instance has been migrating for two minutes; try again when it is done")
                }
                do {
                    let result = try await body(database)
                    try await database.raw("SELECT RELEASE_LOCK(\(bind: lockName)) AS released").run()
                    return result
                } catch {
                    _ = try? await database.raw("SELECT RELEASE_LOCK(\(bind: lockName)) AS released").run()
                    throw error
                }
            }
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

    static func createHistorySQL(kind: DatabaseKind, names: SchemaNames) -> String {
        let dialect = SchemaDialect(kind: kind)
        return """
            CREATE TABLE IF NOT EXISTS \(names.schemaHistory) (
                version INTEGER NOT NULL PRIMARY KEY,
                description TEXT NOT NULL,
                kind \(dialect.indexedText(16)) NOT NULL,
                checksum \(dialect.indexedText(64)) NOT NULL,
                applied_at \(dialect.timestamp) NOT NULL,
                duration_ms INTEGER NOT NULL
            )\(dialect.tableOptions)
            """
    }
}

/// A migration statement failed; the schema is as it was before the migration (except on MySQL,
/// see `note`).
public struct MigrationFailure: Error, CustomStringConvertible {
    public let version: Int
    public let name: String
    let note: String
    public let cause: any Error
    public var description: String { "migration \(version) (\(name)) failed: \(cause)\(note)" }
}
