import EventBus
import Foundation
import Logging
import Synchronization

/// Writes every log record as one line: a JSON object for log collectors (`time`, `level`,
/// `message`, `logger`, then the metadata — the request id as `request_id`, the mediator request
/// as `request`), or a readable line when the output is a terminal.
///
/// - Important: Keeping personal data out is first the callers' job: the service logs
///   identifiers, types and outcomes, never request bodies or query strings. Under that, every
///   message and metadata value goes through ``PersonalDataRedaction`` (a test reads the whole log
///   of a scenario for e-mails, phones and documents).
struct LogLineHandler: LogHandler {
    enum Format: Sendable { case json, text }

    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level
    var metadataProvider: Logger.MetadataProvider?
    let label: String
    let format: Format
    let output: LogOutput
    /// Whether values go through ``PersonalDataRedaction``; off only in the test that proves the
    /// callers themselves log no personal data.
    let redacting: Bool

    init(label: String, level: Logger.Level, format: Format, output: LogOutput, redacting: Bool = true) {
        self.label = label
        self.logLevel = level
        self.format = format
        self.output = output
        self.redacting = redacting
    }

    private func redact(_ text: String) -> String {
        redacting ? PersonalDataRedaction.redact(text) : text
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { _, new in new } }
        if let extra = event.metadata { merged.merge(extra) { _, new in new } }
        let time = Self.timestamp(Date())
        switch format {
        case .json:
            var line = "{\"time\":\(Self.quoted(time)),\"level\":\(Self.quoted(event.level.rawValue)),\"message\":\(Self.quoted(redact("\(event.message)"))),\"logger\":\(Self.quoted(label))"
            for key in merged.keys.sorted() {
                line += ",\(Self.quoted(Self.fieldName(key))):\(Self.json(merged[key]!, redact: redact))"
            }
            output.write(line + "}\n")
        case .text:
            var line = "\(time) \(event.level.rawValue.uppercased()) \(label): \(redact("\(event.message)"))"
            for key in merged.keys.sorted() { line += " \(Self.fieldName(key))=\(redact("\(merged[key]!)"))" }
            output.write(line + "\n")
        }
    }

    /// Library keys under the names the log schema uses.
    static func fieldName(_ key: String) -> String {
        switch key {
        case "hb.request.id": "request_id"
        case "trace-id", "traceID": "trace_id"
        case "span-id", "spanID": "span_id"
        default: key
        }
    }

    static func json(_ value: Logger.MetadataValue, redact: (String) -> String) -> String {
        switch value {
        case .string(let text): quoted(redact(text))
        case .stringConvertible(let convertible): quoted(redact(convertible.description))
        case .array(let values): "[" + values.map { json($0, redact: redact) }.joined(separator: ",") + "]"
        case .dictionary(let values): "{" + values.keys.sorted().map { "\(quoted($0)):\(json(values[$0]!, redact: redact))" }.joined(separator: ",") + "}"
        }
    }

    /// A JSON string literal, escaped as CloudEvents are.
    static func quoted(_ text: String) -> String { CloudEvent.quoted(text) }

    /// RFC 3339 in UTC with milliseconds.
    static func timestamp(_ date: Date) -> String {
        let milliseconds = Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
        var time = time_t(milliseconds / 1000)
        var parts = tm()
        gmtime_r(&time, &parts)
        return String(
            format: "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", parts.tm_year + 1900, parts.tm_mon + 1, parts.tm_mday, parts.tm_hour, parts.tm_min,
            parts.tm_sec, Int(milliseconds % 1000))
    }
}

/// Where log lines go: a file descriptor, written under a lock so that lines never interleave;
/// or, for tests, memory.
final class LogOutput: Sendable {
    private let descriptor: Int32?
    private let captured = Mutex<[String]>([])

    /// Lines written to `descriptor` (standard output or error).
    init(descriptor: Int32) { self.descriptor = descriptor }

    /// Lines kept in memory (``lines``).
    init() { self.descriptor = nil }

    /// Whether the output is a terminal, where people read the text format.
    var isTerminal: Bool { descriptor.map { isatty($0) == 1 } ?? false }

    var lines: [String] { captured.withLock { $0 } }

    func write(_ line: String) {
        guard let descriptor else {
            captured.withLock { $0.append(line) }
            return
        }
        captured.withLock { _ in
            let bytes = Array(line.utf8)
            let count = bytes.count
            var offset = 0
            while offset < count {
                let written = bytes.withUnsafeBytes { Foundation.write(descriptor, $0.baseAddress! + offset, count - offset) }
                if written <= 0 { break }
                offset += written
            }
        }
    }
}
