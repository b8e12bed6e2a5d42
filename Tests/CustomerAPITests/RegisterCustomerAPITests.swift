import Foundation
import HTTPTypes
import HummingbirdTesting
import TestSupport
import Testing

@Suite("POST /v1/customers")
struct RegisterCustomerAPITests {
    @Test("registration answers 201 with Location, ETag and the customer, normalised", arguments: TestDatabase.all)
    func registers(database: TestDatabase) async throws {
        try await withApp(database) { client in
            let response = try await client.send(.post, "/v1/customers", json: APISamples.registration(email: "  Ana@Example.COM "))
            #expect(response.status == .created)
            let customer = response.object
            let id = try #require(customer["id"] as? String)
            #expect(response.headers[.location] == "/v1/customers/\(id)")
            #expect(response.headers[.eTag] == "\"1\"")
            #expect(response.headers[.contentType] == "application/json")
            #expect(customer["email"] as? String == "ana@example.com")
            #expect(customer["phone"] as? String == "+5511987654321")
            #expect((customer["document"] as? [String: Any])?["number"] as? String == "52998224725")
            #expect(customer["status"] as? String == "active")
            #expect(customer["version"] as? Int == 1)
            let addresses = customer["addresses"] as? [[String: Any]] ?? []
            #expect(addresses.count == 1)
            #expect(addresses.first?["primary"] as? Bool == true)
            #expect(addresses.first?["country"] as? String == "BR")
            #expect(addresses.first?["complement"] is NSNull)
            #expect((customer["createdAt"] as? String)?.hasSuffix("Z") == true)
        }
    }

