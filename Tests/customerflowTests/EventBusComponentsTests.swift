import EventBus
import Foundation
import Persistence
import Synchronization
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
        let received = ReceivedMessages()
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask {
                try await transport.consume(group: "wiring-test", bindings: ["customer.#"], prefetch: 1) { delivery in
                    received.bodies.withLock { $0.append(String(decoding: delivery.body, as: UTF8.self)) }
                    await delivery.ack()
                }
            }
            let deadline = ContinuousClock.now + .seconds(10)
            while received.bodies.withLock({ $0.isEmpty }), ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(10)) }
            tasks.cancelAll()
        }
        #expect(received.bodies.withLock { $0 } == ["early"])
        await client.shutdown()
    }
}

private final class ReceivedMessages: Sendable {
    let bodies = Mutex<[String]>([])
}
