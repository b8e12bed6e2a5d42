import EventBus
import Foundation
import HTTPTypes
import HummingbirdTesting
import TestSupport
import Testing

@testable import customerflow

/// Webhooks end to end: subscriptions over the admin API, signed deliveries to a real local
/// receiver, retries, ordering, breakers, 410, redelivery.
@Suite("Webhooks")
struct WebhooksAPITests {
    static func subscribe(
        _ client: any TestClientProtocol, _ url: String, _ patterns: [String] = ["customer.#"], auth: HTTPFields = [:]
    ) async throws -> (id: String, secret: String) {
        let body = try JSONSerialization.data(withJSONObject: ["url": url, "eventTypes": patterns])
        let response = try await client.send(.post, "/admin/webhooks", json: String(decoding: body, as: UTF8.self), headers: auth)
        #expect(response.status == .created, "\(response.text)")
        try OpenAPIShapes.expect(response.object, matches: "WebhookSubscriptionCreated")
        return (try #require(response.object["id"] as? String), try #require(response.object["secret"] as? String))
    }

    @Test("failures then recovery deliver every event once, signed, in order per customer; a dead endpoint's breaker opens without slowing the others; 410 disables", arguments: TestDatabase.all)
    func deliveriesEndToEnd(database: TestDatabase) async throws {
        try await WebhookReceiver.run { receiver, base in
            try await withApp(database, file: true, configure: {
                $0.webhooks.retrySchedule = [.milliseconds(100), .milliseconds(200)]
                $0.webhooks.pollInterval = .milliseconds(50)
                $0.webhooks.timeout = .seconds(10)
                $0.webhooks.breakDuration = .milliseconds(500)
            }) { client in
                let started = ContinuousClock.now
                let flaky = try await Self.subscribe(client, "\(base)/hooks/flaky")
                let healthy = try await Self.subscribe(client, "\(base)/hooks/healthy", ["customer.registered.v1"])
                let dead = try await Self.subscribe(client, "\(base)/hooks/down")
                let gone = try await Self.subscribe(client, "\(base)/hooks/gone")
                let slow = try await Self.subscribe(client, "\(base)/hooks/slow")
                receiver.plan("slow", .hang)
                receiver.plan("flaky", .failFirst(4))
                receiver.plan("down", .failFirst(1_000_000))
                receiver.plan("gone", .gone)
                for (name, subscription) in [("flaky", flaky), ("healthy", healthy), ("gone", gone)] { receiver.secret(name, subscription.secret) }

                var customers: [String] = []
                var lastRegistration = ContinuousClock.now
                for index in 0..<3 {
                    let id = try #require(try await client.register(APISamples.registration(email: "hook\(index)@example.com", document: nil))["id"] as? String)
                    lastRegistration = ContinuousClock.now
                    customers.append(id)
                    for change in 0..<2 {
                        #expect(try await client.send(.patch, "/v1/customers/\(id)", json: #"{"name": "Hook \#(index) \#(change)"}"#).status == .ok)
                    }
                }
                let written = ContinuousClock.now
                let deadline = written + .seconds(30)
                func delivered(_ hook: String) -> Set<String> { Set(receiver.received(hook).filter { $0.answered == 200 }.map(\.id)) }
                var healthyDone: Duration?
                while ContinuousClock.now < deadline, delivered("flaky").count < 9 || delivered("healthy").count < 3 {
                    if healthyDone == nil, delivered("healthy").count == 3 { healthyDone = ContinuousClock.now - lastRegistration }
                    try await Task.sleep(for: .milliseconds(20))
                }
                if healthyDone == nil, delivered("healthy").count == 3 { healthyDone = ContinuousClock.now - lastRegistration }
                // An endpoint that hangs (each attempt waits out the 10 s timeout) and one that refuses
                // do not hold the others up: the healthy endpoint is served before a single attempt
                // on the hanging one could have timed out.
                let healthyTime = try #require(healthyDone)
                #expect(healthyTime < .seconds(8), "the healthy endpoint got the last registration \(healthyTime) after it was written")
                // The hanging endpoint was tried, and none of its deliveries counts as delivered (its
                // late 200 comes after the service's 10 s timeout).
                #expect(!receiver.received("slow").isEmpty)
                let slowDeliveries = try await client.send(.get, "/admin/webhooks/\(slow.id)/deliveries").object["items"] as? [[String: Any]] ?? []
                #expect(slowDeliveries.count == 9 && !slowDeliveries.contains { $0["status"] as? String == "delivered" }, "\(slowDeliveries)")

                // Every event once (two per customer after its registration), signed, in version order per customer.
                let accepted = receiver.received("flaky").filter { $0.answered == 200 }
                #expect(accepted.count == 9 && Set(accepted.map(\.id)).count == 9, "\(accepted.map(\.id))")
                #expect(receiver.received("flaky").count > 9, "the first answers were failures")
                #expect(receiver.received("flaky").allSatisfy { $0.signed })
                for customer in customers {
                    #expect(accepted.filter { $0.subject == customer }.map(\.version) == [1, 2, 3])
                }
                // Only registrations for the subscription that asked for them.
                #expect(delivered("healthy").count == 3 && receiver.received("healthy").allSatisfy { $0.signed && $0.version == 1 })

                // The dead endpoint: its breaker opens, and then its deliveries wait without being attempted each round.
                func opened() async throws -> Double {
                    let samples = MetricsAPITests.parse(try await client.send(.get, "/metrics").text)
                    return MetricsAPITests.value(samples, "customerflow_resilience_events_total", ["pipeline": "webhook:\(dead.id)", "event": "opened"])
                }
                while try await opened() < 1, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(50)) }
                #expect(try await opened() >= 1)
                let deadDeliveries = try await client.send(.get, "/admin/webhooks/\(dead.id)/deliveries").object["items"] as? [[String: Any]] ?? []
                #expect(deadDeliveries.count == 9)
                #expect(deadDeliveries.allSatisfy { $0["status"] as? String == "pending" })
                // Without the breaker: 3 customers retried every 100–200 ms. With it: 3 attempts, then
                // one probe per 500 ms break.
                let attempts = deadDeliveries.map { $0["attempts"] as? Int ?? 0 }.reduce(0, +)
                let elapsed = ContinuousClock.now - started
                let bound = 3 + Int(elapsed / .milliseconds(500)) + 2
                #expect(attempts >= 3 && attempts <= bound, "\(attempts) attempts on a dead endpoint in \(elapsed)")

                // 410: the subscription is disabled and its delivery failed; redelivery puts it back.
                let goneSubscription = try await client.send(.get, "/admin/webhooks/\(gone.id)").object
                #expect(goneSubscription["enabled"] as? Bool == false)
                #expect((goneSubscription["disabledReason"] as? String)?.contains("410") == true)
                let failed = try await client.send(.get, "/admin/webhooks/\(gone.id)/deliveries?status=failed").object["items"] as? [[String: Any]] ?? []
                let first = try #require(failed.first)
                #expect(first["lastStatus"] as? Int == 410)
                let seq = try #require(first["seq"] as? Int)
                // The dashboard lists it with the status it got, and redelivers it (the subscription
                // being disabled, it then stays pending).
                let dashboard = try await client.send(.get, "/admin").text
                #expect(dashboard.contains(#"<tr class="failed-webhook" data-seq="\#(seq)">"#) && dashboard.contains("<td>410</td>"))
                #expect(try await client.send(.post, "/admin/dashboard/webhooks/\(seq)/retry").status == .seeOther)
                let retried = try await client.send(.get, "/admin/webhooks/\(gone.id)/deliveries").object["items"] as? [[String: Any]] ?? []
                #expect(retried.first { $0["seq"] as? Int == seq }?["status"] as? String == "pending")
                #expect(try await client.send(.post, "/admin/webhooks/deliveries/\(seq)/retry").status == .notFound)

                #expect(try await client.send(.delete, "/admin/webhooks/\(dead.id)").status == .noContent)
                #expect(try await client.send(.get, "/admin/webhooks/\(dead.id)").status == .notFound)
                let listed = try await client.send(.get, "/admin/webhooks").object["items"] as? [[String: Any]] ?? []
                #expect(listed.count == 4 && listed.allSatisfy { $0["secret"] == nil })
            }
        }
    }

    @Test("an event queued for a webhook before the customer was erased goes out without personal data", arguments: TestDatabase.all)
    func erasureRedactsQueuedDeliveries(database: TestDatabase) async throws {
        try await WebhookReceiver.run { receiver, base in
            try await withApp(database, file: true, configure: {
                $0.webhooks.retrySchedule = [.milliseconds(100)]
                $0.webhooks.pollInterval = .milliseconds(50)
                $0.webhooks.breakDuration = .milliseconds(200)
            }) { client in
                let hook = try await Self.subscribe(client, "\(base)/hooks/late")
                receiver.secret("late", hook.secret)
                receiver.plan("late", .failFirst(1_000_000))
                let id = try #require(try await client.register(APISamples.registration(name: "Erased Person", email: "erased.pii@example.com"))["id"] as? String)
                // Wait until the registration is queued for the endpoint and has failed at least once.
                let deadline = ContinuousClock.now + .seconds(20)
                var queued = false
                while !queued, ContinuousClock.now < deadline {
                    let items = try await client.send(.get, "/admin/webhooks/\(hook.id)/deliveries").object["items"] as? [[String: Any]] ?? []
                    queued = items.contains { $0["type"] as? String == "customer.registered.v1" && ($0["attempts"] as? Int ?? 0) >= 1 }
                    if !queued { try await Task.sleep(for: .milliseconds(50)) }
                }
                #expect(queued)
                #expect(try await client.send(.delete, "/v1/customers/\(id)").status == .noContent)
                // An attempt already on the wire when the erasure commits carries what it read before;
                // the endpoint keeps failing a while so that those drain, and accepts only later attempts.
                try await Task.sleep(for: .seconds(1))
                receiver.plan("late", .ok)
                while ContinuousClock.now < deadline, !receiver.received("late").contains(where: { $0.answered == 200 && $0.version == 2 }) {
                    try await Task.sleep(for: .milliseconds(50))
                }
                let delivered = receiver.bodies("late")
                #expect(delivered.count >= 2, "the registration and the erasure were delivered")
                for body in delivered {
                    for secret in ["erased.pii", "Erased Person", "98765-4321", "529.982.247-25", "52998224725"] {
                        #expect(!body.contains(secret), "\(secret) was sent after the erasure")
                    }
                }
            }
        }
    }

    @Test("bad subscriptions are refused with every reason; private targets only when allowed; the webhooks flag hides the routes")
    func subscriptionsAreValidated() async throws {
        try await withApp(.sqlite, configure: { $0.webhooks.allowPrivateTargets = false }) { client in
            let bad = try await client.send(.post, "/admin/webhooks", json: #"{"url": "ftp://example.com/x", "eventTypes": ["customer.##.x", ""]}"#)
            #expect(bad.status == .unprocessableContent)
            #expect(Set(bad.failedFields) == ["url", "eventTypes[0]", "eventTypes[1]"])
            for url in ["http://127.0.0.1:8080/hook", "http://10.1.2.3/hook", "http://[::1]/hook", "http://localhost/hook", "http://169.254.169.254/latest"] {
                let refused = try await client.send(.post, "/admin/webhooks", json: ##"{"url": "\##(url)", "eventTypes": ["#"]}"##)
                #expect(refused.status == .unprocessableContent, "\(url) was accepted")
            }
            #expect(try await client.send(.post, "/admin/webhooks", json: ##"{"eventTypes": ["#"]}"##).failedFields == ["url"])
            #expect(try await client.send(.get, "/admin/webhooks").object["items"] as? [Any] != nil)
        }
        try await withApp(.sqlite, configure: { $0.featureFlags["webhooks"] = .fixed(false) }) { client in
            let hidden = try await client.send(.get, "/admin/webhooks")
            #expect(hidden.status == .notFound)
            #expect(hidden.problemSlug == "feature-disabled")
        }
    }
}

@Suite("Webhook targets")
struct WebhookTargetTests {
    @Test("private, loopback, link-local, multicast and reserved addresses are refused, in IPv4 and in every IPv6 form that embeds one")
    func privateAddressesAreRefused() {
        for address in ["127.0.0.1", "10.0.0.1", "172.16.5.4", "192.168.1.1", "169.254.169.254", "100.64.0.1", "0.0.0.0", "198.18.0.1", "224.0.0.1",
                        "240.0.0.1", "::1", "::", "fc00::1", "fe80::1", "ff02::1", "::ffff:10.0.0.1", "::10.0.0.1", "64:ff9b::a9fe:a9fe", "2002:c0a8:0101::1"] {
            #expect(WebhookTarget.isPrivate(address), "\(address) counted as public")
        }
        for address in ["93.184.216.34", "8.8.8.8", "2606:4700:4700::1111", "::ffff:8.8.8.8", "64:ff9b::808:808"] {
            #expect(!WebhookTarget.isPrivate(address), "\(address) counted as private")
        }
        #expect(WebhookTarget.refusal(of: "https://user:pass@example.com/x", allowPrivate: true) != nil)
        #expect(WebhookTarget.refusal(of: "http://10.0.0.1/hook", allowPrivate: true) == nil)
    }
}
