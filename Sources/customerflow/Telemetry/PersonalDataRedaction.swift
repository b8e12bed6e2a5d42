/// Masks what looks like personal data in a log line: e-mail addresses, phone numbers and CPF or
/// CNPJ numbers, formatted or not.
///
/// A safety net under the rule that the service never logs personal data: an error text from a
/// library that quotes a value (a driver's duplicate-key detail, a decoding error) is masked
/// before it is written. Customer ids (UUIDs) are left alone.
enum PersonalDataRedaction {
    static let mask = "[redacted]"

    static func redact(_ text: String) -> String {
        // Cheap pre-check: every pattern needs an `@`, a `+` or a run of digits.
        guard text.contains(where: { $0 == "@" || $0 == "+" || $0.isNumber }) else { return text }
        var result = text
        for pattern in patterns {
            result = result.replacing(pattern, with: mask)
        }
        // The character before a bare number is kept: it is what proved the number stands alone.
        return result.replacing(bareDocument) { match in match.output.1 + mask }
    }

    nonisolated(unsafe) private static let patterns: [Regex<Substring>] = [
        // E-mail addresses, non-ASCII ones too.
        #/[^\s@"'<>(),;:]+@[^\s@"'<>(),;:]+\.[^\s@"'<>(),;:.]{2,}/#,
        // Alphanumeric CNPJ (from 2026), formatted.
        #/[0-9A-Z]{2}\.[0-9A-Z]{3}\.[0-9A-Z]{3}\/[0-9A-Z]{4}-\d{2}/#,
        // CNPJ and CPF, formatted.
        #/\d{2}\.\d{3}\.\d{3}\/\d{4}-\d{2}/#,
        #/\d{3}\.\d{3}\.\d{3}-\d{2}/#,
        // Phones: E.164, or with an area code in parentheses.
        #/\+\d[\d ()\-]{6,}\d/#,
        #/\(\d{2,3}\)\s?\d{4,5}-?\d{4}/#,
        // Phones written with dots or spaces: 11.98765.4321, 11 98765 4321.
        #/\b\d{2,3}[. ]\d{4,5}[. -]\d{4}\b/#,
    ]

    /// A bare CPF (11 digits) or CNPJ (14), not part of a UUID or a longer number.
    nonisolated(unsafe) private static let bareDocument = #/(^|[^0-9A-Za-z\-])(?:\d{14}|\d{11})(?![0-9A-Za-z\-])/#
}
