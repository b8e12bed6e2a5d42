import Foundation

/// An integration event in the CloudEvents 1.0 structured JSON format: the envelope that leaves
/// the service through the outbox.
///
/// `data` holds the event's JSON payload as bytes and is embedded verbatim, so what the producer
/// wrote is exactly what consumers read.
public struct CloudEvent: Hashable, Sendable {
    public static let specVersion = "1.0"

    /// Unique per event; consumers deduplicate on it (with `source`).
    public let id: String
    /// Identifies the producing context, e.g. `/customerflow`.
    public let source: String
    /// Reverse-DNS-free, versioned type such as `customer.registered.v1`.
    public let type: String
    /// The aggregate the event is about (the customer id): the ordering key on the bus.
    public let subject: String
    /// When it happened, RFC 3339, as the producer formatted it.
    public let time: String
    public let dataContentType: String
    /// Extension attribute `actor`: who caused the event (the access token's subject), when known.
    public let actor: String?
    /// The JSON payload.
    public let data: Data

    public init(
        id: String,
        source: String,
        type: String,
        subject: String,
        time: String,
        dataContentType: String = "application/json",
        actor: String? = nil,
        data: Data
    ) {
        self.id = id
        self.source = source
        self.type = type
        self.subject = subject
        self.time = time
        self.dataContentType = dataContentType
        self.actor = actor
        self.data = data
    }

    /// The structured-mode JSON document (`application/cloudevents+json`).
    public func jsonData() -> Data {
        var out = Data()
        out.reserveCapacity(data.count + 256)
        func append(_ text: String) { out.append(contentsOf: Array(text.utf8)) }
        append("{\"specversion\":\"\(Self.specVersion)\",\"id\":")
        append(Self.quoted(id))
        append(",\"source\":")
        append(Self.quoted(source))
        append(",\"type\":")
        append(Self.quoted(type))
        append(",\"subject\":")
        append(Self.quoted(subject))
        append(",\"time\":")
        append(Self.quoted(time))
        append(",\"datacontenttype\":")
        append(Self.quoted(dataContentType))
        if let actor {
            append(",\"actor\":")
            append(Self.quoted(actor))
        }
        append(",\"data\":")
        out.append(data)
        append("}")
        return out
    }

    /// A JSON string literal for `text` (escapes quotes, backslashes and control characters;
    /// everything else verbatim). Public so that other hand-written JSON (log lines) escapes alike.
    public static func quoted(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        return result + "\""
    }
}

extension CloudEvent {
    /// A structured-mode CloudEvents JSON document that could not be read.
    public struct ParseError: Error, Hashable, Sendable, CustomStringConvertible {
        public let description: String
    }

    /// Reads a structured-mode JSON document (`application/cloudevents+json`). `data` is kept as
    /// its JSON text.
    public static func parse(_ json: Data) throws -> CloudEvent {
        guard let object = (try? JSONSerialization.jsonObject(with: json)) as? [String: Any] else {
            throw ParseError(description: "not a JSON object")
        }
        func attribute(_ name: String) throws -> String {
            guard let value = object[name] as? String, !value.isEmpty else {
                throw ParseError(description: "missing attribute \(name)")
            }
            return value
        }
        guard try attribute("specversion") == specVersion else { throw ParseError(description: "unsupported specversion") }
        var data = Data("null".utf8)
        if let member = object["data"], !(member is NSNull) {
            data = try JSONSerialization.data(withJSONObject: member, options: [.fragmentsAllowed, .sortedKeys, .withoutEscapingSlashes])
        }
        return CloudEvent(
            id: try attribute("id"),
            source: try attribute("source"),
            type: try attribute("type"),
            subject: (object["subject"] as? String) ?? "",
            time: (object["time"] as? String) ?? "",
            dataContentType: (object["datacontenttype"] as? String) ?? "application/json",
            actor: object["actor"] as? String,
            data: data
        )
    }

    /// The CloudEvents attributes as protocol headers (`ce-id`, `ce-type`, …), for transports that
    /// let consumers route or filter without parsing the body.
    public var headers: [(name: String, value: String)] {
        var headers = [
            ("ce-specversion", Self.specVersion), ("ce-id", id), ("ce-source", source), ("ce-type", type),
            ("ce-subject", subject), ("ce-time", time),
        ]
        if let actor { headers.append(("ce-actor", actor)) }
        return headers
    }
}
