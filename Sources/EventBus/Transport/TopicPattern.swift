/// An AMQP-style topic pattern over dot-separated routing keys: `*` matches exactly one word,
/// `#` zero or more (`customer.*.v1`, `customer.#`).
public struct TopicPattern: Hashable, Sendable, CustomStringConvertible {
    public let pattern: String
    private let words: [Substring]

    public init(_ pattern: String) {
        self.pattern = pattern
        self.words = pattern.split(separator: ".", omittingEmptySubsequences: false)
    }

    public var description: String { pattern }

    public func matches(_ routingKey: String) -> Bool {
        Self.match(words[...], routingKey.split(separator: ".", omittingEmptySubsequences: false)[...])
    }

    private static func match(_ pattern: ArraySlice<Substring>, _ key: ArraySlice<Substring>) -> Bool {
        guard let head = pattern.first else { return key.isEmpty }
        if head == "#" {
            let rest = pattern.dropFirst()
            var remaining = key
            while true {
                if match(rest, remaining) { return true }
                guard !remaining.isEmpty else { return false }
                remaining = remaining.dropFirst()
            }
        }
        guard let word = key.first else { return false }
        guard head == "*" || head == word else { return false }
        return match(pattern.dropFirst(), key.dropFirst())
    }
}
