import Foundation

/// The customer was deactivated, with the reason given.
public struct CustomerDeactivated: CustomerEvent, Hashable {
    public static let eventType = "customer.deactivated"

    public let metadata: EventMetadata
    public let reason: String

    public var customerID: CustomerID { metadata.customerID }
    public var version: Int { metadata.version }
    public var occurredAt: Date { metadata.occurredAt }

    enum CodingKeys: String, CodingKey { case reason }
}
