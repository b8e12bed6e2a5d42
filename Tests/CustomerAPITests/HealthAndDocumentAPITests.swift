import CustomerAPI
import CustomerApplication
import FeatureFlags
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Mediator
import Persistence
import TestSupport
import Testing

@testable import customerflow

@Suite("Health and the OpenAPI document")
struct HealthAndDocumentAPITests {
    @Test("live and ready answer 200 on a migrated database", arguments: TestDatabase.all)
    func healthy(database: TestDatabase) async throws {
        try await withApp(database) { client in
            #expect(try await client.send(.get, "/health/live").status == .ok)
            let ready = try await client.send(.get, "/health/ready")
            #expect(ready.status == .ok)
            #expect(ready.object["status"] as? String == "ready")
        }
    }

    @Test("ready is 503 while migrations are pending", arguments: TestDatabase.all)
    func notReadyWithoutMigrations(database: TestDatabase) async throws {
        let client = try await DatabaseClients.open(try database.url(), logger: .quiet)
        let names = try SchemaNames(prefix: TestDatabase.uniquePrefix())
        let migrations = MigrationRunner(client: client, names: names, logger: .quiet)
        let router = buildRouter(
            mediator: try makeTestMediator(client: client, names: names),
            idempotency: SQLIdempotencyStore(client: client, names: names),
            readiness: ServiceReadiness(health: DatabaseHealth(client: client, migrations: migrations)),
            clock: FixedClock()
        )
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await client.run() }
            defer { group.cancelAll() }
            try await Application(router: router, logger: .quiet).test(.router) { http in
                let pending = try await http.send(.get, "/health/ready")
                #expect(pending.status == .serviceUnavailable)
                #expect(pending.problemSlug == "unavailable")
                try await migrations.migrate()
                #expect(try await http.send(.get, "/health/ready").status == .ok)
            }
            await client.shutdown()
        }
    }

    @Test("/openapi.json is served and describes exactly the router's routes")
    func documentMatchesRoutes() async throws {
        try await withApp(.sqlite) { client in
            let response = try await client.send(.get, "/openapi.json")
            #expect(response.status == .ok)
            #expect(response.object["openapi"] as? String == "3.1.0")
        }
        let document = OpenAPIShapes.document
        var documented: Set<String> = []
        for (path, item) in document["paths"] as? [String: Any] ?? [:] {
            for method in (item as? [String: Any] ?? [:]).keys where method != "parameters" {
                documented.insert("\(method.uppercased()) \(path)")
            }
        }
        let client = try await DatabaseClients.open(.sqliteMemory, logger: .quiet)
        let names = try SchemaNames()
        let router = buildRouter(
            mediator: try makeTestMediator(client: client, names: names),
            idempotency: SQLIdempotencyStore(client: client, names: names),
            readiness: ServiceReadiness(health: DatabaseHealth(client: client, migrations: MigrationRunner(client: client, names: names, logger: .quiet))),
            clock: FixedClock(),
            events: try EventBusComponents(settings: .init(), database: client, names: names, logger: .quiet),
            metrics: ServiceMetrics().factory,
            renderMetrics: { "" },
            features: FeatureFlagEvaluator(source: FeatureFlagSnapshot(), logger: .quiet),
            webhooks: WebhooksAdminController(store: SQLWebhookStore(client: client, names: names), allowPrivateTargets: true),
            security: RouterSecurity(verifier: await AccessTokenVerifier(.init(hs256Secret: "a-secret-of-at-least-thirty-two-bytes")))
        )
        var served: Set<String> = []
        for route in router.routes {
            // Router paths use `:name`; the document uses `{name}`.
            let path = route.path.description.split(separator: "/").map { $0.hasPrefix(":") ? "{\($0.dropFirst())}" : String($0) }
            served.insert("\(route.method.rawValue) /" + path.joined(separator: "/"))
        }
        await client.shutdown()
        #expect(documented == served, "documented but not served: \(documented.subtracting(served)); served but not documented: \(served.subtracting(documented))")
    }

    /// Found by schemathesis: 401, 403 and 429 answered problem types the document's enum did not list.
    @Test("the document's problem types are exactly the problem kinds the service answers")
    func problemTypesMatchTheKinds() throws {
        let type = (OpenAPIShapes.schema("Problem")["properties"] as? [String: Any])?["type"] as? [String: Any]
        let documented = try #require(type?["enum"] as? [String])
        #expect(Set(documented) == Set(ProblemDetails.Kind.allCases.map { "urn:customerflow:problem:\($0.rawValue)" }))
        #expect(documented.count == ProblemDetails.Kind.allCases.count)
    }
}
