import Foundation
import SQLKit
import Testing

@testable import Persistence

/// The row readers shared by the repository and the queries.
@Suite("Customer row mapping")
struct CustomerRowMappingTests {
    /// A row as a dictionary, its values decoded the way a JSON column would be: enough for the
    /// mapping's strings, integers and booleans.
    struct DictionaryRow: SQLRow {
        let values: [String: (any Sendable)?]
        var allColumns: [String] { Array(values.keys) }
        func contains(column: String) -> Bool { values[column] != nil }
        func decodeNil(column: String) throws -> Bool {
            guard let value = values[column] else { return true }
            return value == nil
        }
        func decode<D: Decodable>(column: String, as type: D.Type) throws -> D {
            guard let value = values[column] ?? nil else { throw DecodingError.valueNotFound(D.self, .init(codingPath: [], debugDescription: column)) }
            return try JSONDecoder().decode(D.self, from: JSONSerialization.data(withJSONObject: value, options: .fragmentsAllowed))
        }
    }

    static func addressRow(ordinal: Int, street: String) -> DictionaryRow {
        DictionaryRow(values: [
            "address_id": UUID().uuidString.lowercased(), "address_label": nil, "address_street": street, "address_number": "1",
            "address_complement": nil, "address_district": nil, "address_city": "Recife", "address_state": nil,
            "address_postal_code": "50000-000", "address_country": "BR", "address_is_primary": ordinal == 0, "address_ordinal": ordinal,
        ])
    }

    @Test("addresses come back in their ordinal order whatever order the database sent the rows in (the statements have no ORDER BY)")
    func readsAddressesInOrdinalOrder() throws {
        let rows = [Self.addressRow(ordinal: 2, street: "C"), Self.addressRow(ordinal: 0, street: "A"), Self.addressRow(ordinal: 1, street: "B")]
        #expect(try CustomerRowMapping.readAddresses(rows).map(\.street) == ["A", "B", "C"])
        // A customer without addresses: one row, every address column NULL.
        #expect(try CustomerRowMapping.readAddresses([DictionaryRow(values: ["address_id": nil])]).isEmpty)
    }
}
