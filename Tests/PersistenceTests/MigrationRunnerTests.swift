import Foundation
import Logging
@testable import Persistence
import SQLKit
import TestSupport
import Testing

@Suite("Migrations")
struct MigrationRunnerTests {
    @Test("a fresh database is migrated to the latest version, and migrating again does nothing", arguments: TestDatabase.all)
    func migratesOnceThenNothingIsPending(database: TestDatabase) async throws {
        try await database.withMigratedDatabase { client, names async throws in
            let runner = MigrationRunner(client: client, names: names, logger: Logger(label: "test"))
            #expect(try await runner.isUpToDate())
            #expect(try await runner.pending().isEmpty)
            #expect(try await runner.migrate().isEmpty)
        }
    }

    @Test("an empty database reports every migration pending and is not up to date", arguments: TestDatabase.all)
    func reportsPendingOnEmptyDatabase(database: TestDatabase) async throws {
        let logger = Logger(label: "test")
        let client = try await DatabaseClients.open(try database.url(), logger: logger)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await client.run() }
            defer { group.cancelAll() }
            let runner = MigrationRunner(client: client, names: try SchemaNames(prefix: TestDatabase.uniquePrefix()), logger: logger)
            #expect(try await !runner.isUpToDate())
            let pending = try await runner.pendingSQL()
            #expect(pending.map(\.0.version) == [1, 2, 3])
            #expect(pending.first?.1.contains { $0.contains("CREATE TABLE") } == true)
            // A dry run applies nothing.
            #expect(try await !runner.isUpToDate())
            await client.shutdown()
        }
    }

    @Test("tables and indexes carry the configured prefix", arguments: TestDatabase.all)
    func tablesCarryThePrefix(database: TestDatabase) async throws {
        try await database.withMigratedDatabase { client, names async throws in
            let count = try await client.withConnection { db -> Int in
                let sql: SQLQueryString = switch client.kind {
                case .postgres: "SELECT COUNT(*) AS n FROM pg_catalog.pg_tables WHERE tablename LIKE \(bind: names.prefix + "%")"
                case .mysql:
                    "SELECT COUNT(*) AS n FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name LIKE \(bind: names.prefix + "%")"
                case .sqlite: "SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'table' AND name LIKE \(bind: names.prefix + "%")"
                }
                return try await db.raw(sql).first()?.decode(column: "n", as: Int.self) ?? 0
            }
            #expect(count == 9)
        }
    }

    @Test("a table prefix with characters other than letters, digits and underscores is refused")
    func refusesUnsafePrefix() {
        #expect(throws: DatabaseURLError.self) { try SchemaNames(prefix: "cf; DROP TABLE x; --") }
    }

    // MARK: - History, checksums, locking, baseline

    /// Three additive steps over two tables, written for every dialect.
    static let steps: [Migration] = [
        Migration(version: 1, name: "create a") { d, n in ["CREATE TABLE \(n.prefix)a (id INTEGER NOT NULL PRIMARY KEY, label TEXT NULL)\(d.tableOptions)"] },
        Migration(version: 2, name: "create b") { d, n in ["CREATE TABLE \(n.prefix)b (id INTEGER NOT NULL PRIMARY KEY)\(d.tableOptions)"] },
        Migration(version: 3, name: "add a.note") { _, n in ["ALTER TABLE \(n.prefix)a ADD COLUMN note TEXT NULL"] },
    ]

    /// Opens `count` clients on one fresh database (SQLite: one file), runs `body`, closes them.
    private func withClients<R: Sendable>(
        _ database: TestDatabase, count: Int = 1, _ body: @Sendable ([any DatabaseClient], SchemaNames) async throws -> R
    ) async throws -> R {
        let url = try database.url(file: true)
        var clients: [any DatabaseClient] = []
        for _ in 0..<count { clients.append(try await DatabaseClients.open(url, poolSize: 4, logger: .quiet)) }
        let names = try SchemaNames(prefix: TestDatabase.uniquePrefix())
        let opened = clients
        return try await withThrowingTaskGroup(of: Void.self) { group in
            for client in opened { group.addTask { try await client.run() } }
            defer { group.cancelAll() }
            do {
                let result = try await body(opened, names)
                for client in opened { await client.shutdown() }
                return result
            } catch {
                for client in opened { await client.shutdown() }
                throw error
            }
        }
    }

    private func tableExists(_ table: String, _ client: any DatabaseClient) async throws -> Bool {
        try await client.withConnection { db in try await MigrationRunner.tableExists(table, kind: client.kind, in: db) }
    }

    private func historyRows(_ client: any DatabaseClient, _ names: SchemaNames) async throws -> [(Int, String)] {
        try await client.withConnection { db in
            try await db.raw("SELECT version, kind FROM \(ident: names.schemaHistory) ORDER BY version").all().map {
                (try $0.decode(column: "version", as: Int.self), try $0.decode(column: "kind", as: String.self))
            }
        }
    }

    @Test("a dry run prints every pending statement and creates nothing, not even the history table", arguments: TestDatabase.all)
    func dryRunChangesNothing(database: TestDatabase) async throws {
        try await withClients(database) { clients, names in
            let runner = MigrationRunner(client: clients[0], names: names, migrations: Self.steps, logger: .quiet)
            let planned = try await runner.pendingSQL()
            #expect(planned.map(\.0.version) == [1, 2, 3])
            #expect(planned[0].1 == ["CREATE TABLE \(names.prefix)a (id INTEGER NOT NULL PRIMARY KEY, label TEXT NULL)\(SchemaDialect(kind: clients[0].kind).tableOptions)"])
            #expect(try await !tableExists(names.schemaHistory, clients[0]))
            #expect(try await !tableExists(names.prefix + "a", clients[0]))
        }
    }

    @Test("history rows carry version, description, checksum, time and duration; status reads them back", arguments: TestDatabase.all)
    func historyIsRecorded(database: TestDatabase) async throws {
        try await withClients(database) { clients, names in
            let runner = MigrationRunner(client: clients[0], names: names, migrations: Self.steps, logger: .quiet)
            #expect(try await runner.migrate().map(\.version) == [1, 2, 3])
            let states = try await runner.status()
            #expect(states.map(\.status) == [.applied, .applied, .applied])
            #expect(states.map(\.description) == ["create a", "create b", "add a.note"])
            #expect(states.allSatisfy { $0.appliedAt != nil && ($0.durationMilliseconds ?? -1) >= 0 })
            let checksums = try await clients[0].withConnection { db in
                try await db.raw("SELECT checksum FROM \(ident: names.schemaHistory) ORDER BY version").all().map {
                    try $0.decode(column: "checksum", as: String.self)
                }
            }
            #expect(checksums == Self.steps.map { $0.checksum(for: clients[0].kind) })
            #expect(checksums.allSatisfy { $0.count == 64 })
        }
    }

    @Test("an applied migration whose checksum changed is refused, and nothing later is applied", arguments: TestDatabase.all)
    func tamperedChecksumIsRefused(database: TestDatabase) async throws {
        try await withClients(database) { clients, names in
            let client = clients[0]
            try await MigrationRunner(client: client, names: names, migrations: Array(Self.steps.prefix(2)), logger: .quiet).migrate()
            try await client.withTransaction { db in
                try await db.raw("UPDATE \(ident: names.schemaHistory) SET checksum = 'edited' WHERE version = 1").run()
            }
            let runner = MigrationRunner(client: client, names: names, migrations: Self.steps, logger: .quiet)
            let error = try await #require(throws: MigrationError.self) { try await runner.migrate() }
            #expect(error.code == .checksumMismatch)
            #expect(error.message.contains("migration 1 (create a) was changed after it was applied"))
            #expect(try await runner.status().map(\.status) == [.checksumChanged, .applied, .pending])
            #expect(try await historyRows(client, names).map(\.0) == [1, 2])
            await #expect(throws: MigrationError.self) { try await runner.pendingSQL() }
        }
    }

    @Test("two instances migrating at once apply each migration exactly once", arguments: TestDatabase.all)
    func concurrentMigratesApplyOnce(database: TestDatabase) async throws {
        try await withClients(database, count: 2) { clients, names in
            let first = MigrationRunner(client: clients[0], names: names, migrations: Self.steps, logger: .quiet)
            let second = MigrationRunner(client: clients[1], names: names, migrations: Self.steps, logger: .quiet)
            async let a = first.migrate()
            async let b = second.migrate()
            let (appliedByFirst, appliedBySecond) = try await (a, b)
            #expect((appliedByFirst + appliedBySecond).map(\.version).sorted() == [1, 2, 3])
            #expect(try await historyRows(clients[0], names).map(\.0) == [1, 2, 3])
        }
    }

    @Test("baseline records the existing versions; migrate then applies only later ones", arguments: TestDatabase.all)
    func baselineThenMigrate(database: TestDatabase) async throws {
        try await withClients(database) { clients, names in
            let client = clients[0]
            // The schema of version 1 exists already, made by other means.
            try await client.withTransaction { db in
                try await db.raw(SQLQueryString(Self.steps[0].sql(for: client.kind, names: names)[0])).run()
            }
            let runner = MigrationRunner(client: client, names: names, migrations: Self.steps, logger: .quiet)
            try await runner.baseline(version: 1)
            #expect(try await runner.status().map(\.status) == [.baseline, .pending, .pending])
            #expect(try await runner.migrate().map(\.version) == [2, 3])
            #expect(try await historyRows(client, names).map(\.1) == ["baseline", "migration", "migration"])
            // A second baseline is refused: the history is no longer empty.
            let error = try await #require(throws: MigrationError.self) { try await runner.baseline(version: 2) }
            #expect(error.code == .historyNotEmpty)
            await #expect(throws: MigrationError.self) { try await runner.baseline(version: 9) }
        }
    }

    @Test("a destructive migration runs only when allowed; an undeclared one never", arguments: TestDatabase.all)
    func destructiveMigrationsNeedConsent(database: TestDatabase) async throws {
        try await withClients(database) { clients, names in
            let client = clients[0]
            let drop = Migration(version: 4, name: "drop b", destructive: true) { _, n in ["DROP TABLE \(n.prefix)b"] }
            let runner = MigrationRunner(client: client, names: names, migrations: Self.steps + [drop], logger: .quiet)
            let refused = try await #require(throws: MigrationError.self) { try await runner.migrate() }
            #expect(refused.code == .destructive)
            #expect(try await historyRows(client, names).map(\.0) == [1, 2, 3])
            #expect(try await tableExists(names.prefix + "b", client))
            #expect(try await runner.migrate(allowDestructive: true).map(\.version) == [4])
            #expect(try await !tableExists(names.prefix + "b", client))

            let sneaky = Migration(version: 5, name: "rename a") { _, n in ["ALTER TABLE \(n.prefix)a RENAME TO \(n.prefix)c"] }
            let linted = MigrationRunner(client: client, names: names, migrations: Self.steps + [drop, sneaky], logger: .quiet)
            let undeclared = try await #require(throws: MigrationError.self) { try await linted.migrate(allowDestructive: true) }
            #expect(undeclared.code == .undeclaredDestructive)
            #expect(try await tableExists(names.prefix + "a", client))
        }
    }

    @Test("with no prefix, a database holding CustomerFlow's tables under cf_ is refused instead of getting a second schema")
    func tablesUnderTheOldDefaultPrefixAreRefused() async throws {
        let url = try TestDatabase.sqlite.url(file: true)
        let client = try await DatabaseClients.open(url, logger: .quiet)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await client.run() }
            defer { group.cancelAll() }
            try await MigrationRunner(client: client, names: try SchemaNames(prefix: "cf_"), migrations: Self.steps, logger: .quiet).migrate()
            let unprefixed = MigrationRunner(client: client, names: try SchemaNames(prefix: ""), migrations: Self.steps, logger: .quiet)
            let error = try await #require(throws: MigrationError.self) { try await unprefixed.migrate() }
            #expect(error.code == .otherPrefix)
            #expect(try await !tableExists("a", client))
            await client.shutdown()
        }
    }

    @Test("the destructive-statement check: drops, renames, type changes; not words in comments, literals or names")
    func destructiveStatementCheck() {
        for statement in [
            "DROP TABLE a", "ALTER TABLE a RENAME TO b", "ALTER TABLE a CHANGE x y INT", "ALTER TABLE a MODIFY x INT",
            "ALTER TABLE a ALTER x TYPE BIGINT", "ALTER TABLE a ALTER COLUMN x SET DEFAULT 1", "TRUNCATE a", "DELETE FROM a",
        ] {
            #expect(Migration.isDestructive(statement), "\(statement)")
        }
        for statement in [
            "CREATE TABLE a (x2drop INT, note TEXT DEFAULT 'drop me')", "-- we never DROP anything\nCREATE INDEX i ON a (x)",
            "CREATE TABLE b (id INT) /* RENAME later */", "ALTER TABLE a ADD COLUMN changed_at INT",
            "ALTER TABLE outbox SET (fillfactor = 70)", "CREATE TABLE c (id INT REFERENCES a (id) ON DELETE CASCADE)",
        ] {
            #expect(!Migration.isDestructive(statement), "\(statement)")
        }
    }

    @Test("CustomerFlow's own migrations add only: none drops, renames or rewrites")
    func releasedMigrationsAreAdditive() {
        for kind in [DatabaseKind.sqlite, .postgres, .mysql] {
            for migration in Migrations.all {
                #expect(migration.destructive || migration.destructiveStatements(for: kind).isEmpty, "\(kind) \(migration.version)")
            }
        }
    }

    @Test("checksums do not depend on the table prefix, and differ between dialects")
    func checksumsIgnoreThePrefix() throws {
        let migration = Migrations.all[0]
        #expect(migration.checksum(for: .postgres) == migration.checksum(for: .postgres))
        #expect(migration.checksum(for: .postgres) != migration.checksum(for: .mysql))
        #expect(migration.sql(for: .postgres, names: try SchemaNames(prefix: "cf_")) != migration.sql(for: .postgres, names: .unprefixed))
    }
}

