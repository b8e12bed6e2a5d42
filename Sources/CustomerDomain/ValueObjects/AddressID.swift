import Foundation

/// The identity of an address inside one customer: a time-ordered UUIDv7.
public struct AddressID: Hashable, Sendable, CustomStringConvertible, Codable {
    public let rawValue: UUID

    public init(_ rawValue: UUID) { self.rawValue = rawValue }

    public init?(_ text: String) {
        guard let uuid = UUID(uuidString: text) else { return nil }
        self.rawValue = uuid
    }

    public static func generate(at date: Date = Date()) -> AddressID { AddressID(.version7(at: date)) }

    public var description: String { rawValue.uuidString.lowercased() }

    public init(from decoder: any Decoder) throws {
        self.rawValue = try decoder.singleValueContainer().decode(UUID.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
