import EventBus
import Foundation
import SQLKit

/// Webhook subscriptions and deliveries in the service's database.
///
/// Query plans: due deliveries walk `(status, next_attempt_at)`; the ordering check looks up a
/// subject's earlier deliveries by `(subscription_id, subject, sequence)`; enqueueing is one
/// insert per matching subscription, idempotent on `(subscription_id, event_id)`.
public struct SQLWebhookStore: WebhookStore {
    public let client: any DatabaseClient
    public let names: SchemaNames

    public init(client: any DatabaseClient, names: SchemaNames) {
        self.client = client
        self.names = names
    }

    // MARK: - Subscriptions

    public func create(url: String, eventTypes: [String], secret: String, now: Date) async throws -> WebhookSubscription {
        let subscription = WebhookSubscription(id: UUID(), url: url, eventTypes: eventTypes, enabled: true, disabledReason: nil, createdAt: now)
        let names = self.names
        try await client.withTransaction { database in
            try await database.raw(
                """
                INSERT INTO \(ident: names.webhookSubscriptions) (id, url, event_types, secret, enabled, created_at)
                VALUES (\(bind: DatabaseUUID(subscription.id)), \(bind: url), \(bind: eventTypes.joined(separator: " ")), \(bind: secret),
                        \(bind: true), \(bind: DatabaseTimestamp(now)))
                """
            ).run()
        }
        return subscription
    }

    public func subscriptions() async throws -> [WebhookSubscription] {
        let names = self.names
        return try await client.withConnection { database in
            try await database.raw(
                "SELECT id, url, event_types, enabled, disabled_reason, created_at FROM \(ident: names.webhookSubscriptions) ORDER BY created_at, id"
            ).all().map(Self.subscription(from:))
        }
    }

    public func subscription(_ id: UUID) async throws -> WebhookSubscription? {
        let names = self.names
        return try await client.withConnection { database in
            try await database.raw(
                "SELECT id, url, event_types, enabled, disabled_reason, created_at FROM \(ident: names.webhookSubscriptions) WHERE id = \(bind: DatabaseUUID(id))"
            ).first().map(Self.subscription(from:))
        }
    }

    public func secret(of id: UUID) async throws -> String? {
        let names = self.names
        return try await client.withConnection { database in
            try await database.raw("SELECT secret FROM \(ident: names.webhookSubscriptions) WHERE id = \(bind: DatabaseUUID(id))")
                .first()?.decode(column: "secret", as: String.self)
        }
    }

    public func delete(_ id: UUID) async throws -> Bool {
        let names = self.names
        return try await client.withTransaction { database in
            try await database.raw("DELETE FROM \(ident: names.webhookDeliveries) WHERE subscription_id = \(bind: DatabaseUUID(id))").run()
            return try await database.matchedRows("DELETE FROM \(ident: names.webhookSubscriptions) WHERE id = \(bind: DatabaseUUID(id))") > 0
        }
    }

    public func disable(_ id: UUID, reason: String) async throws {
        let names = self.names
        try await client.withTransaction { database in
            try await database.raw(
                "UPDATE \(ident: names.webhookSubscriptions) SET enabled = \(bind: false), disabled_reason = \(bind: reason) WHERE id = \(bind: DatabaseUUID(id))"
            ).run()
        }
    }

    // MARK: - Deliveries

    public func enqueue(_ event: CloudEvent, in context: InboxContext, now: Date) async throws {
        guard let database = context.transaction as? any SQLDatabase else { throw WebhookStoreMisuse() }
        let names = self.names
        let targets = try await database.raw(
            "SELECT id, url, event_types, enabled, disabled_reason, created_at FROM \(ident: names.webhookSubscriptions) WHERE enabled = \(bind: true)"
        ).all().map(Self.subscription(from:)).filter { $0.matches(event.type) }
        guard !targets.isEmpty else { return }
        let sequence = Self.sequence(of: event)
        let payload = String(decoding: event.jsonData(), as: UTF8.self)
        let at = DatabaseTimestamp(now)
        for target in targets {
            let values: SQLQueryString = """
                (\(bind: DatabaseUUID(target.id)), \(bind: event.id), \(bind: event.subject), \(bind: sequence), \(bind: event.type), \(bind: payload),
                 'pending', 0, \(bind: at), \(bind: at))
                """
            let columns: SQLQueryString = "(subscription_id, event_id, subject, sequence, type, payload, status, attempts, next_attempt_at, created_at)"
            if database.isMySQL {
                try await database.raw("INSERT IGNORE INTO \(ident: names.webhookDeliveries) \(columns) VALUES \(values)").run()
            } else {
                try await database.raw("INSERT INTO \(ident: names.webhookDeliveries) \(columns) VALUES \(values) ON CONFLICT (subscription_id, event_id) DO NOTHING").run()
            }
        }
    }

