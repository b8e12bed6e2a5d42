// The baseline of `bench/run`: a bare Hummingbird + postgres-nio server with the two routes the
// targets compare, running exactly the SQL CustomerFlow runs for them on CustomerFlow's own tables,
// with the same JSON shape — and nothing else: no mediator, no validation, no unit of work, no
// telemetry, no authentication, no domain model. On a mysql:// URL the same routes run on MariaDB
// (MariaDBBare.swift).
//
//   BARE_DATABASE_URL=postgres://user:pass@127.0.0.1:5432/db BARE_TABLE_PREFIX=b1_ BARE_PORT=8081 customerflow-bare

import Foundation
import Hummingbird
import Logging
import NIOCore
import PostgresNIO

struct AddressBody: Codable {
    var id: String?
    var label: String?
    var street: String
    var number: String
    var complement: String?
    var district: String?
    var city: String
    var state: String?
    var postalCode: String
    var country: String
    var primary: Bool?
}

struct DocumentBody: Codable {
    var type: String
    var number: String
}

struct CustomerBody: Codable {
    var id: String
    var name: String?
    var email: String?
    var phone: String?
    var document: DocumentBody?
    var birthDate: String?
    var status: String
    var addresses: [AddressBody]
    var version: Int
    var createdAt: String
    var updatedAt: String
}

struct Registration: Decodable {
    var name: String
    var email: String
    var phone: String?
    var birthDate: String?
    var addresses: [AddressBody]?
}

