import Foundation


/// The shared rule for free text held by the customer model: trimmed, in Unicode NFC, without
/// control characters, and within a length counted in Unicode scalars (the unit databases use
/// for `VARCHAR(n)`).
enum BoundedText {
    static func normalize(_ input: String, maxLength: Int, code: CustomerDomainError.Code, what: String) throws -> String {
        let text = input.trimmingCharacters(in: .whitespacesAndNewlines).precomposedStringWithCanonicalMapping
        guard !text.isEmpty else {
            throw CustomerDomainError(code, "\(what) must not be empty.")
        }
        guard text.unicodeScalars.count <= maxLength else {
            throw CustomerDomainError(code, "\(what) must be at most \(maxLength) characters long.")
        }
        guard !containsControlCharacters(text) else {
            throw CustomerDomainError(code, "\(what) must not contain control characters.")
        }
        return text
    }

    /// Normalizes optional text: `nil`, or text that is empty after trimming, becomes `nil`.
    static func normalizeOptional(
        _ input: String?,
        maxLength: Int,
        code: CustomerDomainError.Code,
        what: String
    ) throws -> String? {
        guard let input, !input.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { return nil }
        return try normalize(input, maxLength: maxLength, code: code, what: what)
    }

    static func containsControlCharacters(_ text: String) -> Bool {
        text.unicodeScalars.contains { scalar in
            scalar.properties.generalCategory == .control
                || scalar.properties.generalCategory == .lineSeparator
                || scalar.properties.generalCategory == .paragraphSeparator
        }
    }
}
