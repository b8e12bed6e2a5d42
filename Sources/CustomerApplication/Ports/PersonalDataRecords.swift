import CustomerDomain
import Foundation

/// Port: the records about a customer that live outside the customer's own rows (events in the
/// outbox, messages in the inbox, webhook deliveries), for a data subject access request.
///
/// - Important: reads the primary database: an export must show everything held, including
///   what a replica has not received yet.
public protocol PersonalDataRecords: Sendable {
    func records(about id: CustomerID) async throws -> HeldRecords
}

/// Everything an export lists besides the profile and the history.
public struct HeldRecords: Hashable, Sendable {
    /// A stored message naming the customer: an outbox event, an inbox record or a webhook
    /// delivery.
    public struct Message: Hashable, Sendable {
        /// The outbox's event id, the inbox's message id or the delivery's event id.
        public var id: String
        public var type: String
        public var status: String
        public var recordedAt: Date
        /// The inbox's consumer group, or the webhook subscription's id.
        public var recipient: String?
        /// The stored JSON (a CloudEvent document); `nil` when none is kept.
        public var payload: Data?

        public init(id: String, type: String, status: String, recordedAt: Date, recipient: String? = nil, payload: Data?) {
            self.id = id
            self.type = type
            self.status = status
            self.recordedAt = recordedAt
            self.recipient = recipient
            self.payload = payload
        }
    }

    public var outbox: [Message]
    public var inbox: [Message]
    public var webhookDeliveries: [Message]

    public init(outbox: [Message] = [], inbox: [Message] = [], webhookDeliveries: [Message] = []) {
        self.outbox = outbox
        self.inbox = inbox
        self.webhookDeliveries = webhookDeliveries
    }
}

/// For set-ups without an event store (unit tests): no records beyond the customer's own.
struct NoHeldRecords: PersonalDataRecords {
    func records(about id: CustomerID) async throws -> HeldRecords { HeldRecords() }
}
