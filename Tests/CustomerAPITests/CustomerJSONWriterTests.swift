import CustomerApplication
import CustomerDomain
import Foundation
import Testing

@testable import CustomerAPI

/// The hand-written customer JSON against what `JSONEncoder` writes for the same value.
@Suite("Customer JSON writer")
struct CustomerJSONWriterTests {
    static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    static func customer(name: String?, addresses: [AddressDetails], document: DocumentPayload?) -> CustomerDetails {
        CustomerDetails(
            id: CustomerID(UUID()), name: name, email: name == nil ? nil : "ana@example.com", phone: name == nil ? nil : "+5511987654321",
            document: document, birthDate: name == nil ? nil : "1990-05-17", status: name == nil ? .erased : .active,
            addresses: addresses, version: 42, createdAt: Date(timeIntervalSince1970: 1_790_000_000.123456),
            updatedAt: Date(timeIntervalSince1970: 1_790_000_100.5))
    }

    static let address = AddressDetails(
        id: AddressID(UUID()), label: "casa / home", street: "Rua \"Aspas\" \\ barra", number: "10", complement: nil,
        district: "Centro", city: "São Paulo", state: "SP", postalCode: "01310-100", country: "BR", primary: true)

    @Test("the same bytes as JSONEncoder with sorted keys, for full, erased and address-less customers")
    func sameBytesAsTheEncoder() throws {
        let plain = AddressDetails(
            id: AddressID(UUID()), label: nil, street: "Avenida Paulista", number: "1000", complement: "apto 12", district: nil,
            city: "Recife", state: nil, postalCode: "50000-000", country: "BR", primary: false)
        for customer in [
            Self.customer(name: "Ana Souza 🇧🇷 / Çedilha", addresses: [Self.address, plain], document: DocumentPayload(type: "cpf", number: "52998224725")),
            Self.customer(name: nil, addresses: [], document: nil),
            Self.customer(name: "Bob", addresses: [plain], document: nil),
        ] {
            let written = CustomerJSONWriter.encode(customer)
            let encoded = try Self.encoder().encode(customer)
            #expect(String(decoding: written, as: UTF8.self) == String(decoding: encoded, as: UTF8.self))
        }
    }

    @Test("control characters are escaped so that the document parses to the same values")
    func controlCharacters() throws {
        let name = "line\nbreak\ttab\u{01}\u{1F}\u{08}\u{0C}\r end"
        let customer = Self.customer(name: name, addresses: [Self.address], document: nil)
        let written = try #require(try JSONSerialization.jsonObject(with: CustomerJSONWriter.encode(customer)) as? NSDictionary)
        let encoded = try #require(try JSONSerialization.jsonObject(with: Self.encoder().encode(customer)) as? NSDictionary)
        #expect(written == encoded)
        #expect(written["name"] as? String == name)
    }

    @Test("a listing page: the same bytes as JSONEncoder writes for its items and cursor")
    func pageSameBytes() throws {
        let items = [
            CustomerSummary(id: CustomerID(UUID()), name: "Ana \"A\" / B", email: "ana@example.com", status: .active, city: "São Paulo",
                            createdAt: Date(timeIntervalSince1970: 1_790_000_000.25), updatedAt: Date(timeIntervalSince1970: 1_790_000_001)),
            CustomerSummary(id: CustomerID(UUID()), name: nil, email: nil, status: .erased, city: nil,
                            createdAt: Date(timeIntervalSince1970: 1_700_000_000), updatedAt: Date(timeIntervalSince1970: 1_700_000_000)),
        ]
        for page in [CustomerPage(items: items, nextCursor: "abc/def+"), CustomerPage(items: [], nextCursor: nil)] {
            let encoded = try Self.encoder().encode(CustomerPageBody(page))
            #expect(String(decoding: CustomerJSONWriter.encode(page), as: UTF8.self) == String(decoding: encoded, as: UTF8.self))
        }
    }
}

/// The listing page as `JSONEncoder` writes it: the reference of the writer.
struct CustomerPageBody: Encodable {
    let page: CustomerPage
    init(_ page: CustomerPage) { self.page = page }

    enum CodingKeys: String, CodingKey { case items, nextCursor }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(page.items, forKey: .items)
        try container.encode(page.nextCursor, forKey: .nextCursor)
    }
}
