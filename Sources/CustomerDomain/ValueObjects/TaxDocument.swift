import Foundation

/// A tax document: a Brazilian CPF or CNPJ with its check digits verified, or another
/// document kept as given.
///
/// CPF and CNPJ may be typed formatted (`123.456.789-09`, `12.345.678/0001-95`); they are stored
/// without punctuation. CNPJ accepts the alphanumeric form the Receita Federal issues since
/// July 2026 (12 characters `0-9A-Z` and 2 check digits); a numeric CNPJ stays digits only.
public struct TaxDocument: Hashable, Sendable, CustomStringConvertible {
    public enum Kind: String, Hashable, Sendable, CaseIterable, Codable {
        case cpf
        case cnpj
        case other
    }

    public static let maxOtherLength = 40

    public let kind: Kind
    public let number: String

    public init(kind: Kind, number input: String) throws {
        self.kind = kind
        switch kind {
        case .cpf:
            let compact = Self.compact(input)
            guard compact.count == 11, compact.allSatisfy(\.isASCIIDigit) else {
                throw CustomerDomainError(.invalidDocument, "A CPF has 11 digits.")
            }
            guard Self.isValidCPF(compact) else {
                throw CustomerDomainError(.invalidDocument, "The CPF check digits do not match.")
            }
            self.number = compact
        case .cnpj:
            let compact = Self.compact(input).uppercased()
            guard compact.count == 14,
                  compact.prefix(12).allSatisfy({ $0.isASCIIDigit || ($0.isASCII && $0.isUppercase) }),
                  compact.suffix(2).allSatisfy(\.isASCIIDigit)
            else {
                throw CustomerDomainError(.invalidDocument, "A CNPJ has 14 characters: 12 letters or digits and 2 check digits.")
            }
            guard Self.isValidCNPJ(compact) else {
                throw CustomerDomainError(.invalidDocument, "The CNPJ check digits do not match.")
            }
            self.number = compact
        case .other:
            self.number = try BoundedText.normalize(
                input, maxLength: Self.maxOtherLength, code: .invalidDocument, what: "Document number")
        }
    }

    /// Normalizes a document number the way ``init(kind:number:)`` stores it, without checking
    /// it: used to match a search filter against stored numbers.
    public static func normalizedForSearch(_ input: String) -> String {
        compact(input).uppercased()
    }

    public var description: String { "\(kind.rawValue):\(number)" }

    private static func compact(_ input: String) -> String {
        let separators: Set<Character> = [".", "-", "/", " "]
        return String(input.trimmingCharacters(in: .whitespacesAndNewlines).filter { !separators.contains($0) })
    }

    private static func isValidCPF(_ digits: String) -> Bool {
        let values = digits.compactMap { $0.wholeNumberValue }
        guard values.count == 11, Set(values).count > 1 else { return false }
        func checkDigit(_ count: Int) -> Int {
            var sum = 0
            for index in 0..<count { sum += values[index] * (count + 1 - index) }
            let remainder = (sum * 10) % 11
            return remainder == 10 ? 0 : remainder
        }
        return checkDigit(9) == values[9] && checkDigit(10) == values[10]
    }

    private static func isValidCNPJ(_ text: String) -> Bool {
        // Each character counts as its ASCII code minus 48, so digits keep their value and
        // letters count from 17 ("A") upwards, as the alphanumeric CNPJ rules define.
        let values = text.unicodeScalars.map { Int($0.value) - 48 }
        guard values.count == 14, Set(values).count > 1 else { return false }
        func checkDigit(_ count: Int) -> Int {
            let weights = count == 12 ? [5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2] : [6, 5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2]
            var sum = 0
            for index in 0..<count { sum += values[index] * weights[index] }
            let remainder = sum % 11
            return remainder < 2 ? 0 : 11 - remainder
        }
        return checkDigit(12) == values[12] && checkDigit(13) == values[13]
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}
