import CustomerApplication
import Foundation
import Persistence
import TestSupport
import Testing

@testable import customerflow

/// `database.readUrl`: queries read from the replica, commands never touch it, readiness covers it.
///
/// The "replica" here is a second SQLite database that is *not* a copy of the primary, so every
/// read shows which database answered.
@Suite("Read replica")
struct ReadReplicaAPITests {
    @Test("queries read from database.readUrl; commands write to database.url only")
    func queriesUseTheReplica() async throws {
        let prefix = TestDatabase.uniquePrefix()
        let replicaURL = try TestDatabase.sqlite.url(file: true)
        let replica = try await DatabaseClients.open(replicaURL, logger: .quiet)
        let names = try SchemaNames(prefix: prefix)
        let onReplica = try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await replica.run() }
            defer { group.cancelAll() }
            try await MigrationRunner(client: replica, names: names, logger: .quiet).migrate()
            let mediator = try makeTestMediator(client: replica, names: names)
            let customer = try await mediator.send(Samples.register(name: "Rita Réplica", email: "rita@example.com"))
            await replica.shutdown()
            return customer.id
        }

        try await withApp(.sqlite, file: true, configure: {
            $0.tablePrefix = prefix
            $0.databaseReadURL = replicaURL
        }) { client in
            let created = try await client.register()
            let id = try #require(created["id"] as? String)
            // The list and the lookup come from the replica: it has Rita, not the customer just written.
            let list = try await client.send(.get, "/v1/customers")
            let names = (list.object["items"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
            #expect(names == ["Rita Réplica"])
            #expect(try await client.send(.get, "/v1/customers/\(onReplica)").status == .ok)
            #expect(try await client.send(.get, "/v1/customers/\(id)").status == .notFound)
            // A command reads and writes the primary: it finds the customer the replica does not have.
            let changed = try await client.send(.post, "/v1/customers/\(id)/deactivate", json: #"{"reason": "moved away"}"#)
            #expect(changed.status == .ok, "\(changed.text)")
            #expect(try await client.send(.post, "/v1/customers/\(onReplica)/deactivate", json: #"{"reason": "x"}"#).status == .notFound)
            #expect(try await client.send(.get, "/health/ready").status == .ok)
        }
    }

    @Test("readiness is 503 when the read replica does not answer, while writes go on")
    func readinessCoversTheReplica() async throws {
        let unreachable = try DatabaseURL(parsing: "postgres://nobody@127.0.0.1:1/none?sslmode=disable")
        try await withApp(.sqlite, configure: { $0.databaseReadURL = unreachable }) { client in
            let ready = try await client.send(.get, "/health/ready")
            #expect(ready.status == .serviceUnavailable)
            #expect(ready.problemSlug == "unavailable")
            let components = ready.object["components"] as? [String: [String: Any]] ?? [:]
            #expect(components["replica"]?["status"] as? String == "down", "\(ready.text)")
            #expect(components["database"]?["status"] as? String == "up")
            #expect(try await client.send(.post, "/v1/customers", json: APISamples.registration()).status == .created)
        }
    }
}
