/// The outbox's `headers` column: one `name: value` line per header, sorted by name.
///
/// Plain lines rather than JSON because the relay reads them for every event it publishes; a
/// split is much cheaper than a JSON parser, and the column stays readable for operators.
enum OutboxHeaders {
    static func encode(_ headers: [String: String]) -> String {
        headers.sorted { $0.key < $1.key }
            .map { "\($0.key): \(clean($0.value))" }
            .joined(separator: "\n")
    }

    static func decode(_ text: String) -> [String: String] {
        var headers: [String: String] = [:]
        for line in text.split(separator: "\n", omittingEmptySubsequences: true) {
            guard let separator = line.firstIndex(of: ":") else { continue }
            let name = String(line[..<separator])
            var value = line[line.index(after: separator)...]
            if value.first == " " { value = value.dropFirst() }
            headers[name] = String(value)
        }
        return headers
    }

    /// Header values never span lines.
    private static func clean(_ value: String) -> String {
        value.contains(where: \.isNewline) ? String(value.map { $0.isNewline ? " " : $0 }) : value
    }
}
