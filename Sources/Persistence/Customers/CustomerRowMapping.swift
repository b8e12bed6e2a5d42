import CustomerApplication
import CustomerDomain
import Foundation
import SQLKit

/// The column lists and row readers shared by the write-side repository and the read-side
/// queries, so both read a customer the same way.
enum CustomerRowMapping {
    static func customerColumns(_ alias: String) -> String {
        [
            "id", "name", "email", "phone", "document_type", "document_number", "birth_date", "status",
            "deactivation_reason", "version", "created_at", "updated_at",
        ].map { "\(alias).\($0)" }.joined(separator: ", ")
    }

    static func addressColumns(_ alias: String) -> String {
        "\(alias).id AS address_id, \(alias).label AS address_label, \(alias).street AS address_street, "
            + "\(alias).number AS address_number, \(alias).complement AS address_complement, "
            + "\(alias).district AS address_district, \(alias).city AS address_city, \(alias).state AS address_state, "
            + "\(alias).postal_code AS address_postal_code, \(alias).country AS address_country, "
            + "\(alias).is_primary AS address_is_primary, \(alias).ordinal AS address_ordinal"
    }

    /// A customer and its addresses, one row per address (one with NULL address columns when it
    /// has none): what GET by id reads and what a command loads. No `ORDER BY`: see
    /// ``readAddresses(_:)``.
    static func customerStatement(_ id: CustomerID, names: SchemaNames) -> SQLQueryString {
        """
        SELECT \(unsafeRaw: customerColumns("c")), \(unsafeRaw: addressColumns("a"))
        FROM \(ident: names.customers) c
        LEFT JOIN \(ident: names.addresses) a ON a.customer_id = c.id
        WHERE c.id = \(bind: DatabaseUUID(id.rawValue))
        """
    }

    struct CustomerColumns {
        let id: CustomerID
        let name: String?
        let email: String?
        let phone: String?
        let documentType: String?
        let documentNumber: String?
        let birthDate: CalendarDay?
        let status: CustomerStatus
        let deactivationReason: String?
        let version: Int
        let createdAt: Date
        let updatedAt: Date
    }

    static func readCustomer(_ row: any SQLRow) throws -> CustomerColumns {
        let statusText = try row.decode(column: "status", as: String.self)
        guard let status = CustomerStatus(rawValue: statusText) else {
            throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "Unknown customer status \(statusText)"))
        }
        return CustomerColumns(
            id: CustomerID(try row.decode(column: "id", as: DatabaseUUID.self).value),
            name: try row.decodeOptional(column: "name"),
            email: try row.decodeOptional(column: "email"),
            phone: try row.decodeOptional(column: "phone"),
            documentType: try row.decodeOptional(column: "document_type"),
            documentNumber: try row.decodeOptional(column: "document_number"),
            birthDate: try row.decodeOptional(column: "birth_date", as: DatabaseDay.self)?.day,
            status: status,
            deactivationReason: try row.decodeOptional(column: "deactivation_reason"),
            version: try row.decode(column: "version", as: Int.self),
            createdAt: try row.decode(column: "created_at", as: DatabaseTimestamp.self).date,
            updatedAt: try row.decode(column: "updated_at", as: DatabaseTimestamp.self).date
        )
    }

    /// The addresses of a customer's rows, in their order (`ordinal`).
    ///
    /// The statements carry no `ORDER BY`: MariaDB sorts a joined table's column in a temporary
    /// table even when the customer is a primary-key lookup and `(customer_id, ordinal)` is an
    /// index — 4.5 times the cost of the read itself (mariadb-slap, 16 clients: 40,000 reads in
    /// 4.1–4.6 s against 0.97 s without). A handful of rows sorts here for nothing.
    static func readAddresses(_ rows: [any SQLRow]) throws -> [AddressDetails] {
        try rows.compactMap { row -> (ordinal: Int, address: AddressDetails)? in
            guard let address = try readAddress(row) else { return nil }
            return (try row.decode(column: "address_ordinal", as: Int.self), address)
        }
        .sorted { $0.ordinal < $1.ordinal }
        .map(\.address)
    }

    /// The address of a joined row, or `nil` when the customer has none (all columns NULL).
    static func readAddress(_ row: any SQLRow) throws -> AddressDetails? {
        guard let id = try row.decodeOptional(column: "address_id", as: DatabaseUUID.self) else { return nil }
        return AddressDetails(
            id: AddressID(id.value),
            label: try row.decodeOptional(column: "address_label"),
            street: try row.decode(column: "address_street", as: String.self),
            number: try row.decode(column: "address_number", as: String.self),
            complement: try row.decodeOptional(column: "address_complement"),
            district: try row.decodeOptional(column: "address_district"),
            city: try row.decode(column: "address_city", as: String.self),
            state: try row.decodeOptional(column: "address_state"),
            postalCode: try row.decode(column: "address_postal_code", as: String.self),
            country: try row.decode(column: "address_country", as: String.self),
            primary: try row.decode(column: "address_is_primary", as: Bool.self)
        )
    }

    static func details(_ columns: CustomerColumns, addresses: [AddressDetails]) -> CustomerDetails {
        CustomerDetails(
            id: columns.id,
            name: columns.name,
            email: columns.email,
            phone: columns.phone,
            document: documentPayload(columns),
            birthDate: columns.birthDate?.description,
            status: columns.status,
            addresses: addresses,
            version: columns.version,
            createdAt: columns.createdAt,
            updatedAt: columns.updatedAt
        )
    }

    static func documentPayload(_ columns: CustomerColumns) -> DocumentPayload? {
        guard let type = columns.documentType, let number = columns.documentNumber else { return nil }
        return DocumentPayload(type: type, number: number)
    }

    /// The lower-cased, NFC form of a name that prefix search compares against.
    static func searchName(_ name: String) -> String {
        name.precomposedStringWithCanonicalMapping.lowercased()
    }
}
