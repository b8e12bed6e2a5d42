import Synchronization

/// The queue between ended spans and the exporter (the specification's batch span processor):
/// bounded, and a full batch wakes the exporter at once instead of waiting for the schedule.
///
/// - Important: Ending a span never waits: it takes a lock, appends, and when the queue is full
///   drops the span and counts it (``takeDropped()``), so a slow or absent collector costs spans,
///   never requests.
final class SpanBuffer: Sendable {
    let maxQueueSize: Int
    let maxBatchSize: Int
    private let state: Mutex<State>
    private let wakeUps: AsyncStream<Void>.Continuation
    /// Yields when a batch is full or ``flush()`` asks; the exporter waits on it.
    let wakeUpSignals: AsyncStream<Void>

    private struct State {
        var spans: [FinishedSpan] = []
        var dropped = 0
        var flushRequested = false
    }

    init(maxQueueSize: Int, maxBatchSize: Int) {
        self.maxQueueSize = max(1, maxQueueSize)
        self.maxBatchSize = max(1, min(maxBatchSize, maxQueueSize))
        self.state = Mutex(State())
        (wakeUpSignals, wakeUps) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    func append(_ span: FinishedSpan) {
        let batchIsFull = state.withLock { state in
            guard state.spans.count < maxQueueSize else {
                state.dropped += 1
                return false
            }
            state.spans.append(span)
            return state.spans.count == maxBatchSize
        }
        if batchIsFull { wakeUps.yield() }
    }

    /// The next batch to export, oldest spans first: a full one (``maxBatchSize`` spans), or after
    /// ``flush()`` whatever is queued; empty when there is neither.
    ///
    /// A partial batch waits for the schedule: taking every span as soon as the exporter is free
    /// would send a stream of small requests under load, one per few spans.
    func takeBatch() -> [FinishedSpan] {
        state.withLock { state in
            if state.spans.count < maxBatchSize {
                guard state.flushRequested else { return [] }
                state.flushRequested = false
                defer { state.spans.removeAll(keepingCapacity: true) }
                return state.spans
            }
            let batch = Array(state.spans.prefix(maxBatchSize))
            state.spans.removeFirst(maxBatchSize)
            return batch
        }
    }

    /// Spans dropped on a full queue since the last call.
    func takeDropped() -> Int {
        state.withLock { state in
            defer { state.dropped = 0 }
            return state.dropped
        }
    }

    var count: Int { state.withLock { $0.spans.count } }

    /// Wakes the exporter now, for everything queued.
    func flush() {
        state.withLock { $0.flushRequested = true }
        wakeUps.yield()
    }

    /// Ends the exporter's wait for good.
    func finish() { wakeUps.finish() }
}
