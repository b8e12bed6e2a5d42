import Foundation

/// A span as an OTLP/HTTP `ExportTraceServiceRequest` carried it, decoded from the protobuf wire
/// format by hand, independently of the service's encoder: enough to check names, kinds, parent
/// links, times, flags and attributes.
public struct ReceivedSpan: Sendable, CustomStringConvertible {
    public enum Kind: Int, Sendable { case unspecified, `internal`, server, client, producer, consumer }

    public var traceID = ""
    public var spanID = ""
    public var parentSpanID = ""
    public var traceState = ""
    public var name = ""
    public var kind = Kind.unspecified
    public var startTime: UInt64 = 0
    public var endTime: UInt64 = 0
    /// Attribute values as text; arrays as their elements joined by commas.
    public var attributes: [String: String] = [:]
    public var eventNames: [String] = []
    /// 0 unset, 1 ok, 2 error.
    public var statusCode = 0
    public var statusMessage = ""
    /// W3C flags in bits 0–7, "parent is remote" known and set in bits 8 and 9.
    public var flags: UInt32 = 0
    public var serviceName = ""
    public var resource: [String: String] = [:]

    public var description: String { "\(name) [\(kind)] \(spanID) ← \(parentSpanID.isEmpty ? "root" : parentSpanID)" }
}

/// Decodes `opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest`.
public enum OTLPSpanDecoder {
    public struct Malformed: Error {}

    public static func spans(_ data: Data) throws -> [ReceivedSpan] {
        var spans: [ReceivedSpan] = []
        for (field, value) in try fields(data) where field == 1 {  // ResourceSpans
            guard case .bytes(let resourceSpans) = value else { continue }
            var serviceName = ""
            var resourceAttributes: [String: String] = [:]
            let members = try fields(resourceSpans)
            for (field, value) in members where field == 1 {  // Resource
                guard case .bytes(let resource) = value else { continue }
                for (field, value) in try fields(resource) where field == 1 {
                    guard case .bytes(let pair) = value else { continue }
                    let (key, text) = try keyValue(pair)
                    if key == "service.name" { serviceName = text }
                    resourceAttributes[key] = text
                }
            }
            for (field, value) in members where field == 2 {  // ScopeSpans
                guard case .bytes(let scopeSpans) = value else { continue }
                for (field, value) in try fields(scopeSpans) where field == 2 {
                    guard case .bytes(let bytes) = value else { continue }
                    var span = try span(bytes)
                    span.serviceName = serviceName
                    span.resource = resourceAttributes
                    spans.append(span)
                }
            }
        }
        return spans
    }

    /// The metric names of an `ExportMetricsServiceRequest`: resource_metrics(1) →
    /// scope_metrics(2) → metrics(2) → name(1).
    public static func metricNames(_ data: Data) throws -> Set<String> {
        var names: Set<String> = []
        for case (1, .bytes(let resourceMetrics)) in try fields(data) {
            for case (2, .bytes(let scopeMetrics)) in try fields(resourceMetrics) {
                for case (2, .bytes(let metric)) in try fields(scopeMetrics) {
                    for case (1, .bytes(let name)) in try fields(metric) { names.insert(String(decoding: name, as: UTF8.self)) }
                }
            }
        }
        return names
    }

