/// A customer's name: trimmed, NFC, 1–200 characters, no control characters.
public struct PersonName: Hashable, Sendable, CustomStringConvertible {
    public static let maxLength = 200

    public let value: String

    public init(_ input: String) throws {
        self.value = try BoundedText.normalize(input, maxLength: Self.maxLength, code: .invalidName, what: "Name")
    }

    private init(unchecked value: String) { self.value = value }

    /// Stands in for the name of an erased customer when the model is loaded for a write that
    /// will be refused; it never reaches a response or an event.
    public static let redacted = PersonName(unchecked: "")

    public var description: String { value }
}
