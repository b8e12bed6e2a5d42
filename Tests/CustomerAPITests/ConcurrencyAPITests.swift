import Foundation
import HTTPTypes
import HummingbirdTesting
import TestSupport
import Testing

@Suite("Concurrent writes over HTTP")
struct ConcurrencyAPITests {
    @Test("20 concurrent registrations with one e-mail: exactly one 201, the others 409 email_taken", arguments: TestDatabase.all)
    func sameEmailRace(database: TestDatabase) async throws {
        try await withApp(database, file: true) { client in
            let statuses = try await withThrowingTaskGroup(of: (Int, String?).self) { group in
                for index in 0..<20 {
                    group.addTask {
                        let response = try await client.send(
                            .post, "/v1/customers", json: #"{"name": "Racer \#(index)", "email": "race@example.com"}"#)
                        return (response.status.code, response.problemCode)
                    }
                }
                return try await group.reduce(into: [(Int, String?)]()) { $0.append($1) }
            }
            #expect(statuses.filter { $0.0 == 201 }.count == 1)
            #expect(statuses.filter { $0.0 == 409 && $0.1 == "email_taken" }.count == 19)
        }
    }

    @Test("20 concurrent PATCHes with the same If-Match: exactly one 200, the others 412", arguments: TestDatabase.all)
    func sameIfMatchRace(database: TestDatabase) async throws {
        try await withApp(database, file: true) { client in
            let id = try #require(try await client.register()["id"] as? String)
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for index in 0..<20 {
                    group.addTask {
                        try await client.send(
                            .patch, "/v1/customers/\(id)", json: #"{"name": "Writer \#(index)"}"#, headers: [.ifMatch: "\"1\""]
                        ).status.code
                    }
                }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == 200 }.count == 1)
            #expect(statuses.filter { $0 == 412 }.count == 19)
            let current = try await client.send(.get, "/v1/customers/\(id)")
            #expect(current.headers[.eTag] == "\"2\"")
        }
    }
}
