import Foundation

/// An e-mail address: trimmed, lower-cased, at most 254 characters, exactly one `@` with a
/// non-empty local part and a domain that contains a dot, and no white space.
///
/// Lower-casing the whole address (not only the domain) is a deliberate product choice: it makes
/// uniqueness and look-ups behave the way customers expect, at the cost of the rare mailbox that
/// distinguishes case in its local part.
public struct EmailAddress: Hashable, Sendable, CustomStringConvertible {
    public static let maxLength = 254

    public let value: String

    public init(_ input: String) throws {
        let text = input.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        guard !text.isEmpty else { throw CustomerDomainError(.invalidEmail, "E-mail must not be empty.") }
        guard text.unicodeScalars.count <= Self.maxLength else {
            throw CustomerDomainError(.invalidEmail, "E-mail must be at most \(Self.maxLength) characters long.")
        }
        guard !text.unicodeScalars.contains(where: { $0.properties.isWhitespace || $0.properties.generalCategory == .control }) else {
            throw CustomerDomainError(.invalidEmail, "E-mail must not contain spaces or control characters.")
        }
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2 else { throw CustomerDomainError(.invalidEmail, "E-mail must contain exactly one @.") }
        let local = parts[0]
        let domain = parts[1]
        guard !local.isEmpty else { throw CustomerDomainError(.invalidEmail, "E-mail must have a name before the @.") }
        guard domain.contains("."), !domain.hasPrefix("."), !domain.hasSuffix("."), !domain.contains("..") else {
            throw CustomerDomainError(.invalidEmail, "E-mail must have a domain with a dot after the @.")
        }
        self.value = text
    }

    private init(unchecked value: String) { self.value = value }

    /// Stands in for the e-mail of an erased customer; see ``PersonName/redacted``.
    public static let redacted = EmailAddress(unchecked: "")

    public var description: String { value }
}
