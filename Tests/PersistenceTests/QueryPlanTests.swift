import CustomerApplication
import CustomerDomain
import EventBus
import Foundation
import SQLKit
import TestSupport
import Testing

@testable import Persistence

@Suite("Query plans")
struct QueryPlanTests {
    /// The plan lines of a statement. On PostgreSQL sequential scans are switched off for the
    /// session, so a sequential scan that still appears means no index can serve the query. On
    /// MySQL a line is `table:type:key:extra`, and type `ALL` is a full scan.
    private func plan(of statement: SQLQueryString, on client: any DatabaseClient) async throws -> [String] {
        if client.kind == .mysql {
            return try await client.withConnection { database in
                try await database.raw("EXPLAIN " + statement).all().map { row in
                    let table = try row.decodeOptional(column: "table", as: String.self) ?? ""
                    let type = try row.decodeOptional(column: "type", as: String.self) ?? ""
                    let key = try row.decodeOptional(column: "key", as: String.self) ?? ""
                    let extra = try row.decodeOptional(column: "Extra", as: String.self) ?? ""
                    return "\(table):\(type):\(key):\(extra)"
                }
            }
        }
        let postgres = client.kind == .postgres
        return try await client.withConnection { database in
            if postgres { try await database.raw("SET enable_seqscan = off").run() }
            let rows = try await database.raw((postgres ? "EXPLAIN " : "EXPLAIN QUERY PLAN ") + statement).all()
            if postgres { try await database.raw("RESET enable_seqscan").run() }
            return try rows.map { try $0.decode(column: postgres ? "QUERY PLAN" : "detail", as: String.self) }
        }
    }

    @Test("every read, claim and retention path is served by an index: no sequential scan of any table", arguments: TestDatabase.all)
    func everyReadUsesAnIndex(database: TestDatabase) async throws {
        try await database.withMigratedDatabase { client, names async throws in
            // A customer that exists: for one that does not, MariaDB reads the primary key while
            // planning and answers "Impossible WHERE", hiding the plan of the rest.
            let id = try await makeTestMediator(client: client, names: names).send(Samples.register(email: "plan@example.com")).id
            let position = CustomerListPosition(createdAtMicroseconds: 1_790_000_000_000_000, id: id)
            let statements: [(String, SQLQueryString)] = [
                ("customer by id", CustomerRowMapping.customerStatement(id, names: names)),
                ("history", SQLCustomerQueries.historyStatement(id, names: names)),
                ("stored addresses", SQLCustomerRepository.storedAddressesStatement(id, names: names)),
                ("first page", SQLCustomerQueries.listStatement(CustomerFilter(), after: nil, limit: 51, names: names, kind: client.kind)),
                ("page after a cursor", SQLCustomerQueries.listStatement(CustomerFilter(), after: position, limit: 51, names: names, kind: client.kind)),
                ("by status", SQLCustomerQueries.listStatement(CustomerFilter(status: .inactive), after: position, limit: 51, names: names, kind: client.kind)),
                ("name or e-mail prefix", SQLCustomerQueries.listStatement(CustomerFilter(prefix: "ana"), after: nil, limit: 51, names: names, kind: client.kind)),
                ("exact e-mail", SQLCustomerQueries.listStatement(CustomerFilter(email: "ana@example.com"), after: nil, limit: 51, names: names, kind: client.kind)),
                ("exact document", SQLCustomerQueries.listStatement(CustomerFilter(document: "52998224725"), after: nil, limit: 51, names: names, kind: client.kind)),
                ("outbox claim", SQLOutboxStore.claimCandidatesStatement(limit: 500, now: Date(), excluding: ["a", "b"], names: names, kind: client.kind)),
                ("outbox claim's predecessor check", SQLOutboxStore.predecessorsStatement(of: Self.claimedBatch, names: names, kind: client.kind)),
                ("outbox retention, published", SQLOutboxStore.purgeStatement(status: "published", column: "published_at", before: Date(), limit: 1000, names: names, kind: client.kind)),
                ("outbox retention, failed", SQLOutboxStore.purgeStatement(status: "failed", column: "last_attempt_at", before: Date(), limit: 1000, names: names, kind: client.kind)),
                ("inbox retention", SQLInboxStore.purgeStatement(status: "processed", before: Date(), limit: 1000, names: names, kind: client.kind)),
            ]
            for (name, statement) in statements {
                let lines = try await plan(of: statement, on: client)
                if client.kind == .postgres {
                    #expect(!lines.contains { $0.contains("Seq Scan") }, "\(name): \(lines.joined(separator: " | "))")
                } else if client.kind == .mysql {
                    // Derived and materialised tables (`<subquery2>`, `<union2,3>`) are scanned by nature.
                    let fullScans = lines.filter { !$0.hasPrefix("<") && $0.contains(":ALL:") }
                    #expect(fullScans.isEmpty, "\(name): \(lines.joined(separator: " | "))")
                    // A point read that sorts in a temporary table costs MariaDB 4.5 times the read
                    // itself (mariadb-slap, 16 clients): rows of one customer are ordered by the caller.
                    if Self.pointReads.contains(name) {
                        #expect(!lines.contains { $0.contains("Using temporary") || $0.contains("Using filesort") }, "\(name): \(lines.joined(separator: " | "))")
                    }
                } else {
                    // "SCAN c" is a full scan; "SCAN c USING INDEX …" and "SEARCH …" use an index. The
                    // page of a listing (alias `p`, a subquery run as a co-routine) is scanned by nature.
                    let fullScans = lines.filter { $0.hasPrefix("SCAN ") && !$0.contains("USING") && $0 != "SCAN p" }
                    #expect(fullScans.isEmpty, "\(name): \(lines.joined(separator: " | "))")
                }
            }
        }
    }

