import Foundation

/// Another address became the primary one.
public struct CustomerPrimaryAddressChanged: CustomerEvent, Hashable {
    public static let eventType = "customer.primary_address_changed"

    public let metadata: EventMetadata
    public let addressId: AddressID
    public let previousPrimaryAddressId: AddressID?

    public var customerID: CustomerID { metadata.customerID }
    public var version: Int { metadata.version }
    public var occurredAt: Date { metadata.occurredAt }

    enum CodingKeys: String, CodingKey { case addressId, previousPrimaryAddressId }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(addressId, forKey: .addressId)
        try container.encode(previousPrimaryAddressId, forKey: .previousPrimaryAddressId)
    }
}