    @Test("optional members come back as null, not missing", arguments: TestDatabase.all)
    func minimalRegistration(database: TestDatabase) async throws {
        try await withApp(database) { client in
            let response = try await client.send(.post, "/v1/customers", json: #"{"name": "Bo", "email": "bo@example.com"}"#)
            #expect(response.status == .created)
            let customer = response.object
            for key in ["phone", "document", "birthDate"] {
                #expect(customer[key] is NSNull, "\(key) should be null")
            }
            #expect((customer["addresses"] as? [Any])?.isEmpty == true)
            try OpenAPIShapes.expect(customer, matches: "Customer")
        }
    }

    @Test("every failing field is listed: missing, wrong JSON type, invalid, nested", arguments: TestDatabase.all)
    func listsEveryFailure(database: TestDatabase) async throws {
        try await withApp(database) { client in
            let body = """
                {"email": 42, "phone": "12345", "document": {"type": "cpf", "number": "111.111.111-11"},
                 "birthDate": "2999-01-01",
                 "addresses": [\(APISamples.address()), {"street": "Rua B", "number": "2", "city": "Rio", "postalCode": "!!", "country": "XX"}]}
                """
            let response = try await client.send(.post, "/v1/customers", json: body)
            #expect(response.status == .unprocessableContent)
            #expect(response.headers[.contentType] == "application/problem+json")
            #expect(response.problemSlug == "validation")
            #expect(Set(response.failedFields) == [
                "name", "email", "phone", "document.number", "birthDate", "addresses[1].postalCode", "addresses[1].country",
            ])
            let list = try await client.send(.get, "/v1/customers")
            #expect((list.object["items"] as? [Any])?.isEmpty == true)
        }
    }

    @Test("more than one address marked primary is a validation error", arguments: TestDatabase.all)
    func refusesTwoPrimaries(database: TestDatabase) async throws {
        try await withApp(database) { client in
            let body = APISamples.registration(addresses: [APISamples.address(primary: true), APISamples.address(city: "Rio", primary: true)])
            let response = try await client.send(.post, "/v1/customers", json: body)
            #expect(response.status == .unprocessableContent)
            #expect(response.failedFields == ["addresses"])
        }
    }

    @Test("the marked address is primary, not the first", arguments: TestDatabase.all)
    func honoursMarkedPrimary(database: TestDatabase) async throws {
        try await withApp(database) { client in
            let customer = try await client.register(
                APISamples.registration(addresses: [APISamples.address(city: "Rio"), APISamples.address(city: "Recife", primary: true)]))
            let addresses = customer["addresses"] as? [[String: Any]] ?? []
            #expect(addresses.map { $0["primary"] as? Bool } == [false, true])
        }
    }

    @Test("a second customer with the same e-mail or document is a conflict with its code", arguments: TestDatabase.all)
    func refusesTakenEmailAndDocument(database: TestDatabase) async throws {
        try await withApp(database) { client in
            _ = try await client.register()
            let sameEmail = try await client.send(.post, "/v1/customers", json: #"{"name": "X", "email": "ANA@example.com"}"#)
            #expect(sameEmail.status == .conflict)
            #expect(sameEmail.problemCode == "email_taken")
            let sameDocument = try await client.send(
                .post, "/v1/customers", json: #"{"name": "X", "email": "x@example.com", "document": {"type": "cpf", "number": "52998224725"}}"#)
            #expect(sameDocument.status == .conflict)
            #expect(sameDocument.problemCode == "document_taken")
        }
    }

    @Test("the same Idempotency-Key and body replay the first response; another body is refused", arguments: TestDatabase.all)
    func idempotencyKey(database: TestDatabase) async throws {
        try await withApp(database) { client in
            let key: HTTPFields = [.init("Idempotency-Key")!: "order-42"]
            let first = try await client.send(.post, "/v1/customers", json: APISamples.registration(), headers: key)
            #expect(first.status == .created)
            #expect(first.headers[.init("Idempotent-Replayed")!] == nil)

            // The same JSON, formatted differently, is the same request.
            let reformatted = APISamples.registration().replacingOccurrences(of: "\n", with: " ")
            let replay = try await client.send(.post, "/v1/customers", json: reformatted, headers: key)
            #expect(replay.status == .created)
            #expect(replay.headers[.init("Idempotent-Replayed")!] == "true")
            #expect(replay.text == first.text)
            #expect(replay.headers[.location] == first.headers[.location])
            #expect(replay.headers[.eTag] == first.headers[.eTag])

            let other = try await client.send(.post, "/v1/customers", json: APISamples.registration(name: "Other"), headers: key)
            #expect(other.status == .unprocessableContent)
            #expect(other.problemCode == "idempotency_key_reused")

            let list = try await client.send(.get, "/v1/customers")
            #expect((list.object["items"] as? [Any])?.count == 1)
        }
    }

    @Test("a failed request stores nothing under its Idempotency-Key", arguments: TestDatabase.all)
    func failuresAreNotStored(database: TestDatabase) async throws {
        try await withApp(database) { client in
            let key: HTTPFields = [.init("Idempotency-Key")!: "retry-me"]
            let invalid = try await client.send(.post, "/v1/customers", json: #"{"name": "X"}"#, headers: key)
            #expect(invalid.status == .unprocessableContent)
            let fixed = try await client.send(.post, "/v1/customers", json: APISamples.registration(), headers: key)
            #expect(fixed.status == .created)
            #expect(fixed.headers[.init("Idempotent-Replayed")!] == nil)
        }
    }

    @Test("keys are scoped to the route: the same key on another route is a new request", arguments: TestDatabase.all)
    func keysAreScopedToRoutes(database: TestDatabase) async throws {
        try await withApp(database) { client in
            let key: HTTPFields = [.init("Idempotency-Key")!: "shared"]
            let customer = try await client.send(.post, "/v1/customers", json: APISamples.registration(), headers: key)
            let id = try #require(customer.object["id"] as? String)
            let address = try await client.send(.post, "/v1/customers/\(id)/addresses", json: APISamples.address(city: "Rio"), headers: key)
            #expect(address.status == .created)
            #expect(address.headers[.init("Idempotent-Replayed")!] == nil)
            let replay = try await client.send(.post, "/v1/customers/\(id)/addresses", json: APISamples.address(city: "Rio"), headers: key)
            #expect(replay.headers[.init("Idempotent-Replayed")!] == "true")
            #expect(replay.text == address.text)
        }
    }
}
