import Foundation

/// An address was removed; when it was the primary one, the address that became primary is named.
public struct CustomerAddressRemoved: CustomerEvent, Hashable {
    public static let eventType = "customer.address_removed"

    public let metadata: EventMetadata
    public let addressId: AddressID
    public let newPrimaryAddressId: AddressID?

    public var customerID: CustomerID { metadata.customerID }
    public var version: Int { metadata.version }
    public var occurredAt: Date { metadata.occurredAt }

    enum CodingKeys: String, CodingKey { case addressId, newPrimaryAddressId }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(addressId, forKey: .addressId)
        try container.encode(newPrimaryAddressId, forKey: .newPrimaryAddressId)
    }
}
