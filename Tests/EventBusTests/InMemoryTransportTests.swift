import EventBus
import Foundation
import TestSupport
import Testing

@Suite("In-memory transport")
struct InMemoryTransportTests {
    private func message(_ id: String) -> OutboundMessage {
        OutboundMessage(id: id, routingKey: "customer.registered.v1", body: Data(id.utf8), headers: [:])
    }

    @Test("a declared group keeps what is published before its consumer starts")
    func declaredGroupKeepsEarlyMessages() async throws {
        let transport = InMemoryTransport()
        transport.declare(group: "early", bindings: ["customer.#"])
        _ = try await transport.publish([message("before")])
        #expect(try await transport.receivedBodies(group: "early", count: 1) == ["before"])
    }

    @Test("without a declaration, what is published before the group's first consumer is dropped")
    func undeclaredGroupMissesEarlyMessages() async throws {
        let transport = InMemoryTransport()
        _ = try await transport.publish([message("before")])
        let received = ReceivedBodies()
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask {
                try await transport.consume(group: "late", bindings: ["customer.#"], prefetch: 1) { delivery in
                    received.values.withLock { $0.append(String(decoding: delivery.body, as: UTF8.self)) }
                    await delivery.ack()
                }
            }
            // Published until the consumer has bound: the first one it gets proves it is listening.
            let deadline = ContinuousClock.now + .seconds(10)
            while received.values.withLock({ $0.isEmpty }), ContinuousClock.now < deadline {
                _ = try await transport.publish([message("after")])
                try await Task.sleep(for: .milliseconds(20))
            }
            tasks.cancelAll()
        }
        #expect(!received.values.withLock { $0 }.isEmpty)
        #expect(!received.values.withLock { $0 }.contains("before"))
    }
}