    public func due(now: Date, limit: Int, perSubscription: Int, excluding: Set<UUID>) async throws -> [WebhookDelivery] {
        let names = self.names
        let exclusion: SQLQueryString = excluding.isEmpty
            ? ""
            : "AND d.subscription_id NOT IN (\(excluding.sorted { $0.uuidString < $1.uuidString }.map { "\(bind: DatabaseUUID($0))" as SQLQueryString }.joined(separator: ", ")))"
        return try await client.withConnection { database in
            try await database.raw(
                """
                SELECT * FROM (
                    SELECT \(Self.deliveryColumns("d")),
                           ROW_NUMBER() OVER (PARTITION BY d.subscription_id ORDER BY d.next_attempt_at, d.seq) AS rank_in_subscription
                    FROM \(ident: names.webhookDeliveries) d
                    JOIN \(ident: names.webhookSubscriptions) s ON s.id = d.subscription_id AND s.enabled = \(bind: true)
                    WHERE d.status = 'pending' AND d.next_attempt_at <= \(bind: DatabaseTimestamp(now)) \(exclusion)
                      AND NOT EXISTS (
                        SELECT 1 FROM \(ident: names.webhookDeliveries) e
                        WHERE e.subscription_id = d.subscription_id AND e.subject = d.subject AND e.sequence < d.sequence AND e.status <> 'delivered')
                ) ranked
                WHERE rank_in_subscription <= \(literal: perSubscription)
                ORDER BY next_attempt_at, seq
                LIMIT \(literal: limit)
                """
            ).all().map(Self.delivery(from:))
        }
    }

    public func claim(_ position: Int64, until: Date, now: Date) async throws -> Bool {
        let names = self.names
        return try await client.withTransaction { database in
            try await database.matchedRows(
                """
                UPDATE \(ident: names.webhookDeliveries) SET next_attempt_at = \(bind: DatabaseTimestamp(until))
                WHERE seq = \(bind: position) AND status = 'pending' AND next_attempt_at <= \(bind: DatabaseTimestamp(now))
                """
            ) == 1
        }
    }

    public func markDelivered(_ position: Int64, status: Int, now: Date) async throws {
        let names = self.names
        let at = DatabaseTimestamp(now)
        try await client.withTransaction { database in
            try await database.raw(
                """
                UPDATE \(ident: names.webhookDeliveries)
                SET status = 'delivered', attempts = attempts + 1, last_status = \(bind: status), last_error = NULL, delivered_at = \(bind: at),
                    first_attempt_at = COALESCE(first_attempt_at, \(bind: at))
                WHERE seq = \(bind: position) AND status = 'pending'
                """
            ).run()
        }
    }

    public func recordFailure(_ position: Int64, status: Int?, error: String, retryAt: Date?, now: Date) async throws {
        let names = self.names
        let at = DatabaseTimestamp(now)
        let statusValue: SQLQueryString = status.map { "\(bind: $0)" } ?? "NULL"
        let next: SQLQueryString = retryAt.map { "status = 'pending', next_attempt_at = \(bind: DatabaseTimestamp($0))" } ?? "status = 'failed'"
        try await client.withTransaction { database in
            try await database.raw(
                """
                UPDATE \(ident: names.webhookDeliveries)
                SET \(next), attempts = attempts + 1, last_status = \(statusValue), last_error = \(bind: String(error.prefix(1000))),
                    first_attempt_at = COALESCE(first_attempt_at, \(bind: at))
                WHERE seq = \(bind: position) AND status = 'pending'
                """
            ).run()
        }
    }

