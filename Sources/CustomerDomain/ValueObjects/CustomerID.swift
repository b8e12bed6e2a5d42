import Foundation

/// The identity of a customer: a time-ordered UUIDv7.
public struct CustomerID: Hashable, Sendable, Comparable, CustomStringConvertible, Codable {
    public let rawValue: UUID

    public init(_ rawValue: UUID) { self.rawValue = rawValue }

    /// Parses the canonical textual form; `nil` when the text is not a UUID.
    public init?(_ text: String) {
        guard let uuid = UUID(uuidString: text) else { return nil }
        self.rawValue = uuid
    }

    /// A new identifier ordered after every identifier made earlier.
    public static func generate(at date: Date = Date()) -> CustomerID { CustomerID(.version7(at: date)) }

    public var description: String { rawValue.uuidString.lowercased() }

    public static func < (lhs: CustomerID, rhs: CustomerID) -> Bool { lhs.description < rhs.description }

    public init(from decoder: any Decoder) throws {
        self.rawValue = try decoder.singleValueContainer().decode(UUID.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
