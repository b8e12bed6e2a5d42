import Foundation
import HTTPTypes
import Persistence
import SQLKit
import Synchronization
import TestSupport
import Testing

@testable import customerflow

/// The right of access and the right to erasure, against every table of the schema.
@Suite("Export and erasure")
struct ErasureAPITests {
    /// What the scenario writes about the person; after the erasure none of it may be stored.
    static let personalValues = [
        "Erin Pii", "erin pii", "erin.pii@example.com", "erin.new@example.com", "99876-1234", "998761234", "97777-0000", "977770000",
        "529.982.247-25", "52998224725", "Rua Secreta", "Bairro Oculto", "moved away quietly", "1985-03-04", "50000-000", "50000-001",
    ]

    @Test("the export lists everything held; after DELETE no table holds the person's name, e-mail, phone, document or address", arguments: TestDatabase.all)
    func erasureLeavesNoPersonalDataInAnyTable(database: TestDatabase) async throws {
        let prefix = TestDatabase.uniquePrefix()
        let url = Mutex<DatabaseURL?>(nil)
        let customerID = Mutex<String?>(nil)
        try await WebhookReceiver.run { receiver, base in
            try await withApp(database, file: true, configure: {
                $0.tablePrefix = prefix
                url.withLock { [databaseURL = $0.databaseURL] in $0 = databaseURL }
                $0.webhooks.retrySchedule = [.milliseconds(100)]
                $0.webhooks.pollInterval = .milliseconds(50)
            }) { client in
                let delivered = try await WebhooksAPITests.subscribe(client, "\(base)/hooks/delivered")
                receiver.secret("delivered", delivered.secret)
                let failing = try await WebhooksAPITests.subscribe(client, "\(base)/hooks/failing")
                receiver.secret("failing", failing.secret)
                // The failing endpoint quotes the event in its error answer, which the delivery keeps as its last error.
                receiver.plan("failing", .failEchoing)

                let registration = """
                    {"name": "Erin Pii", "email": "erin.pii@example.com", "phone": "+55 (21) 99876-1234",
                     "document": {"type": "cpf", "number": "529.982.247-25"}, "birthDate": "1985-03-04",
                     "addresses": [{"street": "Rua Secreta", "number": "7", "district": "Bairro Oculto", "city": "Recife",
                                    "postalCode": "50000-000", "country": "br"}]}
                    """
                let created = try await client.send(.post, "/v1/customers", json: registration, headers: [.init("Idempotency-Key")!: "erase-me-1"])
                #expect(created.status == .created)
                let id = try #require(created.object["id"] as? String)
                customerID.withLock { $0 = id }
                let address = """
                    {"street": "Rua Secreta", "number": "8", "city": "Recife", "postalCode": "50000-001", "country": "br"}
                    """
                let added = try await client.send(.post, "/v1/customers/\(id)/addresses", json: address, headers: [.init("Idempotency-Key")!: "erase-me-2"])
                #expect(added.status == .created)
                #expect(try await client.send(.patch, "/v1/customers/\(id)", json: #"{"phone": "+55 21 97777-0000"}"#, contentType: "application/merge-patch+json").status == .ok)
                #expect(try await client.send(.put, "/v1/customers/\(id)/email", json: #"{"email": "erin.new@example.com"}"#).status == .ok)
                #expect(try await client.send(.post, "/v1/customers/\(id)/deactivate", json: #"{"reason": "moved away quietly"}"#).status == .ok)

                // Wait until the webhook fan-out has queued the events: one endpoint got them, the other keeps failing.
                let deadline = ContinuousClock.now + .seconds(20)
                while ContinuousClock.now < deadline, receiver.bodies("delivered").count < 5 || receiver.received("failing").count < 2 {
                    try await Task.sleep(for: .milliseconds(50))
                }
                #expect(receiver.bodies("delivered").count >= 5)

                let export = try await client.send(.get, "/v1/customers/\(id)/export")
                #expect(export.status == .ok)
                #expect(export.headers[.cacheControl] == "no-store")
                let document = export.object
                #expect((document["customer"] as? [String: Any])?["email"] as? String == "erin.new@example.com")
                #expect((document["history"] as? [[String: Any]])?.count == 5)
                #expect((document["outbox"] as? [[String: Any]])?.count == 5)
                #expect(((document["webhookDeliveries"] as? [[String: Any]])?.count ?? 0) >= 10, "both subscriptions' deliveries are listed")
                #expect(export.text.contains("erin.pii@example.com"), "the history and the events still hold the first e-mail")

                // Before the erasure the person is all over the schema, error texts included.
                let before = try await Self.scanEveryTable(try #require(url.withLock { $0 }), prefix: prefix, for: ["erin.pii@example.com"])
                #expect(before.hits.contains { $0.hasPrefix("\(prefix)webhook_deliveries.last_error") }, "\(before.hits)")
                #expect(try await client.send(.delete, "/v1/customers/\(id)").status == .noContent)
                // The replay of the registration answers without personal data.
                let replay = try await client.send(.post, "/v1/customers", json: registration, headers: [.init("Idempotency-Key")!: "erase-me-1"])
                #expect(replay.status == .created)
                #expect(!replay.text.contains("erin"), "the stored response was redacted: \(replay.text)")
                let erasedExport = try await client.send(.get, "/v1/customers/\(id)/export")
                #expect(erasedExport.status == .ok)
                for value in Self.personalValues { #expect(!erasedExport.text.contains(value), "the export still shows \(value)") }
                // Let the erasure event go out too, so that every table has seen the whole story.
                while ContinuousClock.now < deadline, !receiver.received("delivered").contains(where: { $0.version == 6 }) {
                    try await Task.sleep(for: .milliseconds(50))
                }
            }
        }
        let databaseURL = try #require(url.withLock { $0 })
        let found = try await Self.scanEveryTable(databaseURL, prefix: prefix, for: Self.personalValues)
        #expect(found.tablesScanned >= 9)
        #expect(found.hits.isEmpty, "personal data left after the erasure: \(found.hits)")
        // The scan reads what is there: the customer's id (not personal data) is still in many tables.
        let id = try #require(customerID.withLock { $0 })
        let kept = try await Self.scanEveryTable(databaseURL, prefix: prefix, for: [id])
        #expect(Set(kept.hits.map { $0.components(separatedBy: ".").first ?? "" }).count >= 5, "\(kept.hits)")
    }

    /// Reads every column of every row of every table with `prefix` as text and reports the
    /// cells holding any of `values` (case-insensitive).
    static func scanEveryTable(_ url: DatabaseURL, prefix: String, for values: [String]) async throws -> (tablesScanned: Int, hits: [String]) {
        let client = try await DatabaseClients.open(url, poolSize: 2, logger: .quiet)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await client.run() }
            defer { group.cancelAll() }
            do {
                let result = try await client.withConnection { db -> (Int, [String]) in
                    let tables: [String]
                    switch client.kind {
                    case .sqlite:
                        tables = try await db.raw("SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE \(bind: prefix + "%")").all()
                            .map { try $0.decode(column: "name", as: String.self) }
                    case .postgres:
                        tables = try await db.raw("SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() AND table_name LIKE \(bind: prefix + "%")").all()
                            .map { try $0.decode(column: "name", as: String.self) }
                    case .mysql:
                        tables = try await db.raw("SELECT CAST(table_name AS CHAR) AS name FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name LIKE \(bind: prefix + "%")").all()
                            .map { try $0.decode(column: "name", as: String.self) }
                    }
                    var hits: [String] = []
                    let needles = values.map { $0.lowercased() }
                    for table in tables {
                        let columns: [String]
                        switch client.kind {
                        case .sqlite:
                            columns = try await db.raw("SELECT name FROM pragma_table_info(\(bind: table))").all()
                                .map { try $0.decode(column: "name", as: String.self) }
                        case .postgres:
                            columns = try await db.raw("SELECT column_name AS name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = \(bind: table)").all()
                                .map { try $0.decode(column: "name", as: String.self) }
                        case .mysql:
                            columns = try await db.raw("SELECT CAST(column_name AS CHAR) AS name FROM information_schema.columns WHERE table_schema = DATABASE() AND table_name = \(bind: table)").all()
                                .map { try $0.decode(column: "name", as: String.self) }
                        }
                        let casts = columns.map { column -> String in
                            switch client.kind {
                            case .sqlite: "CAST(\"\(column)\" AS TEXT) AS \"\(column)\""
                            case .postgres: "CAST(\"\(column)\" AS TEXT) AS \"\(column)\""
                            case .mysql: "CAST(`\(column)` AS CHAR) AS `\(column)`"
                            }
                        }
                        let quotedTable = client.kind == .mysql ? "`\(table)`" : "\"\(table)\""
                        let rows = try await db.raw("SELECT \(unsafeRaw: casts.joined(separator: ", ")) FROM \(unsafeRaw: quotedTable)").all()
                        for row in rows {
                            for column in columns {
                                guard let text = try row.decodeNil(column: column) ? nil : try row.decode(column: column, as: String.self) else { continue }
                                let lowered = text.lowercased()
                                for needle in needles where lowered.contains(needle) {
                                    hits.append("\(table).\(column) holds \(needle)")
                                }
                            }
                        }
                    }
                    return (tables.count, hits)
                }
                await client.shutdown()
                return result
            } catch {
                await client.shutdown()
                throw error
            }
        }
    }
}
