import CustomerDomain
import Foundation
import NIOCore
import PostgresNIO
import SQLiteNIO

/// An instant column value, exact to the microsecond: `timestamptz` on PostgreSQL, integer
/// microseconds since the Unix epoch on SQLite.
///
/// Binding Foundation's `Date` directly would go through a floating-point multiplication that
/// can land one microsecond short; keyset pagination compares these values for equality, so
/// they are converted with integer arithmetic only.
struct DatabaseTimestamp: Hashable, Sendable, Codable {
    let microseconds: Int64

    init(_ date: Date) { self.microseconds = Timestamp.microseconds(date) }
    init(microseconds: Int64) { self.microseconds = microseconds }

    var date: Date { Timestamp.date(microseconds: microseconds) }

    init(from decoder: any Decoder) throws {
        self.microseconds = try decoder.singleValueContainer().decode(Int64.self)
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(microseconds)
    }

    /// Microseconds between 1970-01-01 and PostgreSQL's epoch, 2000-01-01.
    static let postgresEpochOffset: Int64 = 946_684_800 * 1_000_000
}

extension DatabaseTimestamp: SQLiteDataConvertible {
    init?(sqliteData: SQLiteData) {
        guard case .integer(let value) = sqliteData else { return nil }
        self.microseconds = Int64(value)
    }

    var sqliteData: SQLiteData? { .integer(Int(microseconds)) }
}

extension DatabaseTimestamp: PostgresNonThrowingEncodable, PostgresDecodable {
    static var psqlType: PostgresDataType { .timestamptz }
    static var psqlFormat: PostgresFormat { .binary }

    func encode<JSONEncoder: PostgresJSONEncoder>(into byteBuffer: inout ByteBuffer, context: PostgresEncodingContext<JSONEncoder>) {
        byteBuffer.writeInteger(microseconds - Self.postgresEpochOffset)
    }

    init<JSONDecoder: PostgresJSONDecoder>(
        from buffer: inout ByteBuffer, type: PostgresDataType, format: PostgresFormat, context: PostgresDecodingContext<JSONDecoder>
    ) throws {
        guard format == .binary, type == .timestamptz || type == .timestamp, let value = buffer.readInteger(as: Int64.self) else {
            throw PostgresDecodingError.Code.typeMismatch
        }
        self.microseconds = value + Self.postgresEpochOffset
    }
}
