import Foundation
import NIOCore
import PostgresNIO
import SQLiteNIO

/// A UUID column value: PostgreSQL's native `uuid`, lower-case text on SQLite.
///
/// One type carries the per-database representation, so repositories and queries bind and
/// decode the same way on every database and the SQL itself stays the same.
struct DatabaseUUID: Hashable, Sendable, Codable {
    let value: UUID

    init(_ value: UUID) { self.value = value }

    init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let uuid = UUID(uuidString: text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "Not a UUID"))
        }
        self.value = uuid
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(value.uuidString.lowercased())
    }
}

extension DatabaseUUID: SQLiteDataConvertible {
    init?(sqliteData: SQLiteData) {
        guard case .text(let text) = sqliteData, let uuid = UUID(uuidString: text) else { return nil }
        self.value = uuid
    }

    var sqliteData: SQLiteData? { .text(value.uuidString.lowercased()) }
}

extension DatabaseUUID: PostgresNonThrowingEncodable, PostgresDecodable {
    static var psqlType: PostgresDataType { .uuid }
    static var psqlFormat: PostgresFormat { .binary }

    func encode<JSONEncoder: PostgresJSONEncoder>(into byteBuffer: inout ByteBuffer, context: PostgresEncodingContext<JSONEncoder>) {
        value.encode(into: &byteBuffer, context: context)
    }

    init<JSONDecoder: PostgresJSONDecoder>(
        from buffer: inout ByteBuffer, type: PostgresDataType, format: PostgresFormat, context: PostgresDecodingContext<JSONDecoder>
    ) throws {
        self.value = try UUID(from: &buffer, type: type, format: format, context: context)
    }
}
