import Foundation

/// The customer's personal data was erased at their request; the payload is empty on purpose.
public struct CustomerErased: CustomerEvent, Hashable {
    public static let eventType = "customer.erased"

    public let metadata: EventMetadata

    public var customerID: CustomerID { metadata.customerID }
    public var version: Int { metadata.version }
    public var occurredAt: Date { metadata.occurredAt }

    enum CodingKeys: CodingKey {}

    public func encode(to encoder: any Encoder) throws {
        _ = encoder.container(keyedBy: CodingKeys.self)
    }
}
