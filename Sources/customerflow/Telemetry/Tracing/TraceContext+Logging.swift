import Logging
import Tracing

extension Logger.MetadataProvider {
    /// `trace_id`, `span_id` and `trace_flags` of the running span, on every line written inside it.
    static let traceContext = Logger.MetadataProvider {
        guard let context = ServiceContext.current?.traceContext else { return [:] }
        return [
            "trace_id": .string(context.traceID.hex),
            "span_id": .string(TraceContext.hex(context.spanID, digits: 16)),
            // As swift-otel's provider wrote it before, so that log queries keep working.
            "trace_flags": .string(context.isSampled ? "1" : "0"),
        ]
    }
}
