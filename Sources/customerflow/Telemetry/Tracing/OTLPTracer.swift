import Instrumentation
import Tracing

/// The service's tracer: W3C trace context in and out, the ``TraceSampler`` of `OTEL_TRACES_SAMPLER`,
/// and ended spans queued in a ``SpanBuffer`` that ``SpanExportService`` sends over OTLP/HTTP.
///
/// It replaces swift-otel's tracer, whose per-span path (two async-stream hops and an actor per
/// span, and SwiftProtobuf's generic encoding) cost a fully traced server 31 % of its throughput;
/// this one takes a lock to start a span and one to queue it (bench/RESULTS.md).
///
/// - Important: Starting and ending spans never wait on the exporter or the network.
struct OTLPTracer: Tracer {
    typealias Span = OTLPSpan

    let sampler: TraceSampler
    let buffer: SpanBuffer
    /// Reads and writes `traceparent` (`OTEL_PROPAGATORS` other than `none`).
    let propagates: Bool
    private let ids = SpanIDGenerator()

    init(sampler: TraceSampler, buffer: SpanBuffer, propagates: Bool = true) {
        self.sampler = sampler
        self.buffer = buffer
        self.propagates = propagates
    }

    func startSpan<Instant: TracerInstant>(
        _ operationName: String,
        context: @autoclosure () -> ServiceContext,
        ofKind kind: SpanKind,
        at instant: @autoclosure () -> Instant,
        function: String,
        file fileID: String,
        line: UInt
    ) -> OTLPSpan {
        var context = context()
        let parent = context.traceContext
        let traceID = parent?.traceID ?? ids.nextTraceID()
        let isSampled = sampler.samples(traceID, parent: parent)
        let traceContext = TraceContext(
            traceID: traceID, spanID: ids.nextSpanID(), isSampled: isSampled, traceState: parent?.traceState, isRemote: false)
        context.traceContext = traceContext
        return OTLPSpan(
            name: operationName, context: context, traceContext: traceContext, parent: parent, kind: kind,
            startNanoseconds: isSampled ? instant().nanosecondsSinceEpoch : 0, buffer: isSampled ? buffer : nil)
    }

    func activeSpan(identifiedBy context: ServiceContext) -> OTLPSpan? { nil }

    func forceFlush() { buffer.flush() }

    /// Reads `traceparent` and `tracestate`; a malformed `traceparent` is ignored.
    func extract<Carrier, Extract: Extractor>(_ carrier: Carrier, into context: inout ServiceContext, using extractor: Extract)
    where Extract.Carrier == Carrier {
        guard propagates, let traceparent = extractor.extract(key: "traceparent", from: carrier),
              let remote = TraceContext(traceparent: traceparent, traceState: extractor.extract(key: "tracestate", from: carrier))
        else { return }
        context.traceContext = remote
    }

    /// Writes `traceparent`, and `tracestate` when the trace has one.
    func inject<Carrier, Inject: Injector>(_ context: ServiceContext, into carrier: inout Carrier, using injector: Inject)
    where Inject.Carrier == Carrier {
        guard propagates, let traceContext = context.traceContext else { return }
        injector.inject(traceContext.traceparent, forKey: "traceparent", into: &carrier)
        if let state = traceContext.traceState { injector.inject(state, forKey: "tracestate", into: &carrier) }
    }
}
