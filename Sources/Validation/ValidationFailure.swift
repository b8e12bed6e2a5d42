/// One broken rule: which field, a stable code, and a sentence for humans.
public struct ValidationFailure: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The path of the field, as the caller named it: `name`, `document.number`,
    /// `addresses[1].postalCode`.
    public let field: String
    /// A stable, machine-readable code: `required`, `too_long`, `invalid_email`, …
    public let code: String
    public let message: String

    public init(field: String, code: String, message: String) {
        self.field = field
        self.code = code
        self.message = message
    }

    public var description: String { "\(field): \(code) (\(message))" }
}

/// Thrown when a subject breaks one or more rules; carries every failure, not only the first.
public struct ValidationError: Error, Hashable, Sendable, CustomStringConvertible {
    public let failures: [ValidationFailure]

    public init(_ failures: [ValidationFailure]) {
        self.failures = failures
    }

    public var description: String {
        "Validation failed: " + failures.map(\.description).joined(separator: "; ")
    }
}

/// An error that knows how to read as a validation failure. Errors thrown from
/// ``FieldRule/satisfies(_:)`` that conform to it keep their own code and message.
public protocol ValidationFailureDescribing: Error {
    var validationCode: String { get }
    var validationMessage: String { get }
}
