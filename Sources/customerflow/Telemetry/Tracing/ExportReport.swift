import Foundation
import Synchronization

/// What the span exporter says about itself, at most once a minute: a failing collector or a full
/// queue would otherwise write a line per batch.
final class ExportReport: Sendable {
    private let state = Mutex(State())
    private let interval: TimeInterval

    private struct State {
        var failedSpans = 0
        var droppedSpans = 0
        var lastFailureLine: Date?
        var lastDropLine: Date?
        var isFailing = false
    }

    init(interval: TimeInterval = 60) { self.interval = interval }

    /// The line to log for a failed batch, or `nil` while the last one is recent.
    func failed(spans: Int, reason: String, now: Date = Date()) -> String? {
        state.withLock { state in
            state.failedSpans += spans
            state.isFailing = true
            if let last = state.lastFailureLine, now.timeIntervalSince(last) < interval { return nil }
            state.lastFailureLine = now
            defer { state.failedSpans = 0 }
            return "span export failed (\(reason)); \(state.failedSpans) spans dropped since the last report"
        }
    }

    /// The line to log when exports work again after failing.
    func succeeded() -> String? {
        state.withLock { state in
            guard state.isFailing else { return nil }
            state.isFailing = false
            state.lastFailureLine = nil
            defer { state.failedSpans = 0 }
            return state.failedSpans > 0
                ? "span export works again; \(state.failedSpans) more spans were dropped meanwhile"
                : "span export works again"
        }
    }

    /// The line to log for spans dropped on a full queue.
    func dropped(_ count: Int, now: Date = Date()) -> String? {
        state.withLock { state in
            state.droppedSpans += count
            if let last = state.lastDropLine, now.timeIntervalSince(last) < interval { return nil }
            state.lastDropLine = now
            defer { state.droppedSpans = 0 }
            return "the span queue was full: \(state.droppedSpans) spans dropped (OTEL_BSP_MAX_QUEUE_SIZE)"
        }
    }
}
