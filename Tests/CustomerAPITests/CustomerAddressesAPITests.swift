import Foundation
import HTTPTypes
import HummingbirdTesting
import TestSupport
import Testing

@Suite("Customer addresses")
struct CustomerAddressesAPITests {
    @Test("adding an address answers 201 with it, its Location and the customer's new ETag", arguments: TestDatabase.all)
    func addsAddress(database: TestDatabase) async throws {
        try await withApp(database) { client in
            let id = try #require(try await client.register()["id"] as? String)
            let response = try await client.send(.post, "/v1/customers/\(id)/addresses", json: APISamples.address(city: "Rio", primary: true))
            #expect(response.status == .created)
            #expect(response.headers[.eTag] == "\"2\"")
            let address = response.object
            try OpenAPIShapes.expect(address, matches: "Address")
            let addressID = try #require(address["id"] as? String)
            #expect(response.headers[.location] == "/v1/customers/\(id)/addresses/\(addressID)")
            #expect(address["primary"] as? Bool == true)
            let customer = try await client.send(.get, "/v1/customers/\(id)").object
            let primaries = (customer["addresses"] as? [[String: Any]] ?? []).filter { $0["primary"] as? Bool == true }
            #expect(primaries.count == 1)
            #expect(primaries.first?["id"] as? String == addressID)
        }
    }

    @Test("an eleventh address is a validation error", arguments: TestDatabase.all)
    func refusesEleventhAddress(database: TestDatabase) async throws {
        try await withApp(database) { client in
            let ten = (0..<10).map { APISamples.address(city: "City \($0)") }
            let id = try #require(try await client.register(APISamples.registration(addresses: ten))["id"] as? String)
            let response = try await client.send(.post, "/v1/customers/\(id)/addresses", json: APISamples.address(city: "Eleven"))
            #expect(response.status == .unprocessableContent)
            #expect(response.failedFields == ["addresses"])
            let eleven = (0..<11).map { APISamples.address(city: "City \($0)") }
            let atRegistration = try await client.send(.post, "/v1/customers", json: APISamples.registration(email: "b@example.com", addresses: eleven))
            #expect(atRegistration.status == .unprocessableContent)
            #expect(atRegistration.failedFields == ["addresses"])
        }
    }

    @Test("PUT replaces an address and can move the primary flag; unmarking the primary is refused", arguments: TestDatabase.all)
    func updatesAddress(database: TestDatabase) async throws {
        try await withApp(database) { client in
            let customer = try await client.register(APISamples.registration(addresses: [APISamples.address(), APISamples.address(city: "Rio")]))
            let id = try #require(customer["id"] as? String)
            let addresses = customer["addresses"] as? [[String: Any]] ?? []
            let first = try #require(addresses.first?["id"] as? String)
            let second = try #require(addresses.last?["id"] as? String)

            let moved = try await client.send(.put, "/v1/customers/\(id)/addresses/\(second)", json: APISamples.address(city: "Niterói", primary: true))
            #expect(moved.status == .ok)
            #expect(moved.object["city"] as? String == "Niterói")
            #expect(moved.object["primary"] as? Bool == true)
            #expect(moved.headers[.eTag] == "\"2\"")

            let unmark = try await client.send(.put, "/v1/customers/\(id)/addresses/\(second)", json: APISamples.address(city: "Niterói", primary: false))
            #expect(unmark.status == .conflict)
            #expect(unmark.problemCode == "invalid_state")

            let keepsFlag = try await client.send(.put, "/v1/customers/\(id)/addresses/\(first)", json: APISamples.address(city: "Santos"))
            #expect(keepsFlag.status == .ok)
            #expect(keepsFlag.object["primary"] as? Bool == false)

            let unknown = try await client.send(.put, "/v1/customers/\(id)/addresses/01930000-0000-7000-8000-000000000000", json: APISamples.address())
            #expect(unknown.status == .notFound)
            let malformed = try await client.send(.put, "/v1/customers/\(id)/addresses/nope", json: APISamples.address())
            #expect(malformed.status == .badRequest)
            let invalid = try await client.send(.put, "/v1/customers/\(id)/addresses/\(first)", json: #"{"street": "", "country": 1}"#)
            #expect(invalid.status == .unprocessableContent)
            #expect(Set(invalid.failedFields) == ["street", "number", "city", "postalCode", "country"])
        }
    }

    @Test("removing the primary address makes the oldest remaining one primary", arguments: TestDatabase.all)
    func removesPrimary(database: TestDatabase) async throws {
        try await withApp(database) { client in
            let customer = try await client.register(
                APISamples.registration(addresses: [APISamples.address(city: "A"), APISamples.address(city: "B"), APISamples.address(city: "C", primary: true)]))
            let id = try #require(customer["id"] as? String)
            let ids = (customer["addresses"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
            let removed = try await client.send(.delete, "/v1/customers/\(id)/addresses/\(ids[2])")
            #expect(removed.status == .noContent)
            #expect(removed.headers[.eTag] == "\"2\"")
            let after = try await client.send(.get, "/v1/customers/\(id)").object["addresses"] as? [[String: Any]] ?? []
            #expect(after.compactMap { $0["city"] as? String } == ["A", "B"])
            #expect(after.map { $0["primary"] as? Bool } == [true, false])
            let again = try await client.send(.delete, "/v1/customers/\(id)/addresses/\(ids[2])")
            #expect(again.status == .notFound)
        }
    }
}
