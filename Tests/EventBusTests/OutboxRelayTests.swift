import CustomerApplication
import CustomerDomain
import EventBus
import Foundation
import Persistence
import SQLKit
import Synchronization
import TestSupport
import Testing

@Suite("Outbox relay and consumers", .serialized)
struct OutboxRelayTests {
    @Test("end to end: every event of every customer arrives exactly once, in version order", arguments: EventBusSetup.all)
    func endToEnd(setup: EventBusSetup) async throws {
        try await EventBusHarness.with(setup) { harness in
            try await withThrowingTaskGroup(of: Void.self) { services in
                services.addTask { try await harness.relay().run() }
                services.addTask { try await harness.consumer([harness.recordingSubscription()]).run() }
                defer { services.cancelAll() }
                let customers = try await harness.writeEvents(customers: 20, changes: 4)
                try await EventBusHarness.eventually("100 events are handled") { try await harness.received().count >= 100 }
                try await Task.sleep(for: .milliseconds(300))
                expectCompleteAndOrdered(try await harness.received(), subjects: customers, versions: 5)
                #expect(try await harness.outboxCount(status: "published") == 100)
                let stats = try await harness.outbox.stats(now: Date())
                #expect(stats.pending == 0 && stats.failed == 0 && stats.oldestPendingAgeSeconds == nil)
                #expect(stats.publishedLastMinute == 100)
            }
        }
    }

    @Test("a commit wakes the relay at once: no wait for the poll interval", arguments: EventBusSetup.all)
    func commitWakesTheRelay(setup: EventBusSetup) async throws {
        try await EventBusHarness.with(setup) { harness in
            try await withThrowingTaskGroup(of: Void.self) { services in
                services.addTask { try await harness.relay(poll: .seconds(600)).run() }
                services.addTask { try await harness.consumer([harness.recordingSubscription()]).run() }
                defer { services.cancelAll() }
                try await Task.sleep(for: .milliseconds(300))
                let start = ContinuousClock.now
                try await harness.writeEvents(customers: 1, changes: 0)
                try await EventBusHarness.eventually("the event arrives", timeout: .seconds(10)) { try await harness.received().count == 1 }
                #expect(ContinuousClock.now - start < .seconds(5))
            }
        }
    }

    @Test("three relays on one database: no event published twice, order kept per customer", arguments: EventBusSetup.all)
    func threeRelays(setup: EventBusSetup) async throws {
        try await EventBusHarness.with(setup) { harness in
            let raw = RawRecorder()
            // Three instances: each relay with its own connection pool, as separate processes have.
            var clients: [any DatabaseClient] = []
            for _ in 0..<3 { clients.append(try await DatabaseClients.open(harness.url, poolSize: 4, logger: .quiet)) }
            let instanceClients = clients
            try await withThrowingTaskGroup(of: Void.self) { services in
                for client in instanceClients {
                    services.addTask { try await client.run() }
                    services.addTask { try await harness.relay(batchSize: 25, client: client).run() }
                }
                services.addTask {
                    try await harness.transport.consume(group: "raw", bindings: ["customer.#"], prefetch: 100) { delivery in
                        raw.record(delivery)
                        await delivery.ack()
                    }
                }
                defer { services.cancelAll() }
                try await Task.sleep(for: .milliseconds(300))
                let customers = try await harness.writeEvents(customers: 30, changes: 5)
                try await EventBusHarness.eventually("180 events are published") { raw.count >= 180 }
                try await Task.sleep(for: .milliseconds(500))
                let deliveries = raw.all
                #expect(deliveries.count == 180, "published \(deliveries.count) times for 180 events")
                #expect(Set(deliveries.map(\.messageID)).count == deliveries.count, "an event was published twice")
                expectCompleteAndOrdered(deliveries, subjects: customers, versions: 6)
            }
            for client in instanceClients { await client.shutdown() }
        }
    }

    @Test("a relay that dies holding claims: another takes over after the lease, nothing lost, order kept", arguments: EventBusSetup.all)
    func deadRelayIsTakenOver(setup: EventBusSetup) async throws {
        try await EventBusHarness.with(setup) { harness in
            let customers = try await harness.writeEvents(customers: 10, changes: 2)
            // The first relay claims everything, then "dies": it never publishes nor releases.
            let claimed = try await harness.outbox.claim(relay: "dead", limit: 500, now: Date(), leaseUntil: Date().addingTimeInterval(2), excluding: [])
            #expect(claimed.records.count == 30)
            try await withThrowingTaskGroup(of: Void.self) { services in
                services.addTask { try await harness.relay(poll: .milliseconds(100)).run() }
                services.addTask { try await harness.consumer([harness.recordingSubscription()]).run() }
                defer { services.cancelAll() }
                try await Task.sleep(for: .seconds(1))
                #expect(try await harness.received().isEmpty, "claims were taken before their lease ended")
                try await EventBusHarness.eventually("30 events are handled") { try await harness.received().count >= 30 }
                expectCompleteAndOrdered(try await harness.received(), subjects: customers, versions: 3)
            }
        }
    }

