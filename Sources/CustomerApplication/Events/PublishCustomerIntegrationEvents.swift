import CustomerDomain
import EventBus
import Foundation
import Mediator

/// Turns every customer domain event into its integration event (`customer.registered` →
/// `customer.registered.v1`) and queues it for the outbox of the same transaction.
///
/// The integration payload is the domain payload plus `customerId` and `version`, so consumers
/// can order and deduplicate without the broker's help.
public struct PublishCustomerIntegrationEvents: NotificationHandler {
    /// The CloudEvents `source` of every event this service emits.
    public let source: String

    public init(source: String) {
        self.source = source
    }

    public func handle(_ notification: CustomerEventNotification, context: MediatorContext) async throws {
        let unitOfWork = try context.unitOfWork()
        unitOfWork.enqueue(try Self.outboxMessage(for: notification.event, source: source, actor: context.actor))
    }

    /// The integration event type of a domain event type: its name with the contract version.
    public static func integrationType(of eventType: String) -> String { eventType + ".v1" }

    static func outboxMessage(for event: any CustomerEvent, source: String, actor: String? = nil) throws -> OutboxMessage {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        let data = try encoder.encode(IntegrationPayload(event: event))
        let cloudEvent = CloudEvent(
            id: UUID.version7(at: event.occurredAt).uuidString.lowercased(),
            source: source,
            type: integrationType(of: event.eventType),
            subject: event.customerID.description,
            time: Timestamp.rfc3339(event.occurredAt),
            actor: actor,
            data: data
        )
        return OutboxMessage(event: cloudEvent, sequence: event.version, createdAt: event.occurredAt, headers: OutboxMessage.currentTraceContext())
    }
}

/// `{"customerId": …, "version": …, <the domain payload's members>}`.
private struct IntegrationPayload: Encodable {
    let event: any CustomerEvent

    enum CodingKeys: String, CodingKey { case customerId, version }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(event.customerID, forKey: .customerId)
        try container.encode(event.version, forKey: .version)
        try event.encode(to: encoder)
    }
}
