import Foundation

/// An address was added; when it took the primary flag, the address that lost it is named.
public struct CustomerAddressAdded: CustomerEvent, Hashable {
    public static let eventType = "customer.address_added"

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
