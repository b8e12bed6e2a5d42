import Foundation
import HTTPTypes
import HummingbirdTesting
import TestSupport
import Testing

@Suite("GET /v1/customers…")
struct ReadCustomerAPITests {
    @Test("a customer reads back with its ETag; If-None-Match with it answers 304", arguments: TestDatabase.all)
    func getsWithETag(database: TestDatabase) async throws {
        try await withApp(database) { client in
            let id = try #require(try await client.register()["id"] as? String)
            let response = try await client.send(.get, "/v1/customers/\(id)")
            #expect(response.status == .ok)
            #expect(response.headers[.eTag] == "\"1\"")
            try OpenAPIShapes.expect(response.object, matches: "Customer")
            let cached = try await client.send(.get, "/v1/customers/\(id)", headers: [.ifNoneMatch: "\"1\""])
            #expect(cached.status == .notModified)
            #expect(cached.body.readableBytes == 0)
            let stale = try await client.send(.get, "/v1/customers/\(id)", headers: [.ifNoneMatch: "\"7\""])
            #expect(stale.status == .ok)
        }
    }

    @Test("an unknown id is 404, an id that is not a UUID is 400", arguments: TestDatabase.all)
    func unknownAndMalformedIDs(database: TestDatabase) async throws {
        try await withApp(database) { client in
            let unknown = try await client.send(.get, "/v1/customers/01930000-0000-7000-8000-000000000000")
            #expect(unknown.status == .notFound)
            #expect(unknown.problemSlug == "not-found")
            let malformed = try await client.send(.get, "/v1/customers/not-a-uuid")
            #expect(malformed.status == .badRequest)
            #expect(malformed.problemSlug == "malformed-request")
            #expect(malformed.object["instance"] as? String == "/v1/customers/not-a-uuid")
        }
    }

    @Test("a list page has the documented items and pages on with its cursor", arguments: TestDatabase.all)
    func listsAndPages(database: TestDatabase) async throws {
        try await withApp(database) { client in
            var ids: [String] = []
            for index in 0..<5 {
                ids.append(try #require(try await client.register(APISamples.registration(name: "P\(index)", email: "p\(index)@example.com", document: nil))["id"] as? String))
            }
            let first = try await client.send(.get, "/v1/customers?limit=2")
            #expect(first.status == .ok)
            let items = first.object["items"] as? [[String: Any]] ?? []
            #expect(items.count == 2)
            for item in items { try OpenAPIShapes.expect(item, matches: "CustomerSummary") }
            #expect(items.first?["city"] as? String == "São Paulo")
            var seen = items.compactMap { $0["id"] as? String }
            var cursor = first.object["nextCursor"] as? String
            while let next = cursor {
                let encoded = next.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? next
                let page = try await client.send(.get, "/v1/customers?limit=2&cursor=\(encoded)")
                #expect(page.status == .ok)
                seen += (page.object["items"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
                cursor = page.object["nextCursor"] as? String
            }
            #expect(seen == ids.reversed())
        }
    }

    @Test("limit out of range or not a number is a validation error", arguments: TestDatabase.all)
    func refusesBadLimits(database: TestDatabase) async throws {
        try await withApp(database) { client in
            for limit in ["0", "201", "abc", "-1", "1.5"] {
                let response = try await client.send(.get, "/v1/customers?limit=\(limit)")
                #expect(response.status == .unprocessableContent, "limit=\(limit)")
                #expect(response.failedFields == ["limit"])
            }
            let badStatus = try await client.send(.get, "/v1/customers?status=deleted")
            #expect(badStatus.status == .unprocessableContent)
            #expect(badStatus.failedFields == ["status"])
        }
    }

    @Test("a tampered cursor is a malformed request", arguments: TestDatabase.all)
    func refusesTamperedCursor(database: TestDatabase) async throws {
        try await withApp(database) { client in
            for index in 0..<3 { _ = try await client.register(APISamples.registration(email: "c\(index)@example.com", document: nil)) }
            let first = try await client.send(.get, "/v1/customers?limit=1")
            let cursor = try #require(first.object["nextCursor"] as? String)
            let tampered = "x" + cursor.dropFirst()
            let response = try await client.send(.get, "/v1/customers?limit=1&cursor=\(tampered)")
            #expect(response.status == .badRequest)
            #expect(response.problemSlug == "malformed-request")
            let garbage = try await client.send(.get, "/v1/customers?cursor=%00%FF")
            #expect(garbage.status == .badRequest)
        }
    }

    @Test("filters: q by prefix, exact email and document", arguments: TestDatabase.all)
    func filters(database: TestDatabase) async throws {
        try await withApp(database) { client in
            _ = try await client.register(APISamples.registration(name: "Marta Rocha", email: "marta@example.com"))
            _ = try await client.send(.post, "/v1/customers", json: #"{"name": "Mario", "email": "mario@example.com"}"#)
            func names(_ query: String) async throws -> [String] {
                let response = try await client.send(.get, "/v1/customers?\(query)")
                #expect(response.status == .ok, "\(query): \(response.text)")
                return (response.object["items"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }.sorted()
            }
            #expect(try await names("q=MAR") == ["Mario", "Marta Rocha"])
            #expect(try await names("q=mart") == ["Marta Rocha"])
            #expect(try await names("email=MARIO%40example.com") == ["Mario"])
            #expect(try await names("document=529.982.247-25") == ["Marta Rocha"])
            #expect(try await names("status=inactive").isEmpty)
        }
    }

    @Test("history lists events in version order with their data", arguments: TestDatabase.all)
    func history(database: TestDatabase) async throws {
        try await withApp(database) { client in
            let id = try #require(try await client.register()["id"] as? String)
            _ = try await client.send(.put, "/v1/customers/\(id)/email", json: #"{"email": "new@example.com"}"#)
            let response = try await client.send(.get, "/v1/customers/\(id)/history")
            #expect(response.status == .ok)
            let items = response.object["items"] as? [[String: Any]] ?? []
            for item in items { try OpenAPIShapes.expect(item, matches: "HistoryItem") }
            #expect(items.map { $0["type"] as? String } == ["customer.registered", "customer.email_changed"])
            #expect(items.map { $0["version"] as? Int } == [1, 2])
            #expect((items.last?["data"] as? [String: Any])?["email"] as? String == "new@example.com")
            let unknown = try await client.send(.get, "/v1/customers/01930000-0000-7000-8000-000000000000/history")
            #expect(unknown.status == .notFound)
        }
    }
}
