import CustomerDomain
import Foundation
import NIOCore
import PostgresNIO
import SQLiteNIO

/// A calendar-day column value: PostgreSQL's `date`, `YYYY-MM-DD` text on SQLite.
struct DatabaseDay: Hashable, Sendable, Codable {
    let day: CalendarDay

    init(_ day: CalendarDay) { self.day = day }

    init(from decoder: any Decoder) throws {
        self.day = try CalendarDay(from: decoder)
    }

    func encode(to encoder: any Encoder) throws {
        try day.encode(to: encoder)
    }

    /// Days from 1970-01-01.
    var daysSinceUnixEpoch: Int64 {
        Timestamp.microseconds(year: day.year, month: day.month, day: day.day) / 86_400_000_000
    }

    init(daysSinceUnixEpoch days: Int64) {
        let date = Timestamp.date(microseconds: days * 86_400 * 1_000_000)
        self.day = CalendarDay(utcDayOf: date)
    }

    /// Days between 1970-01-01 and PostgreSQL's epoch, 2000-01-01.
    static let postgresEpochOffset: Int64 = 10_957
}

extension DatabaseDay: SQLiteDataConvertible {
    init?(sqliteData: SQLiteData) {
        guard case .text(let text) = sqliteData, let day = CalendarDay(iso8601: text) else { return nil }
        self.day = day
    }

    var sqliteData: SQLiteData? { .text(day.description) }
}

extension DatabaseDay: PostgresNonThrowingEncodable, PostgresDecodable {
    static var psqlType: PostgresDataType { .date }
    static var psqlFormat: PostgresFormat { .binary }

    func encode<JSONEncoder: PostgresJSONEncoder>(into byteBuffer: inout ByteBuffer, context: PostgresEncodingContext<JSONEncoder>) {
        byteBuffer.writeInteger(Int32(daysSinceUnixEpoch - Self.postgresEpochOffset))
    }

    init<JSONDecoder: PostgresJSONDecoder>(
        from buffer: inout ByteBuffer, type: PostgresDataType, format: PostgresFormat, context: PostgresDecodingContext<JSONDecoder>
    ) throws {
        guard format == .binary, type == .date, let value = buffer.readInteger(as: Int32.self) else {
            throw PostgresDecodingError.Code.typeMismatch
        }
        self.init(daysSinceUnixEpoch: Int64(value) + Self.postgresEpochOffset)
    }
}
