import EventBus
import Foundation
import Persistence
import Testing
import TestSupport
@testable import customerflow

@Suite("Event bus wiring")
struct EventBusComponentsTests {
    @Test("the process's consumer groups exist on the in-memory transport before any service starts, so the first relayed events reach them")
    func inProcessGroupsAreDeclaredUpFront() async throws {
        let transport = InMemoryTransport()
        let subscription = Subscription(group: "wiring-test", patterns: ["customer.#"]) { _, _ in }
        let client = try await DatabaseClients.open(.sqliteMemory, poolSize: 1, logger: .quiet)
        _ = try EventBusComponents(
            settings: .init(), database: client, names: try SchemaNames(prefix: "w_"), transport: transport,
            subscriptions: [subscription], logger: .quiet)
        // Published before the group's consumer runs, as the relay can at start-up.
        _ = try await transport.publish([OutboundMessage(id: "1", routingKey: "customer.registered.v1", body: Data("early".utf8), headers: [:])])
        #expect(try await transport.receivedBodies(group: "wiring-test", count: 1) == ["early"])
        await client.shutdown()
    }
}