    private static func span(_ data: Data) throws -> ReceivedSpan {
        var span = ReceivedSpan()
        for (field, value) in try fields(data) {
            switch (field, value) {
            case (1, .bytes(let bytes)): span.traceID = hex(bytes)
            case (2, .bytes(let bytes)): span.spanID = hex(bytes)
            case (3, .bytes(let bytes)): span.traceState = String(decoding: bytes, as: UTF8.self)
            case (4, .bytes(let bytes)): span.parentSpanID = hex(bytes)
            case (7, .fixed64(let time)): span.startTime = time
            case (8, .fixed64(let time)): span.endTime = time
            case (11, .bytes(let event)):
                for case (2, .bytes(let name)) in try fields(event) { span.eventNames.append(String(decoding: name, as: UTF8.self)) }
            case (16, .fixed32(let flags)): span.flags = flags
            case (5, .bytes(let bytes)): span.name = String(decoding: bytes, as: UTF8.self)
            case (6, .varint(let kind)): span.kind = ReceivedSpan.Kind(rawValue: Int(kind)) ?? .unspecified
            case (9, .bytes(let pair)):
                let (key, text) = try keyValue(pair)
                span.attributes[key] = text
            case (15, .bytes(let status)):
                for (field, value) in try fields(status) {
                    if case (3, .varint(let code)) = (field, value) { span.statusCode = Int(code) }
                    if case (2, .bytes(let message)) = (field, value) { span.statusMessage = String(decoding: message, as: UTF8.self) }
                }
            default: break
            }
        }
        return span
    }

    /// A `KeyValue`, its `AnyValue` as text (strings, booleans, integers, doubles).
    private static func keyValue(_ data: Data) throws -> (String, String) {
        var key = ""
        var text = ""
        for (field, value) in try fields(data) {
            switch (field, value) {
            case (1, .bytes(let bytes)): key = String(decoding: bytes, as: UTF8.self)
            case (2, .bytes(let any)): text = try anyValue(any)
            default: break
            }
        }
        return (key, text)
    }

    /// An `AnyValue` as text: strings, booleans, integers, doubles; arrays joined by commas.
    private static func anyValue(_ data: Data) throws -> String {
        var text = ""
        for (field, value) in try fields(data) {
            switch (field, value) {
            case (1, .bytes(let bytes)): text = String(decoding: bytes, as: UTF8.self)
            case (2, .varint(let flag)): text = flag == 0 ? "false" : "true"
            case (3, .varint(let number)): text = String(Int64(bitPattern: number))
            case (4, .fixed64(let bits)): text = String(Double(bitPattern: bits))
            case (5, .bytes(let array)):
                text = try fields(array).compactMap { field, value -> Data? in
                    if field == 1, case .bytes(let element) = value { return element }
                    return nil
                }.map(anyValue).joined(separator: ",")
            default: break
            }
        }
        return text
    }

    public enum Value { case varint(UInt64), fixed64(UInt64), bytes(Data), fixed32(UInt32) }

    /// The (field number, value) pairs of one message.
    public static func fields(_ data: Data) throws -> [(Int, Value)] {
        let bytes = [UInt8](data)
        var index = 0
        func varint() throws -> UInt64 {
            var result: UInt64 = 0
            var shift: UInt64 = 0
            while true {
                guard index < bytes.count, shift < 64 else { throw Malformed() }
                let byte = bytes[index]
                index += 1
                result |= UInt64(byte & 0x7f) << shift
                if byte & 0x80 == 0 { return result }
                shift += 7
            }
        }
        func fixed(_ count: Int) throws -> UInt64 {
            guard index + count <= bytes.count else { throw Malformed() }
            var result: UInt64 = 0
            for offset in 0..<count { result |= UInt64(bytes[index + offset]) << (8 * UInt64(offset)) }
            index += count
            return result
        }
        var result: [(Int, Value)] = []
        while index < bytes.count {
            let tag = try varint()
            let field = Int(tag >> 3)
            switch tag & 7 {
            case 0: result.append((field, .varint(try varint())))
            case 1: result.append((field, .fixed64(try fixed(8))))
            case 2:
                let length = Int(try varint())
                guard length >= 0, index + length <= bytes.count else { throw Malformed() }
                result.append((field, .bytes(Data(bytes[index..<(index + length)]))))
                index += length
            case 5: result.append((field, .fixed32(UInt32(try fixed(4)))))
            default: throw Malformed()
            }
        }
        return result
    }

    public static func hex(_ data: Data) -> String { data.map { String(format: "%02x", $0) }.joined() }
}
