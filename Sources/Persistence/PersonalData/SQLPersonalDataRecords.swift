import CustomerApplication
import CustomerDomain
import Foundation
import SQLKit

/// Reads the outbox events, inbox records and webhook deliveries naming a customer, for an
/// export. Three statements, whatever the counts.
///
/// The outbox is read through its `(subject, sequence)` index; the inbox and the webhook
/// deliveries have no index on the subject and are scanned: exports are rare, and both tables
/// are kept small by retention.
public struct SQLPersonalDataRecords: PersonalDataRecords {
    public let client: any DatabaseClient
    public let names: SchemaNames

    public init(client: any DatabaseClient, names: SchemaNames) {
        self.client = client
        self.names = names
    }

    public func records(about id: CustomerID) async throws -> HeldRecords {
        let names = self.names
        let subject = id.description
        return try await client.withConnection { database in
            let outbox = try await database.raw(
                """
                SELECT id, type, status, created_at, payload FROM \(ident: names.outbox)
                WHERE subject = \(bind: subject) ORDER BY sequence
                """
            ).all().map { row in
                HeldRecords.Message(
                    id: try row.decode(column: "id", as: String.self),
                    type: try row.decode(column: "type", as: String.self),
                    status: try row.decode(column: "status", as: String.self),
                    recordedAt: try row.decode(column: "created_at", as: DatabaseTimestamp.self).date,
                    payload: Data(try row.decode(column: "payload", as: String.self).utf8))
            }
            let inbox = try await database.raw(
                """
                SELECT group_name, message_id, type, status, received_at, payload FROM \(ident: names.inbox)
                WHERE subject = \(bind: subject) ORDER BY seq
                """
            ).all().map { row in
                HeldRecords.Message(
                    id: try row.decode(column: "message_id", as: String.self),
                    type: try row.decode(column: "type", as: String.self),
                    status: try row.decode(column: "status", as: String.self),
                    recordedAt: try row.decode(column: "received_at", as: DatabaseTimestamp.self).date,
                    recipient: try row.decode(column: "group_name", as: String.self),
                    payload: try row.decodeOptional(column: "payload", as: String.self).map { Data($0.utf8) })
            }
            let deliveries = try await database.raw(
                """
                SELECT subscription_id, event_id, type, status, created_at, payload FROM \(ident: names.webhookDeliveries)
                WHERE subject = \(bind: subject) ORDER BY seq
                """
            ).all().map { row in
                HeldRecords.Message(
                    id: try row.decode(column: "event_id", as: String.self),
                    type: try row.decode(column: "type", as: String.self),
                    status: try row.decode(column: "status", as: String.self),
                    recordedAt: try row.decode(column: "created_at", as: DatabaseTimestamp.self).date,
                    recipient: try row.decode(column: "subscription_id", as: DatabaseUUID.self).value.uuidString.lowercased(),
                    payload: Data(try row.decode(column: "payload", as: String.self).utf8))
            }
            return HeldRecords(outbox: outbox, inbox: inbox, webhookDeliveries: deliveries)
        }
    }
}
