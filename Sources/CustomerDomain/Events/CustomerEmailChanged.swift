import Foundation

/// The e-mail address changed.
public struct CustomerEmailChanged: CustomerEvent, Hashable {
    public static let eventType = "customer.email_changed"

    public let metadata: EventMetadata
    public let email: String

    public var customerID: CustomerID { metadata.customerID }
    public var version: Int { metadata.version }
    public var occurredAt: Date { metadata.occurredAt }

    enum CodingKeys: String, CodingKey { case email }
}
