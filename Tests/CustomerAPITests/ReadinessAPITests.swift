import EventBus
import Foundation
import HummingbirdTesting
import TestSupport
import Testing

@testable import customerflow

/// `/health/ready` reports every component: database, schema, broker, relay lag.
@Suite("Readiness components")
struct ReadinessAPITests {
    private func components(_ response: TestResponse) -> [String: [String: Any]] {
        response.object["components"] as? [String: [String: Any]] ?? [:]
    }

    @Test("ready: database, schema, broker and relay each report up, with the lag figures", arguments: TestDatabase.all)
    func everyComponentUp(database: TestDatabase) async throws {
        try await withApp(database) { client in
            // Probed as an orchestrator does, every 100 ms: right after start the event-bus
            // services open their first connections too, and on a loaded machine a MariaDB probe
            // can miss its 2 s bound once.
            var ready = try await client.send(.get, "/health/ready")
            let deadline = ContinuousClock.now + .seconds(10)
            while ready.status != .ok, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(100))
                ready = try await client.send(.get, "/health/ready")
            }
            #expect(ready.status == .ok)
            #expect(ready.object["status"] as? String == "ready")
            let parts = components(ready)
            #expect(Set(parts.keys) == ["database", "schema", "broker", "relay"])
            #expect(parts.values.allSatisfy { $0["status"] as? String == "up" })
            #expect(parts["database"]?["required"] as? Bool == true)
            #expect(parts["broker"]?["required"] as? Bool == false)
            #expect(parts["relay"]?["maxLagSeconds"] as? Double == 60)
            #expect(parts["relay"]?["oldestPendingAgeSeconds"] as? Double == 0)
        }
    }

    @Test("degraded, still 200, when the oldest pending event is older than eventBus.relay.maxLagSeconds")
    func lagDegrades() async throws {
        try await withApp(.sqlite, configure: {
            $0.eventBus.relayEnabled = false
            $0.eventBus.maxLag = .seconds(1)
        }) { client in
            _ = try await client.register()
            try await Task.sleep(for: .milliseconds(1500))
            let ready = try await client.send(.get, "/health/ready")
            #expect(ready.status == .ok)
            #expect(ready.object["status"] as? String == "degraded")
            let relay = components(ready)["relay"] ?? [:]
            #expect(relay["status"] as? String == "degraded")
            #expect((relay["oldestPendingAgeSeconds"] as? Double ?? 0) > 1)
            #expect(relay["pending"] as? Double == 1)
        }
    }

    @Test("degraded, still 200, while the broker cannot be reached: writes go on into the outbox")
    func brokerDownDegrades() async throws {
        try await withApp(.sqlite, transport: UnreachableTransport()) { client in
            let ready = try await client.send(.get, "/health/ready")
            #expect(ready.status == .ok)
            #expect(ready.object["status"] as? String == "degraded")
            #expect(components(ready)["broker"]?["status"] as? String == "down")
            #expect(components(ready)["broker"]?["detail"] as? String == "transport unavailable: connection refused")
            #expect(try await client.send(.post, "/v1/customers", json: APISamples.registration()).status == .created)
        }
    }
}

/// A transport whose broker refuses every connection.
private struct UnreachableTransport: Transport {
    func publish(_ messages: [OutboundMessage]) async throws -> [PublishResult] { throw TransportUnavailable("connection refused") }
    func consume(group: String, bindings: [String], prefetch: Int, handler: @escaping @Sendable (Delivery) async throws -> Void) async throws {
        throw TransportUnavailable("connection refused")
    }
    func shutdown() async {}
    func checkConnection() async throws { throw TransportUnavailable("connection refused") }
}
