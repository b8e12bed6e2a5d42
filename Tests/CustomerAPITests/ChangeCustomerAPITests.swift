import Foundation
import HTTPTypes
import HummingbirdTesting
import TestSupport
import Testing

@Suite("Changing a customer")
struct ChangeCustomerAPITests {
    @Test("PATCH is a merge patch: a value sets, null clears, absent keeps; both media types work", arguments: TestDatabase.all)
    func mergePatch(database: TestDatabase) async throws {
        try await withApp(database) { client in
            let id = try #require(try await client.register()["id"] as? String)
            let patched = try await client.send(
                .patch, "/v1/customers/\(id)", json: #"{"name": "Ana Maria", "phone": null}"#, contentType: "application/merge-patch+json")
            #expect(patched.status == .ok)
            #expect(patched.headers[.eTag] == "\"2\"")
            #expect(patched.object["name"] as? String == "Ana Maria")
            #expect(patched.object["phone"] is NSNull)
            #expect(patched.object["birthDate"] as? String == "1990-05-17")

            let again = try await client.send(.patch, "/v1/customers/\(id)", json: #"{"birthDate": "1991-01-01"}"#)
            #expect(again.status == .ok)
            #expect(again.object["birthDate"] as? String == "1991-01-01")
            #expect(again.object["version"] as? Int == 3)
        }
    }

    @Test("a patch that changes nothing records nothing and keeps the version", arguments: TestDatabase.all)
    func noOpPatch(database: TestDatabase) async throws {
        try await withApp(database) { client in
            let id = try #require(try await client.register()["id"] as? String)
            let response = try await client.send(.patch, "/v1/customers/\(id)", json: #"{"name": "Ana Souza"}"#)
            #expect(response.status == .ok)
            #expect(response.headers[.eTag] == "\"1\"")
            let history = try await client.send(.get, "/v1/customers/\(id)/history")
            #expect((history.object["items"] as? [Any])?.count == 1)
        }
    }

    @Test("PATCH refuses a null name, unknown members and wrong types, changing nothing", arguments: TestDatabase.all)
    func patchValidation(database: TestDatabase) async throws {
        try await withApp(database) { client in
            let id = try #require(try await client.register()["id"] as? String)
            let response = try await client.send(.patch, "/v1/customers/\(id)", json: #"{"name": null, "email": "x@y.z", "phone": 5}"#)
            #expect(response.status == .unprocessableContent)
            #expect(Set(response.failedFields) == ["name", "email", "phone"])
            let current = try await client.send(.get, "/v1/customers/\(id)")
            #expect(current.headers[.eTag] == "\"1\"")
        }
    }

    @Test("If-Match with a stale version is 412 and changes nothing; the current one succeeds", arguments: TestDatabase.all)
    func ifMatch(database: TestDatabase) async throws {
        try await withApp(database) { client in
            let id = try #require(try await client.register()["id"] as? String)
            let stale = try await client.send(.patch, "/v1/customers/\(id)", json: #"{"name": "B"}"#, headers: [.ifMatch: "\"5\""])
            #expect(stale.status == .preconditionFailed)
            #expect(stale.problemSlug == "precondition-failed")
            let current = try await client.send(.patch, "/v1/customers/\(id)", json: #"{"name": "B"}"#, headers: [.ifMatch: "\"1\""])
            #expect(current.status == .ok)
            let any = try await client.send(.put, "/v1/customers/\(id)/email", json: #"{"email": "b@example.com"}"#, headers: [.ifMatch: "*"])
            #expect(any.status == .ok)
            let unquoted = try await client.send(.patch, "/v1/customers/\(id)", json: #"{"name": "C"}"#, headers: [.ifMatch: "3"])
            #expect(unquoted.status == .badRequest)
            for path in ["/v1/customers/\(id)/deactivate", "/v1/customers/\(id)/reactivate"] {
                let response = try await client.send(.post, path, json: #"{"reason": "x"}"#, headers: [.ifMatch: "\"1\""])
                #expect(response.status == .preconditionFailed, "\(path)")
            }
            let erase = try await client.send(.delete, "/v1/customers/\(id)", headers: [.ifMatch: "\"1\""])
            #expect(erase.status == .preconditionFailed)
        }
    }

    @Test("PUT email changes it; a taken one is 409 email_taken", arguments: TestDatabase.all)
    func changeEmail(database: TestDatabase) async throws {
        try await withApp(database) { client in
            let id = try #require(try await client.register()["id"] as? String)
            _ = try await client.send(.post, "/v1/customers", json: #"{"name": "Other", "email": "other@example.com"}"#)
            let changed = try await client.send(.put, "/v1/customers/\(id)/email", json: #"{"email": "Fresh@Example.com"}"#)
            #expect(changed.status == .ok)
            #expect(changed.object["email"] as? String == "fresh@example.com")
            let taken = try await client.send(.put, "/v1/customers/\(id)/email", json: #"{"email": "other@example.com"}"#)
            #expect(taken.status == .conflict)
            #expect(taken.problemCode == "email_taken")
            let missing = try await client.send(.put, "/v1/customers/\(id)/email", json: #"{}"#)
            #expect(missing.status == .unprocessableContent)
            #expect(missing.failedFields == ["email"])
        }
    }

    @Test("deactivate and reactivate move between states; the wrong state is 409 invalid_state", arguments: TestDatabase.all)
    func lifecycle(database: TestDatabase) async throws {
        try await withApp(database) { client in
            let id = try #require(try await client.register()["id"] as? String)
            let reactivateActive = try await client.send(.post, "/v1/customers/\(id)/reactivate")
            #expect(reactivateActive.status == .conflict)
            #expect(reactivateActive.problemCode == "invalid_state")
            let noReason = try await client.send(.post, "/v1/customers/\(id)/deactivate", json: #"{}"#)
            #expect(noReason.status == .unprocessableContent)
            #expect(noReason.failedFields == ["reason"])
            let deactivated = try await client.send(.post, "/v1/customers/\(id)/deactivate", json: #"{"reason": "paused"}"#)
            #expect(deactivated.status == .ok)
            #expect(deactivated.object["status"] as? String == "inactive")
            let twice = try await client.send(.post, "/v1/customers/\(id)/deactivate", json: #"{"reason": "again"}"#)
            #expect(twice.status == .conflict)
            #expect(twice.problemCode == "invalid_state")
            let reactivated = try await client.send(.post, "/v1/customers/\(id)/reactivate")
            #expect(reactivated.status == .ok)
            #expect(reactivated.object["status"] as? String == "active")
            #expect(reactivated.headers[.eTag] == "\"3\"")
        }
    }

    @Test("DELETE erases: 204, then every read and write is 410 and the history holds no personal data", arguments: TestDatabase.all)
    func erasure(database: TestDatabase) async throws {
        try await withApp(database) { client in
            let id = try #require(try await client.register()["id"] as? String)
            let erased = try await client.send(.delete, "/v1/customers/\(id)")
            #expect(erased.status == .noContent)
            #expect(erased.headers[.eTag] == "\"2\"")
            #expect(try await client.send(.get, "/v1/customers/\(id)").status == .gone)
            #expect(try await client.send(.patch, "/v1/customers/\(id)", json: #"{"name": "X"}"#).status == .gone)
            #expect(try await client.send(.put, "/v1/customers/\(id)/email", json: #"{"email": "x@example.com"}"#).status == .gone)
            #expect(try await client.send(.post, "/v1/customers/\(id)/addresses", json: APISamples.address()).status == .gone)
            #expect(try await client.send(.post, "/v1/customers/\(id)/deactivate", json: #"{"reason": "x"}"#).status == .gone)
            #expect(try await client.send(.post, "/v1/customers/\(id)/reactivate").status == .gone)
            #expect(try await client.send(.delete, "/v1/customers/\(id)").status == .gone)
            let history = try await client.send(.get, "/v1/customers/\(id)/history")
            #expect(history.status == .ok)
            for secret in ["Ana", "ana@example.com", "52998224725", "Paulista", "1990-05-17", "98765"] {
                #expect(!history.text.contains(secret), "\(secret) is still in the history")
            }
            let erasedList = try await client.send(.get, "/v1/customers?status=erased")
            let items = erasedList.object["items"] as? [[String: Any]] ?? []
            #expect(items.count == 1)
            #expect(items.first?["name"] is NSNull)
        }
    }
}
