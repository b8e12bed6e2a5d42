import Foundation
import Tracing

/// The W3C trace context of a span: which trace it belongs to, its own id, whether it is sampled,
/// and the vendors' `tracestate`. It travels in the `ServiceContext` (``ServiceContext/traceContext``),
/// in `traceparent` headers and in outbox rows.
struct TraceContext: Sendable, Hashable {
    /// 16 bytes, never all zero.
    var traceID: TraceID
    /// 8 bytes, never zero.
    var spanID: UInt64
    /// The `sampled` flag: the span is recorded and exported, and so are its children by default.
    var isSampled: Bool
    /// The W3C `tracestate` header, passed on unchanged.
    var traceState: String?
    /// Read from a caller's headers rather than started in this process.
    var isRemote: Bool

    /// `00-<trace id>-<span id>-<flags>`.
    var traceparent: String {
        "00-\(traceID.hex)-\(Self.hex(spanID, digits: 16))-\(isSampled ? "01" : "00")"
    }

    /// Reads a W3C `traceparent` header; `nil` when it is malformed (then the caller's context is
    /// ignored, as the specification asks, and a new trace starts).
    init?(traceparent: String, traceState: String?) {
        let fields = traceparent.trimmingCharacters(in: .whitespaces).split(separator: "-", omittingEmptySubsequences: false)
        // Version 00 has exactly four fields; later versions may append more.
        guard fields.count >= 4, fields[0].utf8.count == 2, let version = Self.parseHex(fields[0]), version != 0xFF,
              version != 0 || fields.count == 4,
              fields[1].utf8.count == 32, fields[2].utf8.count == 16, fields[3].utf8.count == 2,
              let high = Self.parseHex(fields[1].prefix(16)), let low = Self.parseHex(fields[1].suffix(16)),
              let spanID = Self.parseHex(fields[2]), let flags = Self.parseHex(fields[3]),
              high != 0 || low != 0, spanID != 0
        else { return nil }
        self.traceID = TraceID(high: high, low: low)
        self.spanID = spanID
        self.isSampled = flags & 1 == 1
        self.traceState = traceState.flatMap(Self.acceptedTraceState)
        self.isRemote = true
    }

    init(traceID: TraceID, spanID: UInt64, isSampled: Bool, traceState: String?, isRemote: Bool) {
        self.traceID = traceID
        self.spanID = spanID
        self.isSampled = isSampled
        self.traceState = traceState
        self.isRemote = isRemote
    }

    /// A caller's `tracestate`, or `nil` when it is empty, longer than the 512 characters and 32
    /// entries the specification lets a vendor drop beyond, or not printable ASCII: it is copied
    /// into every span of the trace, outbox rows and outgoing messages.
    static func acceptedTraceState(_ text: String) -> String? {
        let text = text.trimmingCharacters(in: .whitespaces)
        guard !text.isEmpty, text.utf8.count <= 512, text.split(separator: ",").count <= 32,
              text.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F })
        else { return nil }
        return text
    }

    /// Lower-case hex only, as the specification requires.
    private static func parseHex(_ text: Substring) -> UInt64? {
        var value: UInt64 = 0
        for byte in text.utf8 {
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            default: return nil
            }
            value = value << 4 | UInt64(digit)
        }
        return value
    }

    static func hex(_ value: UInt64, digits: Int) -> String {
        let table = Array("0123456789abcdef".utf8)
        return String(unsafeUninitializedCapacity: digits) { buffer in
            for index in 0..<digits {
                buffer[index] = table[Int(value >> UInt64(4 * (digits - 1 - index)) & 0xF)]
            }
            return digits
        }
    }
}

/// A 128-bit trace id.
struct TraceID: Sendable, Hashable {
    var high: UInt64
    var low: UInt64

    var hex: String { TraceContext.hex(high, digits: 16) + TraceContext.hex(low, digits: 16) }
}

private enum TraceContextKey: ServiceContextKey {
    typealias Value = TraceContext
    static var nameOverride: String? { "trace-context" }
}

extension ServiceContext {
    /// The trace context of the current span, set by ``OTLPTracer``.
    var traceContext: TraceContext? {
        get { self[TraceContextKey.self] }
        set { self[TraceContextKey.self] = newValue }
    }
}
