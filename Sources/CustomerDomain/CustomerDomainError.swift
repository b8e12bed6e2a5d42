/// An error raised by the customer model when a rule of the business is broken.
///
/// Errors are structs with stable string codes rather than enums so that new codes can be added
/// without breaking callers that switch over them: compare with the static members, e.g.
/// `error.code == .invalidState`.
public struct CustomerDomainError: Error, Hashable, Sendable, CustomStringConvertible {
    /// A stable, machine-readable identifier of the broken rule (`invalid_email`, `invalid_state`, …).
    public struct Code: Hashable, Sendable, RawRepresentable, CustomStringConvertible {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        public static let invalidName = Code(rawValue: "invalid_name")
        public static let invalidEmail = Code(rawValue: "invalid_email")
        public static let invalidPhone = Code(rawValue: "invalid_phone")
        public static let invalidDocument = Code(rawValue: "invalid_document")
        public static let invalidBirthDate = Code(rawValue: "invalid_birth_date")
        public static let invalidText = Code(rawValue: "invalid_text")
        public static let invalidCountry = Code(rawValue: "invalid_country")
        public static let invalidPostalCode = Code(rawValue: "invalid_postal_code")
        public static let invalidReason = Code(rawValue: "invalid_reason")
        public static let tooManyAddresses = Code(rawValue: "too_many_addresses")
        public static let multiplePrimaryAddresses = Code(rawValue: "multiple_primary_addresses")
        public static let addressNotFound = Code(rawValue: "address_not_found")
        public static let invalidState = Code(rawValue: "invalid_state")
        public static let customerErased = Code(rawValue: "customer_erased")
    }

    public let code: Code
    /// A sentence for humans; never contains the rejected value, which may be personal data.
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code): \(message)" }
}
