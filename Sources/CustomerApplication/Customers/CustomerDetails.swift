import CustomerDomain
import Foundation

/// A customer as the API returns it. Encodes to the contract's JSON exactly, `null`s included.
public struct CustomerDetails: Hashable, Sendable, Encodable {
    public let id: CustomerID
    /// `nil` only for an erased customer.
    public let name: String?
    public let email: String?
    public let phone: String?
    public let document: DocumentPayload?
    public let birthDate: String?
    public let status: CustomerStatus
    public let addresses: [AddressDetails]
    public let version: Int
    public let createdAt: Date
    public let updatedAt: Date

    public init(
        id: CustomerID, name: String?, email: String?, phone: String?, document: DocumentPayload?, birthDate: String?,
        status: CustomerStatus, addresses: [AddressDetails], version: Int, createdAt: Date, updatedAt: Date
    ) {
        self.id = id
        self.name = name
        self.email = email
        self.phone = phone
        self.document = document
        self.birthDate = birthDate
        self.status = status
        self.addresses = addresses
        self.version = version
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    /// The response view of an aggregate just written.
    public init(_ customer: Customer) {
        let erased = customer.status == .erased
        self.init(
            id: customer.id,
            name: erased ? nil : customer.name.value,
            email: erased ? nil : customer.email.value,
            phone: customer.phone?.value,
            document: customer.document.map(DocumentPayload.init),
            birthDate: customer.birthDate?.description,
            status: customer.status,
            addresses: customer.addresses.map(AddressDetails.init),
            version: customer.version,
            createdAt: customer.createdAt,
            updatedAt: customer.updatedAt
        )
    }

    enum CodingKeys: String, CodingKey {
        case id, name, email, phone, document, birthDate, status, addresses, version, createdAt, updatedAt
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(name, forKey: .name)
        try container.encode(email, forKey: .email)
        try container.encode(phone, forKey: .phone)
        try container.encode(document, forKey: .document)
        try container.encode(birthDate, forKey: .birthDate)
        try container.encode(status, forKey: .status)
        try container.encode(addresses, forKey: .addresses)
        try container.encode(version, forKey: .version)
        try container.encode(Timestamp.rfc3339(createdAt), forKey: .createdAt)
        try container.encode(Timestamp.rfc3339(updatedAt), forKey: .updatedAt)
    }
}

/// An address as the API returns it: the same shape, nulls included, as in events.
public typealias AddressDetails = AddressPayload
