import EventBus
import Logging
import NIOCore
import OTelSemanticConventions
import SQLKit
import Tracing

/// Wraps a leased connection so that every statement runs in a client span, a child of the
/// caller's (the mediator request, the consumer's delivery): `SELECT customers`, with `db.system.name`,
/// `db.operation.name`, `db.collection.name` and `db.query.text`.
///
/// - Important: The query text is the statement with its placeholders (`$1`, `?`); bound values,
///   which carry e-mails and documents, never reach a span. The text is built only when the span
///   is recorded, so an unsampled or untraced statement costs a no-op span.
struct TracingSQLDatabase: SQLDatabaseWrapper {
    let base: any SQLDatabase
    let system: String

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) -> EventLoopFuture<Void> {
        let (span, statement) = start(query)
        return base.execute(sql: statement, onRow).always { result in
            if case .failure(let error) = result { Self.fail(span, error) }
            span.end()
        }
    }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) async throws {
        let (span, statement) = start(query)
        defer { span.end() }
        do {
            try await base.execute(sql: statement, onRow)
        } catch {
            Self.fail(span, error)
            throw error
        }
    }

    /// The statement's span, and what to run: the query itself, or for a recorded span the text
    /// and binds serialized for it, so that the statement is not serialized a second time.
    private func start(_ query: any SQLExpression) -> (any Span, any SQLExpression) {
        // Only statements run for something traced (a request, a delivery): the relay's polling
        // would otherwise start a trace of its own every second.
        guard InstrumentationContext.current != nil, !TraceRecording.isOff else { return (NoOpTracer.NoOpSpan(context: .topLevel), query) }
        let span = startSpan("SQL", ofKind: .client)
        guard span.isRecording else { return (span, query) }
        var serializer = SQLSerializer(database: base)
        query.serialize(to: &serializer)
        let summary = StatementSummary(serializer.sql)
        span.operationName = summary.name
        // The conventions' names as plain keys: the typed namespaces' generic accessors showed
        // in the profile of a traced server.
        span.updateAttributes { attributes in
            attributes[OTelAttribute.db.system.name] = system
            attributes[OTelAttribute.db.operation.name] = summary.operation
            if let table = summary.table { attributes[OTelAttribute.db.collection.name] = table }
            attributes[OTelAttribute.db.query.text] = serializer.sql
        }
        return (span, SerializedStatement(sql: serializer.sql, binds: serializer.binds))
    }

    /// Records the error's type only: a driver's message may quote the offending value.
    private static func fail(_ span: any Span, _ error: any Error) {
        span.attributes["error.type"] = String(describing: type(of: error))
        span.setStatus(SpanStatus(code: .error))
    }
}

/// A statement already serialized for the database it runs on: its text and binds, written as
/// they are.
private struct SerializedStatement: SQLExpression {
    let sql: String
    let binds: [any Encodable & Sendable]

    func serialize(to serializer: inout SQLSerializer) {
        serializer.write(sql)
        serializer.binds.append(contentsOf: binds)
    }
}

/// The operation and main table of a statement, read from its first words: enough to name a
/// span (`INSERT customer_addresses`) without parsing SQL.
///
/// It runs for every traced statement, so it scans bytes and stops at the table name instead of
/// splitting the whole text (a profile showed the split at 5 % of a traced server's time).
struct StatementSummary: Hashable, Sendable {
    let operation: String
    let table: String?

    init(_ sql: String) {
        var operation: String?
        var table: String?
        var wantsNext = false
        var keyword: String?
        var text = sql
        text.withUTF8 { bytes in
            var index = 0
            while index < bytes.count {
                while index < bytes.count, Self.isSeparator(bytes[index]) { index += 1 }
                let start = index
                while index < bytes.count, !Self.isSeparator(bytes[index]) { index += 1 }
                guard index > start else { break }
                let word = UnsafeBufferPointer(rebasing: bytes[start..<index])
                if operation == nil {
                    let name = String(decoding: word, as: UTF8.self).uppercased()
                    operation = name
                    switch name {
                    case "SELECT", "DELETE": keyword = "FROM"
                    case "INSERT", "REPLACE": keyword = "INTO"
                    case "UPDATE": wantsNext = true
                    default: return
                    }
                } else if wantsNext {
                    table = String(decoding: word.filter { $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "`") }, as: UTF8.self)
                    return
                } else if let keyword, word.count == keyword.utf8.count,
                          zip(word, keyword.utf8).allSatisfy({ $0 & 0xDF == $1 }) {
                    wantsNext = true
                }
            }
        }
        self.operation = operation ?? "SQL"
        self.table = table.flatMap { $0.isEmpty ? nil : $0 }
    }

    private static func isSeparator(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\r")
            || byte == UInt8(ascii: "(") || byte == UInt8(ascii: ",")
    }

    /// `SELECT customers`, or the bare operation when no table was found.
    var name: String { table.map { "\(operation) \($0)" } ?? operation }
}

extension DatabaseClient {
    /// The `db.system.name` of this client's database.
    var tracingSystem: String {
        switch kind {
        case .sqlite: "sqlite"
        case .postgres: "postgresql"
        case .mysql: "mysql"
        }
    }
}
