import CustomerApplication
import CustomerDomain
import Foundation
import SQLKit

/// The read side: one SQL statement per query, straight into response DTOs.
///
/// Index use: by id → primary key; list → `(created_at, id)` or `(status, created_at, id)`
/// scanned backwards; `q` → `search_name` and `email` ranges (byte-wise collation); `email` and
/// `document` → their unique indexes; addresses → `(customer_id, ordinal)` and the partial
/// primary index; history → its `(customer_id, version)` primary key.
public struct SQLCustomerQueries: CustomerQueries {
    public let client: any DatabaseClient
    public let names: SchemaNames

    public init(client: any DatabaseClient, names: SchemaNames) {
        self.client = client
        self.names = names
    }

    public func customer(_ id: CustomerID) async throws -> CustomerDetails? {
        let statement = CustomerRowMapping.customerStatement(id, names: names)
        return try await client.withConnection { database in
            let rows = try await database.raw(statement).all()
            guard let first = rows.first else { return nil }
            return CustomerRowMapping.details(
                try CustomerRowMapping.readCustomer(first),
                addresses: try CustomerRowMapping.readAddresses(rows)
            )
        }
    }

    public func customers(matching filter: CustomerFilter, after position: CustomerListPosition?, limit: Int) async throws -> [CustomerSummary] {
        let query = Self.listStatement(filter, after: position, limit: limit, names: names, kind: client.kind)
        return try await client.withConnection { database in
            try await database.raw(query).all().map { row in
                let statusText = try row.decode(column: "status", as: String.self)
                return CustomerSummary(
                    id: CustomerID(try row.decode(column: "id", as: DatabaseUUID.self).value),
                    name: try row.decodeOptional(column: "name"),
                    email: try row.decodeOptional(column: "email"),
                    status: CustomerStatus(rawValue: statusText) ?? .active,
                    city: try row.decodeOptional(column: "city"),
                    createdAt: try row.decode(column: "created_at", as: DatabaseTimestamp.self).date,
                    updatedAt: try row.decode(column: "updated_at", as: DatabaseTimestamp.self).date
                )
            }
        }
    }

    public func history(of id: CustomerID) async throws -> [CustomerHistoryItem]? {
        let statement = Self.historyStatement(id, names: names)
        return try await client.withConnection { database in
            let rows = try await database.raw(statement).all()
            guard !rows.isEmpty else { return nil }
            return try rows.compactMap { row in
                guard let type = try row.decodeOptional(column: "type", as: String.self) else { return nil }
                return CustomerHistoryItem(
                    type: type,
                    version: try row.decode(column: "version", as: Int.self),
                    occurredAt: try row.decode(column: "occurred_at", as: DatabaseTimestamp.self).date,
                    data: try row.decode(column: "data", as: DatabaseJSON.self).data,
                    actor: try row.decodeOptional(column: "actor", as: String.self)
                )
            }
            // In version order, sorted here: see `historyStatement`.
            .sorted { $0.version < $1.version }
        }
    }

    // MARK: - Statements (internal so that tests can EXPLAIN them)

    /// No `ORDER BY`: MariaDB would sort the joined rows in a temporary table (see
    /// ``CustomerRowMapping/readAddresses(_:)``); ``history(of:)`` orders them.
    static func historyStatement(_ id: CustomerID, names: SchemaNames) -> SQLQueryString {
        """
        SELECT c.id, h.type, h.version, h.occurred_at, h.data, h.actor
        FROM \(ident: names.customers) c
        LEFT JOIN \(ident: names.history) h ON h.customer_id = c.id
        WHERE c.id = \(bind: DatabaseUUID(id.rawValue))
        """
    }

    static func listStatement(
        _ filter: CustomerFilter, after position: CustomerListPosition?, limit: Int, names: SchemaNames, kind: DatabaseKind
    ) -> SQLQueryString {
        var conditions: [SQLQueryString] = []
        if let status = filter.status {
            conditions.append("c.status = \(bind: status.rawValue)")
        } else {
            conditions.append("c.status IN ('active', 'inactive')")
        }
        if let prefix = filter.prefix {
            let upper = prefix + "\u{10FFFF}"
            conditions.append(
                "((c.search_name >= \(bind: prefix) AND c.search_name < \(bind: upper)) OR (c.email >= \(bind: prefix) AND c.email < \(bind: upper)))"
            )
        }
        if let email = filter.email {
            conditions.append("c.email = \(bind: email)")
        }
        if let document = filter.document {
            conditions.append("c.document_number = \(bind: document)")
        }
        if let position {
            let createdAt = DatabaseTimestamp(microseconds: position.createdAtMicroseconds)
            let id = DatabaseUUID(position.id.rawValue)
            if kind == .mysql {
                // MySQL and MariaDB do not turn a row comparison into an index range; this form they do.
                conditions.append("(c.created_at < \(bind: createdAt) OR (c.created_at = \(bind: createdAt) AND c.id < \(bind: id)))")
            } else {
                conditions.append("(c.created_at, c.id) < (\(bind: createdAt), \(bind: id))")
            }
        }
        // The page is chosen first, then the primary address joined to its rows only, through the
        // index that holds only primary addresses (partial on PostgreSQL and SQLite, over a
        // generated column on MySQL). Joining before the limit would look up the address of every
        // match: a prefix search matching 1,111 customers at 1 M did 1,111 lookups to answer 20
        // (bench/RESULTS.md).
        return """
            SELECT p.id, p.name, p.email, p.status, p.created_at, p.updated_at, a.city
            FROM (
                SELECT c.id, c.name, c.email, c.status, c.created_at, c.updated_at
                FROM \(ident: names.customers) c
                WHERE \(conditions.joined(separator: " AND "))
                ORDER BY c.created_at DESC, c.id DESC
                LIMIT \(literal: limit)
            ) p
            LEFT JOIN \(ident: names.addresses) a ON \(unsafeRaw: kind == .mysql ? "a.primary_customer_id = p.id" : "a.customer_id = p.id AND a.is_primary = TRUE")
            ORDER BY p.created_at DESC, p.id DESC
            """
    }
}
