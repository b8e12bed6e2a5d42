import CustomerApplication
import Foundation
import Logging
import Persistence

/// The real databases the suites run against: SQLite always; PostgreSQL and MariaDB when
/// scripts/test started them (`CUSTOMERFLOW_TEST_POSTGRES_URL`, `CUSTOMERFLOW_TEST_MYSQL_URL`).
///
/// When `CUSTOMERFLOW_TEST_REQUIRE` names a database (scripts/test sets it), that database is
/// in the list even without a URL, so its tests fail loudly instead of disappearing.
public enum TestDatabase: String, CaseIterable, Sendable, CustomStringConvertible {
    case sqlite
    case postgres
    case mysql

    public var description: String { rawValue }

    public static var all: [TestDatabase] {
        let environment = ProcessInfo.processInfo.environment
        let required = Set((environment["CUSTOMERFLOW_TEST_REQUIRE"] ?? "").split(separator: ",").map(String.init))
        var list: [TestDatabase] = [.sqlite]
        if environment["CUSTOMERFLOW_TEST_POSTGRES_URL"] != nil || required.contains("postgres") {
            list.append(.postgres)
        }
        if environment["CUSTOMERFLOW_TEST_MYSQL_URL"] != nil || required.contains("mysql") {
            list.append(.mysql)
        }
        return list
    }

    public struct NotConfigured: Error, CustomStringConvertible {
        public let database: TestDatabase
        public var description: String {
            "\(database) is required but CUSTOMERFLOW_TEST_\(database.rawValue.uppercased())_URL is not set: run scripts/test"
        }
    }

    /// The URL of this database for tests. SQLite tests get a private in-memory database, or a
    /// temporary file when `file` is set (several connections, WAL).
    public func url(file: Bool = false) throws -> DatabaseURL {
        switch self {
        case .sqlite:
            if file {
                let path = FileManager.default.temporaryDirectory.appendingPathComponent("cf-test-\(UUID().uuidString).sqlite").path
                return .sqliteFile(path: path)
            }
            return .sqliteMemory
        case .postgres, .mysql:
            guard let text = ProcessInfo.processInfo.environment["CUSTOMERFLOW_TEST_\(rawValue.uppercased())_URL"] else {
                throw NotConfigured(database: self)
            }
            return try DatabaseURL(parsing: text)
        }
    }

    /// The server reserved for outage tests, which stop and start it
    /// (`CUSTOMERFLOW_TEST_POSTGRES_OUTAGE_URL` / `…_CONTROL`, the same for `MYSQL`): other suites
    /// keep running on the shared server meanwhile.
    public func outageURL() throws -> DatabaseURL {
        let name = "CUSTOMERFLOW_TEST_\(rawValue.uppercased())_OUTAGE_URL"
        guard let text = ProcessInfo.processInfo.environment[name] else { throw OutageServerMissing(variable: name) }
        return try DatabaseURL(parsing: text)
    }

    /// Stops or starts the outage server (`…_OUTAGE_CONTROL stop|start`).
    public func controlOutageServer(_ action: String) async throws {
        let name = "CUSTOMERFLOW_TEST_\(rawValue.uppercased())_OUTAGE_CONTROL"
        guard let script = ProcessInfo.processInfo.environment[name] else { throw OutageServerMissing(variable: name) }
        let status = try await ChildProcess.run("/bin/bash", [script, action])
        guard status == 0 else { throw OutageServerMissing(variable: "\(script) \(action) failed with status \(status); the variable") }
    }

    public struct OutageServerMissing: Error, CustomStringConvertible {
        public let variable: String
        public var description: String { "\(variable) is not set: run scripts/test" }
    }

    /// A fresh table prefix, so that tests sharing one PostgreSQL or MariaDB database never see each other.
    public static func uniquePrefix() -> String {
        "t" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(12).lowercased() + "_"
    }

    /// Opens the database with a fresh, migrated schema, runs `body`, and closes it.
    public func withMigratedDatabase<R: Sendable>(
        file: Bool = false,
        _ body: @Sendable (any DatabaseClient, SchemaNames) async throws -> R
    ) async throws -> R {
        let logger = Logger.quiet
        let client = try await DatabaseClients.open(try url(file: file), poolSize: 30, logger: logger)
        let names = try SchemaNames(prefix: Self.uniquePrefix())
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await client.run() }
            defer { group.cancelAll() }
            do {
                try await MigrationRunner(client: client, names: names, logger: logger).migrate()
                let result = try await body(client, names)
                await client.shutdown()
                return result
            } catch {
                await client.shutdown()
                throw error
            }
        }
    }
}
