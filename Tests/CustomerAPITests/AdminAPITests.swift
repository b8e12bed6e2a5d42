import EventBus
import Foundation
import HTTPTypes
import HummingbirdTesting
import Synchronization
import TestSupport
import Testing

@testable import customerflow

/// A transport that refuses every message, to drive events into the failed state through the
/// real relay (a stand-in for a broker that returns them).
final class RefusingTransport: Transport {
    let refusing = Atomic<Bool>(true)

    func publish(_ messages: [OutboundMessage]) async throws -> [PublishResult] {
        messages.map { _ in refusing.load(ordering: .relaxed) ? .rejected("refused for the test") : .confirmed }
    }

    func consume(group: String, bindings: [String], prefetch: Int, handler: @escaping @Sendable (Delivery) async throws -> Void) async throws {
        try await Task.sleep(for: .seconds(3600))
    }

    func shutdown() async {}
}

@Suite("Operator API")
struct AdminAPITests {
    static func eventually(_ what: String, _ condition: @Sendable () async throws -> Bool) async throws {
        for _ in 0..<200 {
            if try await condition() { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        Issue.record("timed out waiting until \(what)")
    }

    @Test("the relay publishes what writes put in the outbox; stats and listings show it", arguments: TestDatabase.all)
    func outboxStatsAndListing(database: TestDatabase) async throws {
        try await withApp(database) { client async throws in
            for index in 0..<3 {
                _ = try await client.register(APISamples.registration(email: "s\(index)@example.com", document: nil))
            }
            try await Self.eventually("3 events are published") {
                try await client.send(.get, "/admin/outbox/stats").object["published"] as? Int == 3
            }
            let stats = try await client.send(.get, "/admin/outbox/stats")
            #expect(stats.status == .ok)
            try OpenAPIShapes.expect(stats.object, matches: "OutboxStats")
            #expect(stats.object["pending"] as? Int == 0)
            #expect(stats.object["oldestPendingAgeSeconds"] is NSNull)
            #expect(stats.object["publishedLastMinute"] as? Int == 3)
            // Per minute, the latest first: all three in the last minute, none before.
            #expect(stats.object["publishedPerMinute"] as? [Int] == [3] + Array(repeating: 0, count: 9))

            let first = try await client.send(.get, "/admin/outbox?status=published&limit=2")
            #expect(first.status == .ok)
            let items = first.object["items"] as? [[String: Any]] ?? []
            #expect(items.count == 2)
            for item in items { try OpenAPIShapes.expect(item, matches: "OutboxEntry") }
            #expect(items.allSatisfy { $0["type"] as? String == "customer.registered.v1" && $0["status"] as? String == "published" })
            let cursor = try #require(first.object["nextCursor"] as? String)
            let second = try await client.send(.get, "/admin/outbox?status=published&limit=2&cursor=\(cursor)")
            #expect((second.object["items"] as? [Any])?.count == 1)
            #expect(second.object["nextCursor"] is NSNull)
            #expect((try await client.send(.get, "/admin/outbox?type=customer.erased.v1").object["items"] as? [Any])?.isEmpty == true)
        }
    }

    @Test("listings refuse unknown statuses, bad limits and foreign cursors", arguments: TestDatabase.all)
    func listingValidation(database: TestDatabase) async throws {
        try await withApp(database) { client async throws in
            for path in ["/admin/outbox", "/admin/inbox"] {
                #expect(try await client.send(.get, "\(path)?status=lost").status == .unprocessableContent)
                #expect(try await client.send(.get, "\(path)?limit=0").status == .unprocessableContent)
                #expect(try await client.send(.get, "\(path)?cursor=abc").status == .badRequest)
            }
        }
    }

    /// Found by schemathesis: a NUL in a filter reached PostgreSQL, which cannot store one, and
    /// the dashboard answered 500.
    @Test("filters with control characters or over 255 characters are refused with 422 naming the field", arguments: TestDatabase.all)
    func filterValidation(database: TestDatabase) async throws {
        try await withApp(database) { client async throws in
            let long = String(repeating: "a", count: 256)
            for (path, field) in [("/admin/outbox?type=", "type"), ("/admin/inbox?group=", "group"), ("/admin?q=", "q")] {
                for value in ["a%00b", "t%C2%A9v%00%1CR", "x%07", long] {
                    let response = try await client.send(.get, path + value)
                    #expect(response.status == .unprocessableContent, "\(path)\(value.prefix(20)): \(response.status)")
                    #expect(response.failedFields == [field], "\(path)")
                }
                // Blank is no filter; ordinary text is a filter that matches nothing here.
                #expect(try await client.send(.get, path + "%20%20").status == .ok)
                #expect(try await client.send(.get, path + "customer.registered.v1").status == .ok)
            }
        }
    }

    @Test("a refused event becomes failed after its attempts, blocks its customer, and retry sends it", arguments: TestDatabase.all)
    func failedEventsAndRetry(database: TestDatabase) async throws {
        let transport = RefusingTransport()
        try await withApp(database, configure: { $0.eventBus.maxAttempts = 1 }, transport: transport) { client in
            let customer = try await client.register()
            let id = try #require(customer["id"] as? String)
            try await Self.eventually("the event fails") {
                try await client.send(.get, "/admin/outbox/stats").object["failed"] as? Int == 1
            }
            _ = try await client.send(.patch, "/v1/customers/\(id)", json: #"{"name": "Blocked"}"#)
            try await Task.sleep(for: .milliseconds(400))
            let stats = try await client.send(.get, "/admin/outbox/stats").object
            #expect(stats["failed"] as? Int == 1)
            #expect(stats["pending"] as? Int == 1, "the later event of the customer must wait")
            #expect((stats["oldestPendingAgeSeconds"] as? Double).map { $0 >= 0 } == true)

            let failed = try await client.send(.get, "/admin/outbox?status=failed").object["items"] as? [[String: Any]] ?? []
            #expect(failed.first?["lastError"] as? String == "refused for the test")
            #expect(failed.first?["attempts"] as? Int == 1)
            let eventID = try #require(failed.first?["id"] as? String)

            #expect(try await client.send(.post, "/admin/outbox/no-such-event/retry").status == .notFound)
            transport.refusing.store(false, ordering: .relaxed)
            let retried = try await client.send(.post, "/admin/outbox/\(eventID)/retry")
            #expect(retried.status == .ok)
            #expect(retried.object["retried"] as? Int == 1)
            try await Self.eventually("both events are published") {
                try await client.send(.get, "/admin/outbox/stats").object["published"] as? Int == 2
            }
            let none = try await client.send(.post, "/admin/outbox/retry-failed")
            #expect(none.object["retried"] as? Int == 0)
        }
    }

    @Test("retry-failed puts every failed event back", arguments: TestDatabase.all)
    func retryAllFailed(database: TestDatabase) async throws {
        let transport = RefusingTransport()
        try await withApp(database, configure: { $0.eventBus.maxAttempts = 1 }, transport: transport) { client in
            for index in 0..<2 { _ = try await client.register(APISamples.registration(email: "f\(index)@example.com", document: nil)) }
            try await Self.eventually("both events fail") {
                try await client.send(.get, "/admin/outbox/stats").object["failed"] as? Int == 2
            }
            transport.refusing.store(false, ordering: .relaxed)
            let retried = try await client.send(.post, "/admin/outbox/retry-failed")
            #expect(retried.object["retried"] as? Int == 2)
            try await Self.eventually("both are published") {
                try await client.send(.get, "/admin/outbox/stats").object["published"] as? Int == 2
            }
        }
    }

    @Test("the inbox endpoints answer with their documented shapes", arguments: TestDatabase.all)
    func inboxEndpoints(database: TestDatabase) async throws {
        try await withApp(database) { client async throws in
            let stats = try await client.send(.get, "/admin/inbox/stats")
            #expect(stats.status == .ok)
            try OpenAPIShapes.expect(stats.object, matches: "InboxStats")
            let list = try await client.send(.get, "/admin/inbox?status=failed")
            try OpenAPIShapes.expect(list.object, matches: "InboxPage")
            #expect(try await client.send(.post, "/admin/inbox/abc/retry").status == .badRequest)
            #expect(try await client.send(.post, "/admin/inbox/42/retry").status == .notFound)
            #expect(try await client.send(.post, "/admin/inbox/retry-failed").object["retried"] as? Int == 0)
        }
    }
}
