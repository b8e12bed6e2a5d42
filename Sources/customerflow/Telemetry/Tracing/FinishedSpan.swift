import Tracing

/// A span that has ended, as it is queued for export.
struct FinishedSpan: Sendable {
    var name: String
    var context: TraceContext
    var parentSpanID: UInt64?
    /// The parent came from another process (a `traceparent` header, a message).
    var parentIsRemote: Bool
    var kind: SpanKind
    var startNanoseconds: UInt64
    var endNanoseconds: UInt64
    var attributes: SpanAttributes
    var status: SpanStatus?
    var events: [SpanEvent]
    var links: [SpanLink]
}
