import Instrumentation
import Tracing

/// Spans of the messaging side, after OpenTelemetry's messaging conventions (still experimental
/// in swift-otel-semantic-conventions, so the names are written here): a producer span per
/// published event, a consumer span per handled delivery, both linked by the W3C `traceparent`
/// header the message carries.
///
/// The trace starts at the request that wrote the outbox row (its context is stored with the
/// row), so an event relayed minutes later still belongs to that request's trace.
enum MessageTracing {
    /// A producer span, a child of the context stored with the row; `headers` get the span's own
    /// context, so that the consumer continues from it.
    static func startPublish(_ message: inout OutboundMessage, subject: String, system: String) -> any Span {
        var parent = InstrumentationContext.topLevel
        InstrumentationSystem.instrument.extract(message.headers, into: &parent, using: HeaderDictionaryExtractor())
        let span = startSpan("publish \(message.routingKey)", context: parent, ofKind: .producer)
        if span.isRecording {
            span.updateAttributes { attributes in
                attributes["messaging.system"] = system
                attributes["messaging.operation.name"] = "publish"
                attributes["messaging.operation.type"] = "send"
                attributes["messaging.destination.name"] = message.routingKey
                attributes["messaging.message.id"] = message.id
                attributes["messaging.message.body.size"] = message.body.count
                attributes["cloudevents.event_id"] = message.id
                attributes["cloudevents.event_type"] = message.routingKey
                attributes["cloudevents.event_subject"] = subject
            }
        }
        var headers = message.headers
        InstrumentationSystem.instrument.inject(span.context, into: &headers, using: HeaderDictionaryInjector())
        message = OutboundMessage(id: message.id, routingKey: message.routingKey, body: message.body, headers: headers)
        return span
    }

    /// A consumer span continuing the producer's trace from the delivery's headers.
    static func startProcess(_ delivery: Delivery, group: String, system: String) -> any Span {
        var parent = InstrumentationContext.topLevel
        InstrumentationSystem.instrument.extract(delivery.headers, into: &parent, using: HeaderDictionaryExtractor())
        let span = startSpan("process \(delivery.routingKey)", context: parent, ofKind: .consumer)
        if span.isRecording {
            span.updateAttributes { attributes in
                attributes["messaging.system"] = system
                attributes["messaging.operation.name"] = "process"
                attributes["messaging.operation.type"] = "process"
                attributes["messaging.destination.name"] = delivery.routingKey
                attributes["messaging.consumer.group.name"] = group
                if let id = delivery.headers["ce-id"] {
                    attributes["messaging.message.id"] = id
                    attributes["cloudevents.event_id"] = id
                }
                attributes["cloudevents.event_type"] = delivery.routingKey
                if let subject = delivery.headers["ce-subject"] { attributes["cloudevents.event_subject"] = subject }
                attributes["messaging.message.body.size"] = delivery.body.count
            }
        }
        return span
    }

    /// The trace context of the running task as headers (`traceparent`, `tracestate`), to be
    /// stored with an outbox row; empty when nothing is traced.
    static func currentContextHeaders() -> [String: String] {
        guard let context = InstrumentationContext.current else { return [:] }
        var headers: [String: String] = [:]
        InstrumentationSystem.instrument.inject(context, into: &headers, using: HeaderDictionaryInjector())
        return headers
    }
}

struct HeaderDictionaryInjector: Injector {
    func inject(_ value: String, forKey key: String, into headers: inout [String: String]) {
        headers[key] = value
    }
}

struct HeaderDictionaryExtractor: Extractor {
    func extract(key: String, from headers: [String: String]) -> String? {
        headers[key]
    }
}
