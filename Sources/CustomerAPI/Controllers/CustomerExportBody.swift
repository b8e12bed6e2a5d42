import CustomerApplication
import CustomerDomain
import Foundation

/// `GET /v1/customers/{id}/export`: `{"customer", "history", "outbox", "inbox",
/// "webhookDeliveries", "exportedAt"}`, every stored JSON payload embedded as JSON.
struct CustomerExportBody: Encodable {
    let export: CustomerDataExport
    init(_ export: CustomerDataExport) { self.export = export }

    enum CodingKeys: String, CodingKey { case customer, history, outbox, inbox, webhookDeliveries, exportedAt }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(export.customer, forKey: .customer)
        try container.encode(export.history.map(HistoryItem.init), forKey: .history)
        try container.encode(export.records.outbox.map(Message.init), forKey: .outbox)
        try container.encode(export.records.inbox.map(Message.init), forKey: .inbox)
        try container.encode(export.records.webhookDeliveries.map(Message.init), forKey: .webhookDeliveries)
        try container.encode(Timestamp.rfc3339(export.exportedAt), forKey: .exportedAt)
    }

    struct HistoryItem: Encodable {
        let type: String
        let version: Int
        let occurredAt: String
        let actor: String?
        let data: JSONValue?

        init(_ item: CustomerHistoryItem) {
            type = item.type
            version = item.version
            occurredAt = Timestamp.rfc3339(item.occurredAt)
            actor = item.actor
            data = JSONValue.parse(item.data)
        }
    }

    struct Message: Encodable {
        let id: String
        let type: String
        let status: String
        let recordedAt: String
        let recipient: String?
        let payload: JSONValue?

        init(_ message: HeldRecords.Message) {
            id = message.id
            type = message.type
            status = message.status
            recordedAt = Timestamp.rfc3339(message.recordedAt)
            recipient = message.recipient
            payload = message.payload.flatMap(JSONValue.parse)
        }
    }
}
