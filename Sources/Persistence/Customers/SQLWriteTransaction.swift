import CustomerApplication
import CustomerDomain
import EventBus
import Foundation
import SQLKit
import Synchronization

/// What a command writes inside its transaction: the aggregate (through the repository), history
/// rows, outbox rows and the idempotent response, all on one connection.
struct SQLWriteTransaction: WriteTransaction {
    let database: any SQLDatabase
    let names: SchemaNames
    let customers: any CustomerRepository
    /// Set once outbox rows were written, so that the runner can wake the relay after the commit.
    let wroteOutbox = OnceFlag()

    init(database: any SQLDatabase, names: SchemaNames) {
        self.database = database
        self.names = names
        self.customers = SQLCustomerRepository(database: database, names: names)
    }

    func appendHistory(_ entries: [CustomerHistoryEntry]) async throws {
        guard !entries.isEmpty else { return }
        let rows: [SQLQueryString] = entries.map { entry in
            """
            (\(bind: DatabaseUUID(entry.customerID.rawValue)), \(bind: entry.version), \(bind: entry.type),
             \(bind: DatabaseTimestamp(entry.occurredAt)), \(bind: DatabaseJSON(entry.data)), \(bind: entry.actor))
            """
        }
        try await database.raw(
            "INSERT INTO \(ident: names.history) (customer_id, version, type, occurred_at, data, actor) VALUES \(rows.joined(separator: ", "))"
        ).run()
    }

    func appendOutbox(_ messages: [OutboxMessage]) async throws {
        guard !messages.isEmpty else { return }
        let rows: [SQLQueryString] = messages.map { message in
            """
                (\(bind: message.event.id), \(bind: message.event.subject), \(bind: message.sequence), \(bind: message.event.type),
                 \(bind: String(decoding: message.event.jsonData(), as: UTF8.self)), \(bind: OutboxHeaders.encode(message.headers)),
                 \(bind: DatabaseTimestamp(message.createdAt)))
                """
        }
        try await database.raw(
            """
            INSERT INTO \(ident: names.outbox) (id, subject, sequence, type, payload, headers, created_at)
            VALUES \(rows.joined(separator: ", "))
            """
        ).run()
        wroteOutbox.set()
    }

    func redactPersonalData(of customer: CustomerID, using redact: @Sendable (Data) throws -> Data) async throws {
        let id = DatabaseUUID(customer.rawValue)
        let history = try await database.raw(
            "SELECT version, data FROM \(ident: names.history) WHERE customer_id = \(bind: id)"
        ).all()
        for row in history {
            let version = try row.decode(column: "version", as: Int.self)
            let data = try row.decode(column: "data", as: DatabaseJSON.self).data
            try await database.raw(
                """
                UPDATE \(ident: names.history) SET data = \(bind: DatabaseJSON(try redact(data)))
                WHERE customer_id = \(bind: id) AND version = \(bind: version)
                """
            ).run()
        }
        let outbox = try await database.raw(
            "SELECT seq, payload FROM \(ident: names.outbox) WHERE subject = \(bind: customer.description)"
        ).all()
        for row in outbox {
            let seq = try row.decode(column: "seq", as: Int64.self)
            let payload = Data(try row.decode(column: "payload", as: String.self).utf8)
            try await database.raw(
                "UPDATE \(ident: names.outbox) SET payload = \(bind: String(decoding: try redact(payload), as: UTF8.self)) WHERE seq = \(bind: seq)"
            ).run()
        }
        // Events already queued for webhooks, delivered or not: every later attempt sends them
        // redacted (an attempt already on the wire carries what it read before).
        let deliveries = try await database.raw(
            "SELECT seq, payload FROM \(ident: names.webhookDeliveries) WHERE subject = \(bind: customer.description)"
        ).all()
        for row in deliveries {
            let seq = try row.decode(column: "seq", as: Int64.self)
            let payload = Data(try row.decode(column: "payload", as: String.self).utf8)
            try await database.raw(
                "UPDATE \(ident: names.webhookDeliveries) SET payload = \(bind: String(decoding: try redact(payload), as: UTF8.self)) WHERE seq = \(bind: seq)"
            ).run()
        }
        // Inbox messages kept for a retry (failed ones hold their payload).
        let inbox = try await database.raw(
            "SELECT seq, payload FROM \(ident: names.inbox) WHERE subject = \(bind: customer.description) AND payload IS NOT NULL"
        ).all()
        for row in inbox {
            let seq = try row.decode(column: "seq", as: Int64.self)
            let payload = Data(try row.decode(column: "payload", as: String.self).utf8)
            let cleaned = (try? redact(payload)) ?? Data("null".utf8)
            try await database.raw(
                "UPDATE \(ident: names.inbox) SET payload = \(bind: String(decoding: cleaned, as: UTF8.self)) WHERE seq = \(bind: seq)"
            ).run()
        }
        // Error texts may quote what an endpoint or a broker answered, the event included.
        let subject = customer.description
        try await database.raw("UPDATE \(ident: names.outbox) SET last_error = NULL WHERE subject = \(bind: subject) AND last_error IS NOT NULL").run()
        try await database.raw("UPDATE \(ident: names.webhookDeliveries) SET last_error = NULL WHERE subject = \(bind: subject) AND last_error IS NOT NULL").run()
        try await database.raw("UPDATE \(ident: names.inbox) SET last_error = NULL WHERE subject = \(bind: subject) AND last_error IS NOT NULL").run()
        try await redactIdempotentResponses(of: customer, using: redact)
    }

