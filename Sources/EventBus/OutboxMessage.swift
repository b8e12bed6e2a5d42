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
    /// Headers to send with the event, stored beside it: its CloudEvents attributes, and trace
    /// context so that relaying later keeps the link to the request that caused it.
    public let headers: [String: String]

    /// The trace context of the running task (`traceparent`, `tracestate`), for `headers`: the
    /// relay's producer span then continues the trace of the request that wrote the row.
    public static func currentTraceContext() -> [String: String] {
        MessageTracing.currentContextHeaders()
    }

    public init(event: CloudEvent, sequence: Int, createdAt: Date, headers: [String: String] = [:]) {
        self.event = event
        self.sequence = sequence
        self.createdAt = createdAt
        var merged = Dictionary(event.headers.map { ($0.name, $0.value) }, uniquingKeysWith: { $1 })
        for (name, value) in headers { merged[name] = value }
        self.headers = merged
    }
}
