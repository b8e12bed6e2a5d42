import Foundation

/// A customer was registered; the payload is the whole initial state.
public struct CustomerRegistered: CustomerEvent, Hashable {
    public static let eventType = "customer.registered"

    public let metadata: EventMetadata
    public let name: String
    public let email: String
    public let phone: String?
    public let document: DocumentPayload?
    public let birthDate: String?
    public let status: CustomerStatus
    public let addresses: [AddressPayload]

    public var customerID: CustomerID { metadata.customerID }
    public var version: Int { metadata.version }
    public var occurredAt: Date { metadata.occurredAt }

    enum CodingKeys: String, CodingKey {
        case name, email, phone, document, birthDate, status, addresses
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(name, forKey: .name)
        try container.encode(email, forKey: .email)
        try container.encode(phone, forKey: .phone)
        try container.encode(document, forKey: .document)
        try container.encode(birthDate, forKey: .birthDate)
        try container.encode(status, forKey: .status)
        try container.encode(addresses, forKey: .addresses)
    }
}

/// A tax document as events and responses show it.
public struct DocumentPayload: Hashable, Sendable, Codable {
    public let type: String
    public let number: String

    public init(_ document: TaxDocument) {
        self.type = document.kind.rawValue
        self.number = document.number
    }

    public init(type: String, number: String) {
        self.type = type
        self.number = number
    }
}

/// An address as events and responses show it.
public struct AddressPayload: Hashable, Sendable, Encodable {
    public let id: AddressID
    public let label: String?
    public let street: String
    public let number: String
    public let complement: String?
    public let district: String?
    public let city: String
    public let state: String?
    public let postalCode: String
    public let country: String
    public let primary: Bool

    public init(
        id: AddressID, label: String?, street: String, number: String, complement: String?, district: String?,
        city: String, state: String?, postalCode: String, country: String, primary: Bool
    ) {
        self.id = id
        self.label = label
        self.street = street
        self.number = number
        self.complement = complement
        self.district = district
        self.city = city
        self.state = state
        self.postalCode = postalCode
        self.country = country
        self.primary = primary
    }

    public init(_ address: Address) {
        let postal = address.postal
        self.init(
            id: address.id, label: postal.label, street: postal.street, number: postal.number, complement: postal.complement,
            district: postal.district, city: postal.city, state: postal.state, postalCode: postal.postalCode,
            country: postal.country.value, primary: address.isPrimary
        )
    }

    enum CodingKeys: String, CodingKey {
        case id, label, street, number, complement, district, city, state, postalCode, country, primary
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(label, forKey: .label)
        try container.encode(street, forKey: .street)
        try container.encode(number, forKey: .number)
        try container.encode(complement, forKey: .complement)
        try container.encode(district, forKey: .district)
        try container.encode(city, forKey: .city)
        try container.encode(state, forKey: .state)
        try container.encode(postalCode, forKey: .postalCode)
        try container.encode(country, forKey: .country)
        try container.encode(primary, forKey: .primary)
    }
}
