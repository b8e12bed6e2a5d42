import Foundation

/// The validated content of an address, without its identity: what a customer types in.
public struct PostalAddress: Hashable, Sendable {
    public enum Limits {
        public static let label = 50
        public static let street = 200
        public static let number = 20
        public static let complement = 100
        public static let district = 100
        public static let city = 100
        public static let state = 100
        public static let postalCode = 20
    }

    public let label: String?
    public let street: String
    public let number: String
    public let complement: String?
    public let district: String?
    public let city: String
    public let state: String?
    public let postalCode: String
    public let country: CountryCode

    /// Validates every part; the first broken rule is thrown. Validators that need every failure
    /// at once call the per-field functions below.
    public init(
        label: String?,
        street: String,
        number: String,
        complement: String?,
        district: String?,
        city: String,
        state: String?,
        postalCode: String,
        country: String
    ) throws {
        self.label = try Self.label(label)
        self.street = try Self.street(street)
        self.number = try Self.number(number)
        self.complement = try Self.complement(complement)
        self.district = try Self.district(district)
        self.city = try Self.city(city)
        self.state = try Self.state(state)
        self.postalCode = try Self.postalCode(postalCode)
        self.country = try CountryCode(country)
    }

    public static func label(_ value: String?) throws -> String? {
        try BoundedText.normalizeOptional(value, maxLength: Limits.label, code: .invalidText, what: "Label")
    }

    public static func street(_ value: String) throws -> String {
        try BoundedText.normalize(value, maxLength: Limits.street, code: .invalidText, what: "Street")
    }

    public static func number(_ value: String) throws -> String {
        try BoundedText.normalize(value, maxLength: Limits.number, code: .invalidText, what: "Number")
    }

    public static func complement(_ value: String?) throws -> String? {
        try BoundedText.normalizeOptional(value, maxLength: Limits.complement, code: .invalidText, what: "Complement")
    }

    public static func district(_ value: String?) throws -> String? {
        try BoundedText.normalizeOptional(value, maxLength: Limits.district, code: .invalidText, what: "District")
    }

    public static func city(_ value: String) throws -> String {
        try BoundedText.normalize(value, maxLength: Limits.city, code: .invalidText, what: "City")
    }

    public static func state(_ value: String?) throws -> String? {
        try BoundedText.normalizeOptional(value, maxLength: Limits.state, code: .invalidText, what: "State")
    }

    /// Letters, digits, spaces and dashes, as postal codes are written around the world
    /// (`01310-100`, `SW1A 1AA`, `1000-001`); stored upper-case.
    public static func postalCode(_ value: String) throws -> String {
        let text = try BoundedText.normalize(value, maxLength: Limits.postalCode, code: .invalidPostalCode, what: "Postal code")
        guard text.unicodeScalars.allSatisfy({ $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == " " || $0 == "-") }) else {
            throw CustomerDomainError(.invalidPostalCode, "Postal code may hold only letters, digits, spaces and dashes.")
        }
        return text.uppercased()
    }
}
