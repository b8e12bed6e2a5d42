import Foundation
@testable import Persistence
import SQLKit
import TestSupport
import Testing

/// `customerflow import` against a legacy schema: CustomerFlow moves into a database beside a
/// `clientes` table (`tablePrefix = cf_`), migrates, and imports from it with a query.
@Suite("customerflow import from a legacy schema", .serialized)
struct ImportCommandTests {
    /// A fresh database on the test server (SQLite: a new file), so that `cf_` is free.
    private func freshDatabase(_ database: TestDatabase) async throws -> String {
        let name = "legacy_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(10).lowercased()
        switch database {
        case .sqlite:
            return "sqlite://" + FileManager.default.temporaryDirectory.appendingPathComponent("\(name).sqlite").path
        case .postgres, .mysql:
            let variable = "CUSTOMERFLOW_TEST_\(database.rawValue.uppercased())_URL"
            let base = try #require(ProcessInfo.processInfo.environment[variable])
            try await withClient(try DatabaseURL(parsing: base)) { client in
                try await client.withConnection { db in try await db.raw("CREATE DATABASE \(unsafeRaw: name)").run() }
            }
            return base.replacingOccurrences(of: "/customerflow?", with: "/\(name)?")
        }
    }

    private func withClient<R: Sendable>(_ url: DatabaseURL, _ body: @Sendable (any DatabaseClient) async throws -> R) async throws -> R {
        let client = try await DatabaseClients.open(url, poolSize: 2, logger: .quiet)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await client.run() }
            defer { group.cancelAll() }
            do {
                let result = try await body(client)
                await client.shutdown()
                return result
            } catch {
                await client.shutdown()
                throw error
            }
        }
    }

    private func cli(_ arguments: [String], url: String) async throws -> (status: ChildProcess.Termination, output: String) {
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("cf-import-\(UUID().uuidString).log").path
        let process = try ChildProcess.spawn(
            ServeCommandTests.executable.path, arguments + ["--database-url", url],
            environment: [
                "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "", "CUSTOMERFLOW_LOG_LEVEL": "error",
                "CUSTOMERFLOW_DATABASE_TABLE_PREFIX": "cf_",
            ],
            output: output
        )
        let status = await process.wait()
        return (status, (try? String(contentsOfFile: output, encoding: .utf8)) ?? "")
    }

    private func count(_ sql: SQLQueryString, _ client: any DatabaseClient) async throws -> Int {
        try await client.withConnection { db in try await db.raw(sql).first()?.decode(column: "n", as: Int.self) ?? -1 }
    }

    @Test("valid rows become customers with events, invalid ones are reported with reasons, the legacy table is untouched, and a second import adds nothing", arguments: TestDatabase.all)
    func importsFromLegacyTable(database: TestDatabase) async throws {
        let url = try await freshDatabase(database)
        let q = database == .mysql ? "`" : "\""
        let legacyRows: [[String]] = try await withClient(try DatabaseURL(parsing: url)) { client async throws in
            let dateType = client.kind == .sqlite ? "TEXT" : "DATE"
            try await client.withConnection { db in
                try await db.raw(
                    """
                    CREATE TABLE clientes (
                        codigo INTEGER NOT NULL PRIMARY KEY, nome VARCHAR(200) NULL, email VARCHAR(200) NULL, telefone VARCHAR(40) NULL,
                        cpf VARCHAR(20) NULL, nascimento \(unsafeRaw: dateType) NULL, rua VARCHAR(200) NULL, numero VARCHAR(20) NULL,
                        cidade VARCHAR(100) NULL, cep VARCHAR(20) NULL, pais CHAR(2) NULL
                    )
                    """
                ).run()
                try await db.raw(
                    """
                    INSERT INTO clientes VALUES
                    (1, 'Ana Souza', 'ana@example.com', '+55 11 98765-4321', '529.982.247-25', '1990-05-17', 'Rua A', '10', 'São Paulo', '01310-100', 'BR'),
                    (2, 'Bruno Lima', 'bruno@example.com', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
                    (3, 'Carla Dias 😀', 'carla@example.com', NULL, NULL, '1985-12-01', 'Av. B', '200', 'Recife', '50000-000', 'BR'),
                    (4, 'Duda', 'nao-e-um-email', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
                    (5, 'Eva Reis', 'eva@example.com', NULL, '111.111.111-11', NULL, NULL, NULL, NULL, NULL, NULL),
                    (6, 'Ana S. (duplicada)', 'ANA@example.com', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)
                    """
                ).run()
            }
            return try await Self.legacyContent(client)
        }
        let query = """
            SELECT nome AS name, email AS email, telefone AS phone, CASE WHEN cpf IS NULL THEN NULL ELSE 'cpf' END AS \(q)document.type\(q), \
            cpf AS \(q)document.number\(q), nascimento AS \(q)birthDate\(q), rua AS \(q)address.street\(q), numero AS \(q)address.number\(q), \
            cidade AS \(q)address.city\(q), cep AS \(q)address.postalCode\(q), pais AS \(q)address.country\(q) FROM clientes ORDER BY codigo
            """
        let rejects = FileManager.default.temporaryDirectory.appendingPathComponent("rejects-\(UUID().uuidString).jsonl").path

        let migrate = try await cli(["migrate"], url: url)
        #expect(migrate.status == .exited(0), "\(migrate.output)")

        let dryRun = try await cli(["import", "--source-url", url, "--query", query, "--rejects", rejects, "--dry-run"], url: url)
        #expect(dryRun.status == .exited(3), "\(dryRun.output)")
        #expect(dryRun.output.contains("6 row(s) read; 3 would be imported, 1 skipped (already present), 2 rejected"), "\(dryRun.output)")

        let first = try await cli(["import", "--source-url", url, "--query", query, "--rejects", rejects, "--batch-size", "2"], url: url)
        #expect(first.status == .exited(3), "\(first.output)")
        #expect(first.output.contains("6 row(s) read: 3 imported, 1 skipped (already present), 2 rejected"), "\(first.output)")

        let lines = try String(contentsOfFile: rejects, encoding: .utf8).split(separator: "\n")
        let rejected = try lines.map { try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
        #expect(rejected.compactMap { $0["row"] as? Int }.sorted() == [4, 5])
        let reasons = rejected.flatMap { ($0["errors"] as? [[String: String]] ?? []).map { "\($0["field"] ?? ""):\($0["code"] ?? "")" } }
        #expect(reasons.contains("email:invalid_email"), "\(reasons)")
        #expect(reasons.contains { $0.hasPrefix("document.number:") }, "\(reasons)")
        #expect(rejected.contains { ($0["source"] as? [String: Any])?["email"] as? String == "nao-e-um-email" })

        try await withClient(try DatabaseURL(parsing: url)) { client async throws in
            #expect(try await count("SELECT COUNT(*) AS n FROM cf_customers", client) == 3)
            #expect(try await count("SELECT COUNT(*) AS n FROM cf_outbox WHERE type = 'customer.registered.v1'", client) == 3)
            #expect(try await count("SELECT COUNT(*) AS n FROM cf_customer_history", client) == 3)
            #expect(try await count("SELECT COUNT(*) AS n FROM cf_customer_addresses", client) == 2)
            #expect(try await count("SELECT COUNT(*) AS n FROM cf_customers WHERE name = 'Carla Dias 😀' AND birth_date IS NOT NULL", client) == 1)
            #expect(try await Self.legacyContent(client) == legacyRows)
        }

        let second = try await cli(["import", "--source-url", url, "--query", query, "--rejects", rejects], url: url)
        #expect(second.output.contains("6 row(s) read: 0 imported, 4 skipped (already present), 2 rejected"), "\(second.output)")
        try await withClient(try DatabaseURL(parsing: url)) { client async throws in
            #expect(try await count("SELECT COUNT(*) AS n FROM cf_customers", client) == 3)
            #expect(try await count("SELECT COUNT(*) AS n FROM cf_outbox", client) == 3)
        }

        let misspelt = try await cli(["import", "--source-url", url, "--query", "SELECT nome AS nome FROM clientes"], url: url)
        #expect(misspelt.status != .exited(0) && misspelt.status != .exited(3))
        #expect(misspelt.output.contains("nome") && misspelt.output.contains("name no field"), "\(misspelt.output)")
    }

    /// Every legacy row as text, to prove the import left the table as it was.
    private static func legacyContent(_ client: any DatabaseClient) async throws -> [[String]] {
        try await client.withConnection { db in
            try await db.raw("SELECT * FROM clientes ORDER BY codigo").all().map { row in
                try row.allColumns.map { column in try SQLImportSource.text(of: column, in: row, kind: client.kind) ?? "NULL" }
            }
        }
    }
}
