import Foundation
import NIOCore
import PostgresNIO
import SQLiteNIO

/// A JSON document column value: `jsonb` on PostgreSQL (queryable, indexable), text on SQLite.
struct DatabaseJSON: Hashable, Sendable, Codable {
    let data: Data

    init(_ data: Data) { self.data = data }

    init(from decoder: any Decoder) throws {
        self.data = Data(try decoder.singleValueContainer().decode(String.self).utf8)
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(String(decoding: data, as: UTF8.self))
    }
}

extension DatabaseJSON: SQLiteDataConvertible {
    init?(sqliteData: SQLiteData) {
        guard case .text(let text) = sqliteData else { return nil }
        self.data = Data(text.utf8)
    }

    var sqliteData: SQLiteData? { .text(String(decoding: data, as: UTF8.self)) }
}

extension DatabaseJSON: PostgresNonThrowingEncodable, PostgresDecodable {
    static var psqlType: PostgresDataType { .jsonb }
    static var psqlFormat: PostgresFormat { .binary }

    /// The jsonb binary format is a version byte (1) followed by the JSON text.
    static let jsonbVersion: UInt8 = 1

    func encode<JSONEncoder: PostgresJSONEncoder>(into byteBuffer: inout ByteBuffer, context: PostgresEncodingContext<JSONEncoder>) {
        byteBuffer.writeInteger(Self.jsonbVersion)
        byteBuffer.writeBytes(data)
    }

    init<JSONDecoder: PostgresJSONDecoder>(
        from buffer: inout ByteBuffer, type: PostgresDataType, format: PostgresFormat, context: PostgresDecodingContext<JSONDecoder>
    ) throws {
        switch (format, type) {
        case (.binary, .jsonb):
            guard buffer.readInteger(as: UInt8.self) == Self.jsonbVersion else { throw PostgresDecodingError.Code.failure }
            self.data = Data(buffer.readableBytesView)
        case (_, .json), (_, .text), (_, .varchar), (.text, .jsonb):
            self.data = Data(buffer.readableBytesView)
        default:
            throw PostgresDecodingError.Code.typeMismatch
        }
    }
}
