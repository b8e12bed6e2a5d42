#if MySQL
import SQLKit

/// A fetched row, for SQLKit.
struct MariaDBRow: SQLRow {
    let columns: [String]
    let values: [MariaDBValue]

    var allColumns: [String] { columns }

    func contains(column: String) -> Bool { columns.contains(column) }

    private func value(_ column: String) throws -> MariaDBValue {
        guard let index = columns.firstIndex(of: column) else {
            throw DecodingError.keyNotFound(
                SQLCodingKey(column), .init(codingPath: [], debugDescription: "No column named \(column) (columns: \(columns))"))
        }
        return values[index]
    }

    func decodeNil(column: String) throws -> Bool {
        try value(column) == .null
    }

    func decode<D: Decodable>(column: String, as type: D.Type) throws -> D {
        try MariaDBValueDecoder(value: value(column), column: column).decode(D.self)
    }
}

private struct SQLCodingKey: CodingKey {
    let stringValue: String
    init(_ string: String) { stringValue = string }
    init?(stringValue: String) { self.stringValue = stringValue }
    var intValue: Int? { nil }
    init?(intValue: Int) { nil }
}
#endif
