import Foundation

/// Name, phone or birth date changed. Only the fields that changed are in the payload, listed in
/// `changed`; a cleared phone or birth date is present as `null`.
public struct CustomerProfileUpdated: CustomerEvent, Hashable {
    public static let eventType = "customer.profile_updated"

    public enum Field: String, Hashable, Sendable, Encodable, Comparable {
        case name, phone, birthDate
        public static func < (lhs: Field, rhs: Field) -> Bool { lhs.rawValue < rhs.rawValue }
    }

    public let metadata: EventMetadata
    public let changed: [Field]
    public let name: String?
    public let phone: String?
    public let birthDate: String?

    public var customerID: CustomerID { metadata.customerID }
    public var version: Int { metadata.version }
    public var occurredAt: Date { metadata.occurredAt }

    enum CodingKeys: String, CodingKey { case changed, name, phone, birthDate }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(changed, forKey: .changed)
        if changed.contains(.name) { try container.encode(name, forKey: .name) }
        if changed.contains(.phone) { try container.encode(phone, forKey: .phone) }
        if changed.contains(.birthDate) { try container.encode(birthDate, forKey: .birthDate) }
    }
}
