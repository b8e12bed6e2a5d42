import CustomerApplication
import CustomerDomain
import EventBus
import Foundation
import Testing

@Suite("Integration events and redaction")
struct IntegrationEventTests {
    @Test("an integration event is a CloudEvent whose data is the payload plus customerId and version")
    func cloudEventShape() async throws {
        let store = InMemoryTransactionRunner()
        let mediator = try CustomerUseCases.mediator(
            .init(transactions: store, queries: InMemoryQueries(runner: store), cursors: .init(secret: "k"), logger: .init(label: "t"))
        )
        let customer = try await mediator.send(RegisterCustomerCommand(name: "Ana", email: "ana@example.com"))
        let message = try #require(store.state.withLock { $0.outbox.first })
        let json = try #require(try JSONSerialization.jsonObject(with: message.event.jsonData()) as? [String: Any])
        #expect(json["specversion"] as? String == "1.0")
        #expect(json["type"] as? String == "customer.registered.v1")
        #expect(json["source"] as? String == "/customerflow")
        #expect(json["subject"] as? String == customer.id.description)
        #expect(json["datacontenttype"] as? String == "application/json")
        #expect((json["time"] as? String).flatMap(Timestamp.parse) != nil)
        let data = try #require(json["data"] as? [String: Any])
        #expect(data["customerId"] as? String == customer.id.description)
        #expect(data["version"] as? Int == 1)
        #expect(data["email"] as? String == "ana@example.com")
    }

    @Test("redaction removes personal keys at any depth and keeps identifiers and the envelope")
    func redaction() throws {
        let history = Data(#"{"name":"Ana","address":{"id":"a1","street":"Rua","country":"BR"},"changed":["name"]}"#.utf8)
        let redacted = try JSONSerialization.jsonObject(with: RedactPersonalDataOnErasure.redact(history)) as? [String: Any]
        #expect(redacted?["name"] == nil)
        #expect(redacted?["changed"] as? [String] == ["name"])
        #expect((redacted?["address"] as? [String: Any])?.keys.sorted() == ["country", "id"])

        let envelope = Data(#"{"specversion":"1.0","id":"e1","subject":"c1","data":{"customerId":"c1","version":1,"email":"a@b.co"}}"#.utf8)
        let cleaned = try JSONSerialization.jsonObject(with: RedactPersonalDataOnErasure.redact(envelope)) as? [String: Any]
        #expect(cleaned?["subject"] as? String == "c1")
        #expect((cleaned?["data"] as? [String: Any])?.keys.sorted() == ["customerId", "version"])
    }

    @Test("list cursors round-trip for the same filters and are refused for others or when altered")
    func cursors() throws {
        let codec = CustomerListCursorCodec(secret: "key")
        let position = CustomerListPosition(createdAtMicroseconds: 1_790_000_000_123_456, id: .generate())
        let filter = CustomerFilter(status: .active, prefix: "an")
        let cursor = codec.encode(position, filter: filter)
        #expect(try codec.decode(cursor, filter: filter) == position)
        #expect(throws: ApplicationError.self) { try codec.decode(cursor, filter: CustomerFilter(status: .inactive, prefix: "an")) }
        #expect(throws: ApplicationError.self) { try CustomerListCursorCodec(secret: "other").decode(cursor, filter: filter) }
        #expect(throws: ApplicationError.self) { try codec.decode(String(cursor.dropLast()), filter: filter) }
        #expect(throws: ApplicationError.self) { try codec.decode("", filter: filter) }
    }
}
