import Synchronization
import Tracing

/// A span started by ``OTLPTracer``. A sampled span records its name, attributes, status, events
/// and links until it ends, then goes to the tracer's ``SpanBuffer``; an unsampled one only
/// carries its context (so that its children know they are not sampled) and records nothing.
///
/// - Important: Only the first `end` counts; changes after it are ignored.
final class OTLPSpan: Span {
    let context: ServiceContext
    let isRecording: Bool
    private let traceContext: TraceContext
    private let parentSpanID: UInt64?
    private let parentIsRemote: Bool
    private let kind: SpanKind
    private let startNanoseconds: UInt64
    private let buffer: SpanBuffer?
    private let state: Mutex<State>

    private struct State {
        var name: String
        var attributes = SpanAttributes()
        var status: SpanStatus?
        var events: [SpanEvent] = []
        var links: [SpanLink] = []
        var hasEnded = false
    }

    init(name: String, context: ServiceContext, traceContext: TraceContext, parent: TraceContext?, kind: SpanKind,
         startNanoseconds: UInt64, buffer: SpanBuffer?) {
        self.context = context
        self.traceContext = traceContext
        self.isRecording = buffer != nil
        self.parentSpanID = parent?.spanID
        self.parentIsRemote = parent?.isRemote ?? false
        self.kind = kind
        self.startNanoseconds = startNanoseconds
        self.buffer = buffer
        self.state = Mutex(State(name: name))
    }

    var operationName: String {
        get { state.withLock { $0.name } }
        set {
            guard isRecording else { return }
            state.withLock { if !$0.hasEnded { $0.name = newValue } }
        }
    }

    var attributes: SpanAttributes {
        get { state.withLock { $0.attributes } }
        set {
            guard isRecording else { return }
            state.withLock { if !$0.hasEnded { $0.attributes = newValue } }
        }
    }

    func updateAttributes(_ update: (inout SpanAttributes) -> Void) {
        guard isRecording else { return }
        state.withLock { if !$0.hasEnded { update(&$0.attributes) } }
    }

    func setStatus(_ status: SpanStatus) {
        guard isRecording else { return }
        state.withLock { state in
            // An `ok` set by the application is final; otherwise the last status wins.
            if !state.hasEnded, state.status?.code != .ok { state.status = status }
        }
    }

    func addEvent(_ event: SpanEvent) {
        guard isRecording else { return }
        state.withLock { if !$0.hasEnded { $0.events.append(event) } }
    }

    func recordError<Instant: TracerInstant>(_ error: any Error, attributes: SpanAttributes, at instant: @autoclosure () -> Instant) {
        guard isRecording else { return }
        var eventAttributes = attributes
        eventAttributes["exception.type"] = String(describing: type(of: error))
        addEvent(SpanEvent(name: "exception", at: instant(), attributes: eventAttributes))
    }

    func addLink(_ link: SpanLink) {
        guard isRecording else { return }
        state.withLock { if !$0.hasEnded { $0.links.append(link) } }
    }

    func end<Instant: TracerInstant>(at instant: @autoclosure () -> Instant) {
        guard let buffer else { return }
        let end = instant().nanosecondsSinceEpoch
        let finished: FinishedSpan? = state.withLock { state in
            guard !state.hasEnded else { return nil }
            state.hasEnded = true
            return FinishedSpan(
                name: state.name, context: traceContext, parentSpanID: parentSpanID, parentIsRemote: parentIsRemote, kind: kind,
                startNanoseconds: startNanoseconds, endNanoseconds: max(end, startNanoseconds),
                attributes: state.attributes, status: state.status, events: state.events, links: state.links)
        }
        if let finished { buffer.append(finished) }
    }
}