@main
struct BareServer {
    static func main() async throws {
        let environment = ProcessInfo.processInfo.environment
        guard let text = environment["BARE_DATABASE_URL"], let url = URLComponents(string: text), let host = url.host else {
            print("BARE_DATABASE_URL=postgres://user:pass@host:port/db (or mysql://…) is required")
            exit(2)
        }
        let prefix = environment["BARE_TABLE_PREFIX"] ?? ""
        let port = Int(environment["BARE_PORT"] ?? "8081") ?? 8081
        if url.scheme == "mysql" || url.scheme == "mariadb" {
            try await MariaDBBare.run(url: text, prefix: prefix, port: port, poolSize: Int(environment["BARE_POOL_SIZE"] ?? "20") ?? 20)
            return
        }
        var configuration = PostgresClient.Configuration(
            host: host, port: url.port ?? 5432, username: url.user ?? "postgres", password: url.password,
            database: String(url.path.dropFirst()), tls: .disable)
        configuration.options.maximumConnections = Int(environment["BARE_POOL_SIZE"] ?? "20") ?? 20
        // The pool as CustomerFlow configures it (PostgresDatabaseClient): all connections kept open
        // and no keep-alive timers, which postgres-nio arms as sleeping tasks on every return to the pool.
        configuration.options.minimumConnections = configuration.options.maximumConnections
        configuration.options.keepAliveBehavior = nil
        let client = PostgresClient(configuration: configuration)
        let customers = prefix + "customers", addresses = prefix + "customer_addresses"
        let history = prefix + "customer_history", outbox = prefix + "outbox"

        let router = Router()
        router.get("/v1/customers/:id") { _, context -> Response in
            guard let id = context.parameters.get("id").flatMap(UUID.init(uuidString:)) else { return Response(status: .badRequest) }
            let rows = try await client.query(
                """
                SELECT c.id, c.name, c.email, c.phone, c.document_type, c.document_number, c.birth_date, c.status,
                       c.deactivation_reason, c.version, c.created_at, c.updated_at,
                       a.id AS address_id, a.label AS address_label, a.street AS address_street, a.number AS address_number,
                       a.complement AS address_complement, a.district AS address_district, a.city AS address_city,
                       a.state AS address_state, a.postal_code AS address_postal_code, a.country AS address_country,
                       a.is_primary AS address_is_primary, a.ordinal AS address_ordinal
                FROM \(unescaped: customers) c
                LEFT JOIN \(unescaped: addresses) a ON a.customer_id = c.id
                WHERE c.id = \(id)
                """)
            var customer: CustomerBody?
            // In ordinal order, sorted here as CustomerFlow does (no ORDER BY: see CustomerRowMapping).
            var ordered: [(ordinal: Int, address: AddressBody)] = []
            for try await row in rows {
                let columns = row.makeRandomAccess()
                if customer == nil {
                    var document: DocumentBody?
                    if let type = try columns["document_type"].decode(String?.self), let number = try columns["document_number"].decode(String?.self) {
                        document = DocumentBody(type: type, number: number)
                    }
                    customer = CustomerBody(
                        id: try columns["id"].decode(UUID.self).uuidString.lowercased(),
                        name: try columns["name"].decode(String?.self), email: try columns["email"].decode(String?.self),
                        phone: try columns["phone"].decode(String?.self), document: document,
                        birthDate: try columns["birth_date"].decode(Date?.self).map(day),
                        status: try columns["status"].decode(String.self), addresses: [],
                        version: try columns["version"].decode(Int.self),
                        createdAt: timestamp(try columns["created_at"].decode(Date.self)),
                        updatedAt: timestamp(try columns["updated_at"].decode(Date.self)))
                }
                if let addressID = try columns["address_id"].decode(UUID?.self) {
                    ordered.append((try columns["address_ordinal"].decode(Int.self), AddressBody(
                        id: addressID.uuidString.lowercased(), label: try columns["address_label"].decode(String?.self),
                        street: try columns["address_street"].decode(String.self), number: try columns["address_number"].decode(String.self),
                        complement: try columns["address_complement"].decode(String?.self), district: try columns["address_district"].decode(String?.self),
                        city: try columns["address_city"].decode(String.self), state: try columns["address_state"].decode(String?.self),
                        postalCode: try columns["address_postal_code"].decode(String.self), country: try columns["address_country"].decode(String.self),
                        primary: try columns["address_is_primary"].decode(Bool.self))))
                }
            }
            customer?.addresses = ordered.sorted { $0.ordinal < $1.ordinal }.map(\.address)
            guard let customer else { return Response(status: .notFound) }
            return try json(.ok, customer, version: customer.version)
        }

        router.post("/v1/customers") { request, context -> Response in
            let body = try await request.body.collect(upTo: 64 * 1024)
            let input = try JSONDecoder().decode(Registration.self, from: Data(buffer: body))
            let id = UUID()
            let now = Date()
            let addressRows = (input.addresses ?? []).enumerated().map { index, address in
                (UUID(), index, address)
            }
            let customer = CustomerBody(
                id: id.uuidString.lowercased(), name: input.name, email: input.email.lowercased(), phone: input.phone, document: nil,
                birthDate: input.birthDate, status: "active",
                addresses: addressRows.map { addressID, index, address in
                    var copy = address
                    copy.id = addressID.uuidString.lowercased()
                    copy.primary = index == 0
                    return copy
                },
                version: 1, createdAt: timestamp(now), updatedAt: timestamp(now))
            let event = String(decoding: try JSONEncoder().encode(customer), as: UTF8.self)
            try await client.withTransaction(logger: context.logger) { connection in
                let birth = input.birthDate.flatMap(parseDay)
                try await connection.query(
                    """
                    INSERT INTO \(unescaped: customers)
                        (id, name, search_name, email, phone, document_type, document_number, birth_date, status,
                         deactivation_reason, version, created_at, updated_at)
                    VALUES (\(id), \(input.name), \(input.name.lowercased()), \(customer.email), \(input.phone), \(String?.none),
                            \(String?.none), \(birth), 'active', \(String?.none), 1, \(now), \(now))
                    """, logger: context.logger)
                for (addressID, index, address) in addressRows {
                    try await connection.query(
                        """
                        INSERT INTO \(unescaped: addresses)
                            (id, customer_id, ordinal, label, street, number, complement, district, city, state, postal_code, country, is_primary)
                        VALUES (\(addressID), \(id), \(index), \(address.label), \(address.street), \(address.number), \(address.complement),
                                \(address.district), \(address.city), \(address.state), \(address.postalCode), \(address.country), \(index == 0))
                        """, logger: context.logger)
                }
                try await connection.query(
                    """
                    INSERT INTO \(unescaped: history) (customer_id, version, type, occurred_at, data, actor)
                    VALUES (\(id), 1, 'customer.registered', \(now), CAST(\(event) AS JSONB), \(String?.none))
                    """, logger: context.logger)
                try await connection.query(
                    """
                    INSERT INTO \(unescaped: outbox) (id, subject, sequence, type, payload, headers, created_at)
                    VALUES (\(UUID().uuidString.lowercased()), \(customer.id), 1, 'customer.registered.v1', \(event), \(String?.none), \(now))
                    """, logger: context.logger)
            }
            var response = try json(.created, customer, version: 1)
            response.headers[.location] = "/v1/customers/\(customer.id)"
            return response
        }

        var logger = Logger(label: "bare")
        logger.logLevel = .error
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: port)), logger: logger)
        try await withThrowingDiscardingTaskGroup { group in
            group.addTask { await client.run() }
            try await app.runService()
            group.cancelAll()
        }
    }
}

func json(_ status: HTTPResponse.Status, _ value: some Encodable, version: Int) throws -> Response {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    let data = try encoder.encode(value)
    return Response(
        status: status, headers: [.contentType: "application/json", .eTag: "\"\(version)\""],
        body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
}

func timestamp(_ date: Date) -> String {
    date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
}

func day(_ date: Date) -> String {
    date.formatted(Date.ISO8601FormatStyle().year().month().day())
}

func parseDay(_ text: String) -> Date? {
    try? Date.ISO8601FormatStyle().year().month().day().parse(text)
}
