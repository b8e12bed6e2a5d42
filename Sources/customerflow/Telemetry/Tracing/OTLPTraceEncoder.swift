import Tracing

/// Encodes spans as an OTLP `ExportTraceServiceRequest` in protobuf (opentelemetry-proto 1.x,
/// `collector/trace/v1`), written field by field: the messages are few and fixed, and a generic
/// protobuf library spent more on its reflection than on the bytes.
///
/// Nested messages are written in place and their length prefixed afterwards.
struct OTLPTraceEncoder: Sendable {
    /// `service.name` and the other resource attributes, the same for every span.
    let resource: [(String, SpanAttribute)]
    let scopeName: String
    let scopeVersion: String

    init(resource: [(String, SpanAttribute)], scopeName: String, scopeVersion: String) {
        self.resource = resource
        self.scopeName = scopeName
        self.scopeVersion = scopeVersion
    }

    func encode(_ spans: [FinishedSpan]) -> [UInt8] {
        var writer = ProtobufWriter()
        writer.message(1) { resourceSpans in  // ExportTraceServiceRequest.resource_spans
            resourceSpans.message(1) { resource in  // ResourceSpans.resource
                for (key, value) in self.resource { resource.keyValue(1, key, value) }
            }
            resourceSpans.message(2) { scopeSpans in  // ResourceSpans.scope_spans
                scopeSpans.message(1) { scope in  // ScopeSpans.scope
                    scope.string(1, scopeName)
                    if !scopeVersion.isEmpty { scope.string(2, scopeVersion) }
                }
                for span in spans {
                    scopeSpans.message(2) { writer in Self.write(span, to: &writer) }  // ScopeSpans.spans
                }
            }
        }
        return writer.bytes
    }

    private static func write(_ span: FinishedSpan, to writer: inout ProtobufWriter) {
        writer.traceID(1, span.context.traceID)
        writer.spanID(2, span.context.spanID)
        if let state = span.context.traceState { writer.string(3, state) }
        if let parent = span.parentSpanID { writer.spanID(4, parent) }
        writer.string(5, span.name)
        writer.varint(6, UInt64(kind(span.kind)))
        writer.fixed64(7, span.startNanoseconds)
        writer.fixed64(8, span.endNanoseconds)
        span.attributes.forEach { key, value in writer.keyValue(9, key, value) }
        for event in span.events {
            writer.message(11) { writer in
                writer.fixed64(1, event.nanosecondsSinceEpoch)
                writer.string(2, event.name)
                event.attributes.forEach { key, value in writer.keyValue(3, key, value) }
            }
        }
        for link in span.links {
            guard let context = link.context.traceContext else { continue }
            writer.message(13) { writer in
                writer.traceID(1, context.traceID)
                writer.spanID(2, context.spanID)
                if let state = context.traceState { writer.string(3, state) }
                link.attributes.forEach { key, value in writer.keyValue(4, key, value) }
                writer.fixed32(6, flags(sampled: context.isSampled, remote: context.isRemote))
            }
        }
        if let status = span.status {
            writer.message(15) { writer in
                // A description belongs to an error only.
                if status.code == .error, let message = status.message { writer.string(2, message) }
                writer.varint(3, status.code == .ok ? 1 : 2)
            }
        }
        writer.fixed32(16, flags(sampled: span.context.isSampled, remote: span.parentIsRemote))
    }

    /// The W3C flags (sampled) and, in bits 8–9, that remoteness is known and whether the other
    /// end (a span's parent, a link's target) is in another process.
    private static func flags(sampled: Bool, remote: Bool) -> UInt32 {
        (sampled ? 1 : 0) | 0x100 | (remote ? 0x200 : 0)
    }

    private static func kind(_ kind: SpanKind) -> Int {
        switch kind {
        case .internal: 1
        case .server: 2
        case .client: 3
        case .producer: 4
        case .consumer: 5
        }
    }
}

