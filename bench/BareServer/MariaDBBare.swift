// The bare baseline on MariaDB: the same two routes, the same SQL (with `?` placeholders) and the
// same JSON, over CustomerFlow's own MariaDB driver (Persistence's client on MariaDB Connector/C,
// the only MariaDB driver in the stack — the counterpart of postgres-nio on PostgreSQL) — and
// nothing else: no mediator, no validation, no unit of work, no telemetry, no domain model.

import Foundation
import Hummingbird
import Logging
import NIOCore
import Persistence
import SQLKit

enum MariaDBBare {
    static func run(url text: String, prefix: String, port: Int, poolSize: Int) async throws {
        var logger = Logger(label: "bare")
        logger.logLevel = .error
        let client = try await DatabaseClients.open(try DatabaseURL(parsing: text), poolSize: poolSize, logger: logger)
        let customers = prefix + "customers", addresses = prefix + "customer_addresses"
        let history = prefix + "customer_history", outbox = prefix + "outbox"

        let router = Router()
        router.get("/v1/customers/:id") { _, context -> Response in
            guard let id = context.parameters.get("id").flatMap(UUID.init(uuidString:)) else { return Response(status: .badRequest) }
            let rows = try await client.withConnection { database in
                try await database.raw(
                    """
                    SELECT c.id, c.name, c.email, c.phone, c.document_type, c.document_number, c.birth_date, c.status,
                           c.deactivation_reason, c.version, c.created_at, c.updated_at,
                           a.id AS address_id, a.label AS address_label, a.street AS address_street, a.number AS address_number,
                           a.complement AS address_complement, a.district AS address_district, a.city AS address_city,
                           a.state AS address_state, a.postal_code AS address_postal_code, a.country AS address_country,
                           a.is_primary AS address_is_primary, a.ordinal AS address_ordinal
                    FROM \(unsafeRaw: customers) c
                    LEFT JOIN \(unsafeRaw: addresses) a ON a.customer_id = c.id
                    WHERE c.id = \(bind: id.uuidString.lowercased())
                    """
                ).all()
            }
            var customer: CustomerBody?
            // In ordinal order, sorted here as CustomerFlow does (no ORDER BY: see CustomerRowMapping).
            var ordered: [(ordinal: Int, address: AddressBody)] = []
            for row in rows {
                if customer == nil {
                    var document: DocumentBody?
                    if let type = try row.decode(column: "document_type", as: String?.self),
                        let number = try row.decode(column: "document_number", as: String?.self)
                    {
                        document = DocumentBody(type: type, number: number)
                    }
                    customer = CustomerBody(
                        id: try row.decode(column: "id", as: String.self),
                        name: try row.decode(column: "name", as: String?.self), email: try row.decode(column: "email", as: String?.self),
                        phone: try row.decode(column: "phone", as: String?.self), document: document,
                        birthDate: try row.decode(column: "birth_date", as: String?.self),
                        status: try row.decode(column: "status", as: String.self), addresses: [],
                        version: try row.decode(column: "version", as: Int.self),
                        createdAt: try row.decode(column: "created_at", as: String.self),
                        updatedAt: try row.decode(column: "updated_at", as: String.self))
                }
                if let addressID = try row.decode(column: "address_id", as: String?.self) {
                    ordered.append((try row.decode(column: "address_ordinal", as: Int.self), AddressBody(
                        id: addressID, label: try row.decode(column: "address_label", as: String?.self),
                        street: try row.decode(column: "address_street", as: String.self),
                        number: try row.decode(column: "address_number", as: String.self),
                        complement: try row.decode(column: "address_complement", as: String?.self),
                        district: try row.decode(column: "address_district", as: String?.self),
                        city: try row.decode(column: "address_city", as: String.self),
                        state: try row.decode(column: "address_state", as: String?.self),
                        postalCode: try row.decode(column: "address_postal_code", as: String.self),
                        country: try row.decode(column: "address_country", as: String.self),
                        primary: try row.decode(column: "address_is_primary", as: Bool.self))))
                }
            }
            customer?.addresses = ordered.sorted { $0.ordinal < $1.ordinal }.map(\.address)
            guard let customer else { return Response(status: .notFound) }
            return try json(.ok, customer, version: customer.version)
        }

        router.post("/v1/customers") { request, _ -> Response in
            let body = try await request.body.collect(upTo: 64 * 1024)
            let input = try JSONDecoder().decode(Registration.self, from: Data(buffer: body))
            let id = UUID().uuidString.lowercased()
            let now = Date()
            let addressRows = (input.addresses ?? []).enumerated().map { index, address in
                (UUID().uuidString.lowercased(), index, address)
            }
            let customer = CustomerBody(
                id: id, name: input.name, email: input.email.lowercased(), phone: input.phone, document: nil,
                birthDate: input.birthDate, status: "active",
                addresses: addressRows.map { addressID, index, address in
                    var copy = address
                    copy.id = addressID
                    copy.primary = index == 0
                    return copy
                },
                version: 1, createdAt: timestamp(now), updatedAt: timestamp(now))
            let event = String(decoding: try JSONEncoder().encode(customer), as: UTF8.self)
            try await client.withTransaction { database in
                try await database.raw(
                    """
                    INSERT INTO \(unsafeRaw: customers)
                        (id, name, search_name, email, phone, document_type, document_number, birth_date, status,
                         deactivation_reason, version, created_at, updated_at)
                    VALUES (\(bind: id), \(bind: input.name), \(bind: input.name.lowercased()), \(bind: customer.email), \(bind: input.phone),
                            \(bind: String?.none), \(bind: String?.none), \(bind: input.birthDate), 'active', \(bind: String?.none), 1,
                            \(bind: now), \(bind: now))
                    """
                ).run()
                for (addressID, index, address) in addressRows {
                    try await database.raw(
                        """
                        INSERT INTO \(unsafeRaw: addresses)
                            (id, customer_id, ordinal, label, street, number, complement, district, city, state, postal_code, country, is_primary)
                        VALUES (\(bind: addressID), \(bind: id), \(bind: index), \(bind: address.label), \(bind: address.street),
                                \(bind: address.number), \(bind: address.complement), \(bind: address.district), \(bind: address.city),
                                \(bind: address.state), \(bind: address.postalCode), \(bind: address.country), \(bind: index == 0))
                        """
                    ).run()
                }
                try await database.raw(
                    """
                    INSERT INTO \(unsafeRaw: history) (customer_id, version, type, occurred_at, data, actor)
                    VALUES (\(bind: id), 1, 'customer.registered', \(bind: now), \(bind: event), \(bind: String?.none))
                    """
                ).run()
                try await database.raw(
                    """
                    INSERT INTO \(unsafeRaw: outbox) (id, subject, sequence, type, payload, headers, created_at)
                    VALUES (\(bind: UUID().uuidString.lowercased()), \(bind: id), 1, 'customer.registered.v1', \(bind: event),
                            \(bind: String?.none), \(bind: now))
                    """
                ).run()
            }
            var response = try json(.created, customer, version: 1)
            response.headers[.location] = "/v1/customers/\(customer.id)"
            return response
        }

        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: port)), logger: logger)
        try await withThrowingDiscardingTaskGroup { group in
            group.addTask { try await client.run() }
            try await app.runService()
            group.cancelAll()
        }
    }
}
