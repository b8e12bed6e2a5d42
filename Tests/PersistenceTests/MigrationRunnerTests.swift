import Logging
import Persistence
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
            #expect(pending.map(\.0.version) == [1])
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
            #expect(count == 7)
        }
    }

    @Test("a table prefix with characters other than letters, digits and underscores is refused")
    func refusesUnsafePrefix() {
        #expect(throws: DatabaseURLError.self) { try SchemaNames(prefix: "cf; DROP TABLE x; --") }
    }
}