    @Test("a handler that always fails ends failed in the inbox after its attempts; retry runs it again", arguments: EventBusSetup.all)
    func failingHandler(setup: EventBusSetup) async throws {
        try await EventBusHarness.with(setup) { harness in
            let refuse = Atomic<Bool>(true)
            let attempts = Atomic<Int>(0)
            let subscription = harness.recordingSubscription { _ in
                attempts.add(1, ordering: .relaxed)
                return refuse.load(ordering: .relaxed)
            }
            try await withThrowingTaskGroup(of: Void.self) { services in
                services.addTask { try await harness.relay().run() }
                services.addTask { try await harness.consumer([subscription]).run() }
                defer { services.cancelAll() }
                try await harness.writeEvents(customers: 1, changes: 0)
                try await EventBusHarness.eventually("the message is failed in the inbox") { try await harness.inbox.stats(now: Date()).failed == 1 }
                #expect(attempts.load(ordering: .relaxed) == 3)
                let failed = try await harness.inbox.entries(status: .failed, group: nil, limit: 10, before: nil)
                #expect(failed.first?.attempts == 3)
                #expect(failed.first?.lastError?.contains("handler refused") == true)
                #expect(try await harness.received().isEmpty)

                refuse.store(false, ordering: .relaxed)
                #expect(try await harness.inbox.retry(id: try #require(failed.first?.position)))
                try await EventBusHarness.eventually("the retried message is processed") { try await harness.received().count == 1 }
                let stats = try await harness.inbox.stats(now: Date())
                #expect(stats.failed == 0 && stats.processed == 1)
            }
        }
    }

    @Test("a duplicate delivery runs the handler once", arguments: EventBusSetup.all)
    func inboxDeduplicates(setup: EventBusSetup) async throws {
        try await EventBusHarness.with(setup) { harness in
            try await harness.writeEvents(customers: 1, changes: 1)
            let relay = harness.relay()
            try await withThrowingTaskGroup(of: Void.self) { services in
                services.addTask { try await harness.consumer([harness.recordingSubscription()]).run() }
                defer { services.cancelAll() }
                try await Task.sleep(for: .milliseconds(300))
                try await relay.runRound()
                // Publish the same rows again, as a relay whose marking was lost would.
                try await harness.client.withConnection { database in
                    try await database.raw("UPDATE \(ident: harness.names.outbox) SET status = 'pending', published_at = NULL").run()
                }
                try await relay.runRound()
                try await EventBusHarness.eventually("the inbox saw both deliveries") {
                    let received = try await harness.received().count
                    let published = try await harness.outboxCount(status: "published")
                    return received == 2 && published == 2
                }
                try await Task.sleep(for: .milliseconds(500))
                #expect(try await harness.received().count == 2)
            }
        }
    }

    @Test("a message that is not a CloudEvent is stored failed with the reason instead of looping", arguments: EventBusSetup.all)
    func poisonMessage(setup: EventBusSetup) async throws {
        try await EventBusHarness.with(setup) { harness in
            try await withThrowingTaskGroup(of: Void.self) { services in
                services.addTask { try await harness.consumer([harness.recordingSubscription()]).run() }
                defer { services.cancelAll() }
                try await Task.sleep(for: .milliseconds(500))
                let results = try await harness.transport.publish([
                    OutboundMessage(id: "poison-1", routingKey: "customer.garbage.v1", body: Data("{not json".utf8), headers: ["ce-id": "poison-1"])
                ])
                #expect(results == [.confirmed])
                try await EventBusHarness.eventually("the poison message is failed") { try await harness.inbox.stats(now: Date()).failed == 1 }
                let entry = try #require(try await harness.inbox.entries(status: .failed, group: "recorder", limit: 1, before: nil).first)
                #expect(entry.messageID == "poison-1")
                #expect(entry.lastError?.contains("unreadable") == true)
            }
        }
    }

    @Test("retention deletes old published and failed rows in batches and keeps the rest", arguments: TestDatabase.all)
    func retention(database: TestDatabase) async throws {
        try await EventBusHarness.with(EventBusSetup(database: database, broker: .memory)) { harness in
            try await harness.writeEvents(customers: 5, changes: 1)
            let relay = harness.relay()
            try await relay.runRound()
            #expect(try await harness.outboxCount(status: "published") == 10)
            let retention = EventRetention(
                outbox: harness.outbox, inbox: harness.inbox, configuration: .init(publishedRetention: .seconds(3600), batchSize: 3), logger: .quiet)
            #expect(try await retention.purgeOnce(now: Date()).outbox == 0)
            let purged = try await retention.purgeOnce(now: Date().addingTimeInterval(7200))
            #expect(purged.outbox == 10)
            #expect(try await harness.outboxCount(status: "published") == 0)
        }
    }
}

/// Records raw deliveries (before any inbox), to count what the relay published.
final class RawRecorder: Sendable {
    private let deliveries = Mutex<[(subject: String, version: Int, messageID: String)]>([])

    func record(_ delivery: Delivery) {
        let object = (try? JSONSerialization.jsonObject(with: delivery.body)) as? [String: Any]
        let data = object?["data"] as? [String: Any]
        deliveries.withLock {
            $0.append((object?["subject"] as? String ?? "", data?["version"] as? Int ?? -1, object?["id"] as? String ?? ""))
        }
    }

    var count: Int { deliveries.withLock { $0.count } }
    var all: [(subject: String, version: Int, messageID: String)] { deliveries.withLock { $0 } }
}
