import Foundation

/// An integration event waiting in the outbox table to be relayed to the broker.
///
/// It is written in the same transaction as the state change that caused it, so the event exists
/// if and only if the change was committed.
public struct OutboxMessage: Hashable, Sendable {
    public let event: CloudEvent
    /// The position of the event among the events of its `subject` (the customer's version), so
    /// that events of one subject leave in order.
    public let sequence: Int
    public let createdAt: Date

    public init(event: CloudEvent, sequence: Int, createdAt: Date) {
        self.event = event
        self.sequence = sequence
        self.createdAt = createdAt
    }
}