    /// Stored responses of idempotent creates about the customer (the registration, added
    /// addresses): their bodies are redacted and their fingerprints (digests of the request, with
    /// its personal data) replaced, so that a replay answers without personal data and a retried
    /// registration still does not register the person again.
    private func redactIdempotentResponses(of customer: CustomerID, using redact: @Sendable (Data) throws -> Data) async throws {
        let addressScope = "POST /v1/customers/\(customer)/addresses"
        let rows = try await database.raw(
            """
            SELECT scope, idempotency_key, body FROM \(ident: names.idempotencyKeys)
            WHERE scope = \(bind: addressScope)
               OR (scope = 'POST /v1/customers' AND body LIKE \(bind: "%\"id\":\"\(customer)\"%"))
            """
        ).all()
        for row in rows {
            let scope = try row.decode(column: "scope", as: String.self)
            let key = try row.decode(column: "idempotency_key", as: String.self)
            let body = Data(try row.decode(column: "body", as: String.self).utf8)
            let cleaned = (try? redact(body)) ?? Data("{}".utf8)
            try await database.raw(
                """
                UPDATE \(ident: names.idempotencyKeys)
                SET body = \(bind: String(decoding: cleaned, as: UTF8.self)), fingerprint = \(bind: IdempotencyRecord.erasedFingerprint)
                WHERE scope = \(bind: scope) AND idempotency_key = \(bind: key)
                """
            ).run()
        }
    }

    func saveIdempotencyRecord(_ record: IdempotencyRecord) async throws {
        // An expired record of the same key gives way to the new one.
        try await database.raw(
            """
            DELETE FROM \(ident: names.idempotencyKeys)
            WHERE scope = \(bind: record.scope) AND idempotency_key = \(bind: record.key)
              AND expires_at <= \(bind: DatabaseTimestamp(record.createdAt))
            """
        ).run()
        let headers = try JSONSerialization.data(withJSONObject: record.headers.map { [$0.name, $0.value] })
        do {
            try await database.raw(
                """
                INSERT INTO \(ident: names.idempotencyKeys)
                    (scope, idempotency_key, fingerprint, status, headers, body, created_at, expires_at)
                VALUES (\(bind: record.scope), \(bind: record.key), \(bind: record.fingerprint), \(bind: record.status),
                        \(bind: DatabaseJSON(headers)), \(bind: String(decoding: record.body, as: UTF8.self)),
                        \(bind: DatabaseTimestamp(record.createdAt)), \(bind: DatabaseTimestamp(record.expiresAt)))
                """
            ).run()
        } catch let violation as UniqueViolation where names.isIdempotencyViolation(violation) {
            throw IdempotencyKeyInUse(scope: record.scope, key: record.key)
        }
    }
}

/// Opens the transaction of each command on the database client.
public struct SQLTransactionRunner: TransactionRunner {
    public let client: any DatabaseClient
    public let names: SchemaNames
    let afterOutboxCommit: (@Sendable () -> Void)?

    /// - Parameter afterOutboxCommit: called after each commit that wrote outbox rows (the relay's
    ///   wake-up signal).
    public init(client: any DatabaseClient, names: SchemaNames, afterOutboxCommit: (@Sendable () -> Void)? = nil) {
        self.client = client
        self.names = names
        self.afterOutboxCommit = afterOutboxCommit
    }

    public func inTransaction<R: Sendable>(_ work: @Sendable (any WriteTransaction) async throws -> R) async throws -> R {
        let names = self.names
        let wroteOutbox = OnceFlag()
        let result = try await client.withTransaction { database in
            let transaction = SQLWriteTransaction(database: database, names: names)
            let result = try await work(transaction)
            if transaction.wroteOutbox.isSet { wroteOutbox.set() }
            return result
        }
        if wroteOutbox.isSet { afterOutboxCommit?() }
        return result
    }
}

/// A flag that goes from unset to set once, from any task.
final class OnceFlag: Sendable {
    private let value = Atomic<Bool>(false)
    var isSet: Bool { value.load(ordering: .acquiring) }
    func set() { value.store(true, ordering: .releasing) }
}