/// The protobuf wire format, as much of it as OTLP needs.
struct ProtobufWriter {
    private(set) var bytes: [UInt8] = []

    init() { bytes.reserveCapacity(64 * 1024) }

    mutating func varint(_ field: Int, _ value: UInt64) {
        tag(field, wireType: 0)
        rawVarint(value)
    }

    mutating func fixed64(_ field: Int, _ value: UInt64) {
        tag(field, wireType: 1)
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    mutating func fixed32(_ field: Int, _ value: UInt32) {
        tag(field, wireType: 5)
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    mutating func double(_ field: Int, _ value: Double) {
        tag(field, wireType: 1)
        withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes.append(contentsOf: $0) }
    }

    mutating func string(_ field: Int, _ value: String) {
        var value = value
        value.withUTF8 { utf8 in
            tag(field, wireType: 2)
            rawVarint(UInt64(utf8.count))
            bytes.append(contentsOf: utf8)
        }
    }

    /// 16 bytes, big-endian as the hex form reads.
    mutating func traceID(_ field: Int, _ id: TraceID) {
        tag(field, wireType: 2)
        rawVarint(16)
        withUnsafeBytes(of: id.high.bigEndian) { bytes.append(contentsOf: $0) }
        withUnsafeBytes(of: id.low.bigEndian) { bytes.append(contentsOf: $0) }
    }

    /// 8 bytes, big-endian.
    mutating func spanID(_ field: Int, _ id: UInt64) {
        tag(field, wireType: 2)
        rawVarint(8)
        withUnsafeBytes(of: id.bigEndian) { bytes.append(contentsOf: $0) }
    }

    /// A length-delimited sub-message: written in place, then its length is inserted before it.
    mutating func message(_ field: Int, _ body: (inout ProtobufWriter) -> Void) {
        tag(field, wireType: 2)
        let start = bytes.count
        body(&self)
        var value = UInt64(bytes.count - start)
        var size = 1
        while value >> (7 * UInt64(size)) != 0 { size += 1 }
        bytes.insert(contentsOf: repeatElement(0, count: size), at: start)
        for index in start..<(start + size) {
            bytes[index] = UInt8(value & 0x7F) | (index < start + size - 1 ? 0x80 : 0)
            value >>= 7
        }
    }

    /// A `KeyValue` with its `AnyValue`.
    mutating func keyValue(_ field: Int, _ key: String, _ value: SpanAttribute) {
        message(field) { writer in
            writer.string(1, key)
            writer.message(2) { writer in writer.anyValue(value) }
        }
    }

    private mutating func anyValue(_ value: SpanAttribute) {
        func array<T>(_ values: [T], _ element: (T) -> SpanAttribute) {
            message(5) { writer in
                for value in values { writer.message(1) { writer in writer.anyValue(element(value)) } }
            }
        }
        switch value {
        case .string(let value): string(1, value)
        case .bool(let value): varint(2, value ? 1 : 0)
        case .int32(let value): varint(3, UInt64(bitPattern: Int64(value)))
        case .int64(let value): varint(3, UInt64(bitPattern: value))
        case .double(let value): double(4, value)
        case .stringArray(let values): array(values) { .string($0) }
        case .boolArray(let values): array(values) { .bool($0) }
        case .int32Array(let values): array(values) { .int32($0) }
        case .int64Array(let values): array(values) { .int64($0) }
        case .doubleArray(let values): array(values) { .double($0) }
        case .stringConvertible(let value): string(1, value.description)
        case .stringConvertibleArray(let values): array(values) { .string($0.description) }
        default: string(1, "\(value)")
        }
    }

    private mutating func tag(_ field: Int, wireType: UInt64) {
        rawVarint(UInt64(field) << 3 | wireType)
    }

    private mutating func rawVarint(_ value: UInt64) {
        var value = value
        while value >= 0x80 {
            bytes.append(UInt8(value & 0x7F) | 0x80)
            value >>= 7
        }
        bytes.append(UInt8(value))
    }
}
