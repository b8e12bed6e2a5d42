import CustomerDomain
import Foundation

/// A customer as a list item.
public struct CustomerSummary: Hashable, Sendable, Encodable {
    public let id: CustomerID
    /// `nil` only for an erased customer.
    public let name: String?
    public let email: String?
    public let status: CustomerStatus
    /// The primary address's city.
    public let city: String?
    public let createdAt: Date
    public let updatedAt: Date

    public init(id: CustomerID, name: String?, email: String?, status: CustomerStatus, city: String?, createdAt: Date, updatedAt: Date) {
        self.id = id
        self.name = name
        self.email = email
        self.status = status
        self.city = city
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    enum CodingKeys: String, CodingKey { case id, name, email, status, city, createdAt, updatedAt }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(name, forKey: .name)
        try container.encode(email, forKey: .email)
        try container.encode(status, forKey: .status)
        try container.encode(city, forKey: .city)
        try container.encode(Timestamp.rfc3339(createdAt), forKey: .createdAt)
        try container.encode(Timestamp.rfc3339(updatedAt), forKey: .updatedAt)
    }
}

/// A history item: a domain event as stored.
public struct CustomerHistoryItem: Hashable, Sendable {
    public let type: String
    public let version: Int
    public let occurredAt: Date
    /// The event payload, JSON.
    public let data: Data
    /// Who made the change (the access token's subject), when known.
    public let actor: String?

    public init(type: String, version: Int, occurredAt: Date, data: Data, actor: String? = nil) {
        self.type = type
        self.version = version
        self.occurredAt = occurredAt
        self.data = data
        self.actor = actor
    }
}
