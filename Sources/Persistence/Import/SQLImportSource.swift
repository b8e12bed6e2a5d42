import CustomerApplication
import CustomerDomain
import Foundation
import SQLKit

/// Reads the rows of an operator's import query from any supported database, every value as
/// text the register command understands (dates as `YYYY-MM-DD`), NULL as `nil`.
public enum SQLImportSource {
    /// Runs `query` and returns its rows, numbered from 1 in the order the query gave them.
    ///
    /// - Important: The query is the operator's own SQL and runs as written; it is meant to be a
    ///   `SELECT` (run with the source's permissions — give the import a read-only user).
    public static func rows(of query: String, in client: any DatabaseClient) async throws -> [ImportRow] {
        try await client.withConnection { database in
            let rows = try await database.raw(SQLQueryString(query)).all()
            return try rows.enumerated().map { index, row in
                ImportRow(number: index + 1, columns: try row.allColumns.map { ($0, try text(of: $0, in: row, kind: client.kind)) })
            }
        }
    }

    static func text(of column: String, in row: any SQLRow, kind: DatabaseKind) throws -> String? {
        if try row.decodeNil(column: column) { return nil }
        if kind == .postgres {
            // PostgreSQL's decoders are strict about the column type, except String's, which reads
            // any binary value as bytes: the typed ones come first.
            if let day = try? row.decode(column: column, as: DatabaseDay.self) { return day.day.description }
            if let instant = try? row.decode(column: column, as: DatabaseTimestamp.self) {
                return Timestamp.rfc3339(microseconds: instant.microseconds)
            }
            if let number = try? row.decode(column: column, as: Int64.self) { return String(number) }
            if let number = try? row.decode(column: column, as: Double.self) { return String(number) }
            if let flag = try? row.decode(column: column, as: Bool.self) { return String(flag) }
            if let text = try? row.decode(column: column, as: String.self) { return text }
            throw ImportSourceError(column: column)
        }
        // SQLite and MySQL read every value as text when asked (MySQL dates as YYYY-MM-DD).
        if let text = try? row.decode(column: column, as: String.self) { return text }
        if let number = try? row.decode(column: column, as: Int64.self) { return String(number) }
        if let number = try? row.decode(column: column, as: Double.self) { return String(number) }
        if let bytes = try? row.decode(column: column, as: Data.self) { return String(decoding: bytes, as: UTF8.self) }
        throw ImportSourceError(column: column)
    }
}


/// A column whose type the import cannot read as text.
public struct ImportSourceError: Error, CustomStringConvertible {
    public let column: String
    public var description: String { "the import query's column \(column) has a type the import cannot read; cast it to text in the query" }
}