    /// The statements that read one customer's rows, run on every GET of a customer or its history.
    static let pointReads: Set<String> = ["customer by id", "history", "stored addresses"]

    /// Claimed rows of 300 subjects, some with several events.
    static let claimedBatch: [OutboxRecord] = (0..<500).map { index in
        let subject = "s\(index % 300)"
        let sequence: Int = 2 + index / 300
        return OutboxRecord(
            position: Int64(20_001 + index), id: "e\(index)", subject: subject, sequence: sequence,
            type: "customer.profile_updated.v1", payload: Data("{}".utf8), attempts: 0, headers: [:])
    }

    /// Right after a burst, PostgreSQL's statistics still count the burst's rows as pending. The
    /// relay's predecessor check, planned on those statistics as a join, scanned the whole table in
    /// parallel on every claim (20 to 130 ms); it must walk `(subject, sequence)` per subject.
    @Test("the claim's predecessor check uses the subject index while statistics still count a burst as pending")
    func predecessorCheckIgnoresStaleStatistics() async throws {
        let database = try #require(TestDatabase.all.first { $0 == .postgres }, "PostgreSQL is not configured: run scripts/test")
        try await database.withMigratedDatabase { client, names async throws in
            let table = SQLIdentifier(names.outbox)
            let lines = try await client.withConnection { database async throws -> [String] in
                try await database.raw(
                    """
                    INSERT INTO \(table) (id, subject, sequence, type, payload, created_at)
                    SELECT 'e' || n, 's' || (n % 300), 1 + n / 300, 'customer.profile_updated.v1', '{}', now()
                    FROM generate_series(1, 20000) AS n
                    """
                ).run()
                try await database.raw("ANALYZE \(table)").run()
                try await database.raw("UPDATE \(table) SET status = 'published', published_at = now()").run()
                let statement = SQLOutboxStore.predecessorsStatement(of: Self.claimedBatch, names: names, kind: .postgres)
                return try await database.raw("EXPLAIN " + statement).all().map { try $0.decode(column: "QUERY PLAN", as: String.self) }
            }
            #expect(!lines.contains { $0.contains("Seq Scan") }, "\(lines.joined(separator: " | "))")
            #expect(lines.contains { $0.contains("outbox_subject_sequence_key") }, "\(lines.joined(separator: " | "))")
        }
    }
}
