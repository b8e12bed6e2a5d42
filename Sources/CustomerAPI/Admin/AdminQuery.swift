import CustomerDomain
import Foundation
import Validation

/// Query parameters shared by the admin listings, checked the same way as the customer API's.
enum AdminQuery {
    static func limit(_ text: String?) throws -> Int {
        guard let text else { return 50 }
        guard let value = Int(text), (1...200).contains(value) else {
            throw ValidationError([ValidationFailure(field: "limit", code: "out_of_range", message: "limit must be a whole number from 1 to 200.")])
        }
        return value
    }

    static func cursor(_ text: String?) throws -> Int64? {
        guard let text, !text.isEmpty else { return nil }
        guard let value = Int64(text), value > 0 else {
            throw HTTPProblem(.malformedRequest, "The cursor is not one this service issued.")
        }
        return value
    }

    static func enumeration<E: RawRepresentable & CaseIterable>(_ type: E.Type, _ text: String?, field: String) throws -> E? where E.RawValue == String {
        guard let text, !text.isEmpty else { return nil }
        guard let value = E(rawValue: text) else {
            let allowed = E.allCases.map(\.rawValue).joined(separator: ", ")
            throw ValidationError([ValidationFailure(field: field, code: "not_allowed", message: "\(field) must be one of: \(allowed).")])
        }
        return value
    }

    /// A free-text filter (event type, consumer group, dashboard search): nil when absent or
    /// blank; refused when it could never match a stored value — control characters (a NUL is
    /// not even storable on PostgreSQL) or more than 255 characters.
    static func filter(_ text: String?, field: String) throws -> String? {
        guard let trimmed = text?.trimmingCharacters(in: .whitespaces), !trimmed.isEmpty else { return nil }
        guard trimmed.unicodeScalars.count <= 255, !trimmed.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw ValidationError([
                ValidationFailure(field: field, code: "invalid", message: "\(field) must be at most 255 characters, without control characters.")
            ])
        }
        return trimmed
    }

    static func time(_ date: Date) -> String { Timestamp.rfc3339(date) }
}

struct AdminPage<Item: Encodable>: Encodable {
    let items: [Item]
    let nextCursor: String?

    enum CodingKeys: String, CodingKey { case items, nextCursor }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(items, forKey: .items)
        try container.encode(nextCursor, forKey: .nextCursor)
    }
}

struct RetriedBody: Encodable {
    let retried: Int
}