    public func retry(_ position: Int64, now: Date) async throws -> Bool {
        let names = self.names
        return try await client.withTransaction { database in
            try await database.matchedRows(
                """
                UPDATE \(ident: names.webhookDeliveries) SET status = 'pending', next_attempt_at = \(bind: DatabaseTimestamp(now)), first_attempt_at = NULL, attempts = 0
                WHERE seq = \(bind: position) AND status = 'failed'
                """
            ) == 1
        }
    }

    public func deliveries(of subscription: UUID, status: WebhookDelivery.Status?, limit: Int) async throws -> [WebhookDelivery] {
        let names = self.names
        let filter: SQLQueryString = status.map { "AND status = \(bind: $0.rawValue)" } ?? ""
        return try await client.withConnection { database in
            try await database.raw(
                """
                SELECT \(Self.deliveryColumns(nil)) FROM \(ident: names.webhookDeliveries)
                WHERE subscription_id = \(bind: DatabaseUUID(subscription)) \(filter)
                ORDER BY seq DESC LIMIT \(literal: limit)
                """
            ).all().map(Self.delivery(from:))
        }
    }

    public func failedDeliveries(limit: Int) async throws -> [WebhookDelivery] {
        let names = self.names
        return try await client.withConnection { database in
            try await database.raw(
                "SELECT \(Self.deliveryColumns(nil)) FROM \(ident: names.webhookDeliveries) WHERE status = 'failed' ORDER BY seq DESC LIMIT \(literal: limit)"
            ).all().map(Self.delivery(from:))
        }
    }

    // MARK: - Rows

    /// The customer's version the event brought (`data.version`), for ordering; 0 when absent.
    static func sequence(of event: CloudEvent) -> Int {
        ((try? JSONSerialization.jsonObject(with: event.data)) as? [String: Any])?["version"] as? Int ?? 0
    }

    static func deliveryColumns(_ alias: String?) -> SQLQueryString {
        let p = alias.map { "\($0)." } ?? ""
        let columns = ["seq", "subscription_id", "event_id", "subject", "sequence", "type", "payload", "status", "attempts", "next_attempt_at",
                       "first_attempt_at", "last_status", "last_error", "delivered_at"].map { p + $0 }.joined(separator: ", ")
        return "\(unsafeRaw: columns)"
    }

    static func subscription(from row: any SQLRow) throws -> WebhookSubscription {
        WebhookSubscription(
            id: try row.decode(column: "id", as: DatabaseUUID.self).value,
            url: try row.decode(column: "url", as: String.self),
            eventTypes: try row.decode(column: "event_types", as: String.self).split(separator: " ").map(String.init),
            enabled: try row.decode(column: "enabled", as: Bool.self),
            disabledReason: try row.decodeOptional(column: "disabled_reason", as: String.self),
            createdAt: try row.decode(column: "created_at", as: DatabaseTimestamp.self).date)
    }

    static func delivery(from row: any SQLRow) throws -> WebhookDelivery {
        WebhookDelivery(
            position: try row.decode(column: "seq", as: Int64.self),
            subscriptionID: try row.decode(column: "subscription_id", as: DatabaseUUID.self).value,
            eventID: try row.decode(column: "event_id", as: String.self),
            subject: try row.decode(column: "subject", as: String.self),
            sequence: try row.decode(column: "sequence", as: Int.self),
            type: try row.decode(column: "type", as: String.self),
            payload: Data(try row.decode(column: "payload", as: String.self).utf8),
            status: WebhookDelivery.Status(rawValue: try row.decode(column: "status", as: String.self)) ?? .pending,
            attempts: try row.decode(column: "attempts", as: Int.self),
            nextAttemptAt: try row.decode(column: "next_attempt_at", as: DatabaseTimestamp.self).date,
            firstAttemptAt: try row.decodeOptional(column: "first_attempt_at", as: DatabaseTimestamp.self)?.date,
            lastStatus: try row.decodeOptional(column: "last_status", as: Int.self),
            lastError: try row.decodeOptional(column: "last_error", as: String.self),
            deliveredAt: try row.decodeOptional(column: "delivered_at", as: DatabaseTimestamp.self)?.date)
    }
}

/// ``SQLWebhookStore/enqueue(_:in:now:)`` was called outside an SQL inbox transaction.
struct WebhookStoreMisuse: Error, CustomStringConvertible {
    var description: String { "webhook deliveries must be queued inside the inbox transaction of an SQL inbox store" }
}
