import Foundation

/// A phone number in E.164 form (`+` then 8 to 15 digits, the first not 0).
///
/// Input may carry spaces, dashes, dots and parentheses as people write them
/// (`+55 (11) 98765-4321`); they are removed. A number without its `+` country prefix is
/// rejected rather than guessed.
public struct PhoneNumber: Hashable, Sendable, CustomStringConvertible {
    public let value: String

    public init(_ input: String) throws {
        let separators: Set<Character> = [" ", "-", "(", ")", ".", "\u{00A0}"]
        let compact = String(input.trimmingCharacters(in: .whitespacesAndNewlines).filter { !separators.contains($0) })
        guard compact.first == "+" else {
            throw CustomerDomainError(.invalidPhone, "Phone must start with + and the country code (E.164).")
        }
        let digits = compact.dropFirst()
        guard digits.count >= 8, digits.count <= 15,
              digits.allSatisfy({ $0.isASCII && $0.isNumber }),
              digits.first != "0"
        else {
            throw CustomerDomainError(.invalidPhone, "Phone must be + followed by 8 to 15 digits, the first not 0 (E.164).")
        }
        self.value = compact
    }

    public var description: String { value }
}
