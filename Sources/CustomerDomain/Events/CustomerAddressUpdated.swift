import Foundation

/// An address changed; when it took the primary flag, the address that lost it is named.
public struct CustomerAddressUpdated: CustomerEvent, Hashable {
    public static let eventType = "customer.address_updated"

    public let metadata: EventMetadata
    public let address: AddressPayload
    public let previousPrimaryAddressId: AddressID?

    public var customerID: CustomerID { metadata.customerID }
    public var version: Int { metadata.version }
    public var occurredAt: Date { metadata.occurredAt }

    enum CodingKeys: String, CodingKey { case address, previousPrimaryAddressId }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(address, forKey: .address)
        try container.encode(previousPrimaryAddressId, forKey: .previousPrimaryAddressId)
    }
}
