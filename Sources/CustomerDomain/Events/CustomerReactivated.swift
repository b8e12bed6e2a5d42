import Foundation

/// An inactive customer became active again.
public struct CustomerReactivated: CustomerEvent, Hashable {
    public static let eventType = "customer.reactivated"

    public let metadata: EventMetadata

    public var customerID: CustomerID { metadata.customerID }
    public var version: Int { metadata.version }
    public var occurredAt: Date { metadata.occurredAt }

    enum CodingKeys: CodingKey {}

    public func encode(to encoder: any Encoder) throws {
        _ = encoder.container(keyedBy: CodingKeys.self)
    }
}
