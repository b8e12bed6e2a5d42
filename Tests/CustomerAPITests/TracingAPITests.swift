import EventBus
import Foundation
import HTTPTypes
import Logging
import ServiceLifecycle
import Synchronization
import TestSupport
import Testing
import Tracing

@testable import customerflow

/// Traces exported over OTLP/HTTP to a local receiver: one trace from the HTTP request through
/// the mediator and SQL to the producer and, across the broker, the consumer.
@Suite("Tracing")
struct TracingAPITests {
    static let callerTrace = "4bf92f3577b34da6a3ce929d0e0e4736"
    static let callerSpan = "00f067aa0ba902b7"

    @Test("register → relay → consumer is one trace: HTTP → mediator → SQL, and producer → consumer across the broker", arguments: TestBroker.all)
    func oneTraceFromRequestToConsumer(broker: TestBroker) async throws {
        let consumed = Mutex(0)  // events of the traced registration
        let warmedUp = Mutex(false)
        let subscription = Subscription(group: "tracing-test", patterns: ["customer.#"]) { event, _ in
            if String(decoding: event.data, as: UTF8.self).contains("trace.pii@example.com") {
                consumed.withLock { $0 += 1 }
            } else {
                warmedUp.withLock { $0 = true }
            }
        }
        let output = LogOutput()
        try await OTLPReceiver.run { receiver, url in
            let telemetry = try #require(
                try Telemetry.make(environment: ["OTEL_EXPORTER_OTLP_ENDPOINT": url, "OTEL_BSP_SCHEDULE_DELAY": "50", "OTEL_SERVICE_NAME": "tracing-test"], logger: .quiet))
            var logger = Logger(label: "customerflow") { label in
                var handler = LogLineHandler(label: label, level: .debug, format: .json, output: output)
                handler.metadataProvider = LoggingSetup.metadataProvider
                return handler
            }
            logger.logLevel = .debug
            try await withTracer(telemetry.tracer) {
                try await withApp(.sqlite, file: true, transport: try broker.makeTransport(), subscriptions: [subscription], logger: logger, telemetry: telemetry) { client in
                    // A group's queue gets only what is published after its consumer bound it (in
                    // memory as on RabbitMQ), and the consumers bind while the app starts; an event
                    // another group (the webhooks one) is bound to is accepted before. Warm up until
                    // the test's group has received an event, then send the traced request.
                    var warmUps = 0
                    while !warmedUp.withLock({ $0 }), warmUps < 20 {
                        warmUps += 1
                        _ = try await client.register(APISamples.registration(name: "Warm Up", email: "warm\(warmUps)@example.com", document: nil))
                        let until = ContinuousClock.now + .seconds(1)
                        while !warmedUp.withLock({ $0 }), ContinuousClock.now < until { try await Task.sleep(for: .milliseconds(20)) }
                    }
                    try #require(warmedUp.withLock { $0 }, "the test's consumer group received no event in \(warmUps) registrations")
                    let response = try await client.send(
                        .post, "/v1/customers", json: APISamples.registration(name: "Trace Test", email: "trace.pii@example.com"),
                        headers: [HTTPField.Name("traceparent")!: "00-\(Self.callerTrace)-\(Self.callerSpan)-01"])
                    #expect(response.status == .created)
                    _ = try await client.send(.get, "/v1/customers?email=trace.pii@example.com")
                    let deadline = ContinuousClock.now + .seconds(20)
                    while consumed.withLock({ $0 }) == 0, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(50)) }
                    #expect(consumed.withLock { $0 } == 1)

                    let spans = try await receiver.spans { spans in
                        let consumers = spans.filter {
                            $0.kind == .consumer && $0.traceID == Self.callerTrace && $0.attributes["messaging.consumer.group.name"] == "tracing-test"
                        }
                        let consumerIDs = Set(consumers.map(\.spanID))
                        // The producer span ends when the broker confirms the batch, which can be after
                        // the consumer's span was exported: wait for the one the consumer continues.
                        let producerIDs = Set(consumers.map(\.parentSpanID))
                        return spans.contains { $0.kind == .client && consumerIDs.contains($0.parentSpanID) }
                            && spans.contains { $0.kind == .producer && $0.traceID == Self.callerTrace && producerIDs.contains($0.spanID) }
                            && spans.contains { $0.kind == .server && $0.attributes["http.request.method"] == "GET" }
                    }
                    #expect(receiver.undecodablePayloads == 0)
                    try Self.checkTrace(spans, broker: broker)
                }
            }
        }
        // Log lines written inside the request carry its trace id.
        #expect(output.lines.contains {
            $0.contains("\"trace_id\":\"\(Self.callerTrace)\"") && $0.contains("\"span_id\":") && $0.contains("\"request\":\"RegisterCustomerCommand\"")
        })
    }

    static func checkTrace(_ all: [ReceivedSpan], broker: TestBroker) throws {
        let trace = all.filter { $0.traceID == callerTrace }
        let described = trace.map(\.description).joined(separator: "\n")
        #expect(trace.allSatisfy { $0.serviceName == "tracing-test" })

        // HTTP: the caller's traceparent was honoured.
        let server = try #require(trace.first { $0.kind == .server }, "no server span in\n\(described)")
        #expect(server.parentSpanID == callerSpan)
        #expect(server.name == "POST /v1/customers")
        #expect(server.attributes["http.route"] == "/v1/customers")
        #expect(server.attributes["http.response.status_code"] == "201")

        // Mediator under HTTP, SQL under the mediator.
        let mediator = try #require(trace.first { $0.name == "RegisterCustomerCommand" }, "no mediator span in\n\(described)")
        #expect(mediator.parentSpanID == server.spanID)
        #expect(mediator.attributes["mediator.outcome"] == "success")
        let statements = trace.filter { $0.kind == .client && $0.parentSpanID == mediator.spanID }
        #expect(statements.contains { $0.attributes["db.operation.name"] == "INSERT" && ($0.attributes["db.collection.name"] ?? "").hasSuffix("customers") },
                "\(statements.map(\.name))")
        #expect(statements.allSatisfy { $0.attributes["db.system.name"] == "sqlite" && $0.attributes["db.query.text"] != nil })

        // Producer continues the request's trace from the outbox row; consumer continues the producer.
        // A publish attempt that failed (the broker connection still opening, say) leaves a producer
        // span of its own, marked as an error; the retry that delivered is the consumer's parent.
        let producers = trace.filter { $0.kind == .producer }
        try #require(!producers.isEmpty, "no producer span in\n\(described)")
        for producer in producers {
            #expect(producer.parentSpanID == mediator.spanID)
            #expect(producer.name == "publish customer.registered.v1")
            #expect(producer.attributes["messaging.system"] == (broker == .rabbitmq ? "rabbitmq" : "customerflow.in_memory"))
        }
        // The test's consumer group (the webhooks group consumes the event too, in a trace branch of its own).
        let consumer = try #require(
            trace.first { $0.kind == .consumer && $0.attributes["messaging.consumer.group.name"] == "tracing-test" }, "no consumer span in\n\(described)")
        let producer = try #require(producers.first { $0.spanID == consumer.parentSpanID }, "the consumer continues no producer span in\n\(described)")
        #expect(producer.statusCode != 2)
        #expect(producers.allSatisfy { $0.spanID == producer.spanID || $0.statusCode == 2 }, "a second publish that did not fail:\n\(described)")
        #expect(consumer.name == "process customer.registered.v1")
        #expect(consumer.attributes["messaging.consumer.group.name"] == "tracing-test")
        #expect(trace.contains { $0.kind == .client && $0.parentSpanID == consumer.spanID }, "no inbox statement under the consumer")

        // Nothing personal anywhere: not in SQL text (placeholders only), not from the query string.
        let values = all.flatMap { [$0.name] + Array($0.attributes.values) + Array($0.attributes.keys) }.joined(separator: "\n")
        for secret in ["trace.pii", "98765-4321", "987654321", "529.982.247-25", "52998224725", "Trace Test"] {
            #expect(!values.contains(secret), "\(secret) is in a span")
        }
        #expect(!all.contains { $0.attributes["url.query"] != nil })
    }

    @Test("metrics are pushed over OTLP when OTEL_METRICS_EXPORTER=otlp, and still served at /metrics")
    func metricsPushedOverOTLP() async throws {
        try await OTLPReceiver.run { receiver, url in
            let telemetry = try #require(
                try Telemetry.make(environment: ["OTEL_EXPORTER_OTLP_ENDPOINT": url, "OTEL_METRICS_EXPORTER": "otlp", "OTEL_TRACES_EXPORTER": "none", "OTEL_METRIC_EXPORT_INTERVAL": "100"], logger: .quiet))
            #expect(telemetry.tracer is NoOpTracer)
            try await withApp(.sqlite, telemetry: telemetry) { client in
                #expect(try await client.send(.get, "/v1/customers/\(UUID().uuidString.lowercased())").status == .notFound)
                let deadline = ContinuousClock.now + .seconds(20)
                while !receiver.metricNames.contains("http_server_request_duration_seconds"), ContinuousClock.now < deadline {
                    try await Task.sleep(for: .milliseconds(50))
                }
                #expect(receiver.metricNames.isSuperset(of: ["http_server_request_duration_seconds", "customerflow_mediator_request_duration_seconds"]), "\(receiver.metricNames)")
                #expect(try await client.send(.get, "/metrics").text.contains("http_server_request_duration_seconds_count"))
            }
            #expect(receiver.spans.isEmpty)
        }
    }

    @Test("no OTEL_* export configured means no telemetry; OTEL_SDK_DISABLED and exporter none turn it off; gRPC is refused in one line")
    func exportIsOffUnlessConfigured() throws {
        #expect(try Telemetry.make(environment: [:], logger: .quiet) == nil)
        #expect(try Telemetry.make(environment: ["OTEL_SERVICE_NAME": "x", "OTEL_TRACES_SAMPLER": "always_on"], logger: .quiet) == nil)
        #expect(try Telemetry.make(environment: ["OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:4318", "OTEL_SDK_DISABLED": "true"], logger: .quiet) == nil)
        #expect(try Telemetry.make(environment: ["OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:4318", "OTEL_TRACES_EXPORTER": "none"], logger: .quiet) == nil)
        let traces = try #require(try Telemetry.make(environment: ["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": "http://127.0.0.1:4318/v1/traces"], logger: .quiet))
        #expect(!(traces.tracer is NoOpTracer) && traces.metrics == nil && traces.services.count == 1)
        #expect(throws: ConfigurationError.self) {
            try Telemetry.make(environment: ["OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:4317", "OTEL_EXPORTER_OTLP_PROTOCOL": "grpc"], logger: .quiet)
        }
        #expect(Telemetry.signalURL("http://collector:4318", "traces") == "http://collector:4318/v1/traces")
        #expect(Telemetry.signalURL("http://collector:4318/", "metrics") == "http://collector:4318/v1/metrics")
    }

    @Test("a caller's unsampled trace records no span below it, yet its trace id still reaches the log lines")
    func unsampledCallerRecordsNothing() async throws {
        let output = LogOutput()
        try await OTLPReceiver.run { receiver, url in
            let telemetry = try #require(try Telemetry.make(environment: ["OTEL_EXPORTER_OTLP_ENDPOINT": url, "OTEL_BSP_SCHEDULE_DELAY": "20"], logger: .quiet))
            var logger = Logger(label: "customerflow") { label in
                var handler = LogLineHandler(label: label, level: .debug, format: .json, output: output)
                handler.metadataProvider = LoggingSetup.metadataProvider
                return handler
            }
            logger.logLevel = .debug
            let unsampled = "0af7651916cd43dd8448eb211c80319c"
            try await withTracer(telemetry.tracer) {
                try await withApp(.sqlite, logger: logger, telemetry: telemetry) { client in
                    let response = try await client.send(
                        .post, "/v1/customers", json: APISamples.registration(email: "unsampled@example.com", document: nil),
                        headers: [HTTPField.Name("traceparent")!: "00-\(unsampled)-b7ad6b7169203331-00"])
                    #expect(response.status == .created)
                    // A sampled request afterwards proves the exporter works.
                    #expect(try await client.send(.get, "/health/live").status == .ok)
                    _ = try await receiver.spans { spans in spans.contains { $0.kind == .server } }
                }
            }
            #expect(!receiver.spans.contains { $0.traceID == unsampled })
            #expect(output.lines.contains { $0.contains("\"trace_id\":\"\(unsampled)\"") && $0.contains("RegisterCustomerCommand") })
        }
    }

    @Test("a collector that cannot be reached fails no request")
    func unreachableCollectorFailsNoRequest() async throws {
        let telemetry = try #require(try Telemetry.make(environment: ["OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:9", "OTEL_BSP_SCHEDULE_DELAY": "10", "OTEL_EXPORTER_OTLP_TIMEOUT": "200"], logger: .quiet))
        try await withTracer(telemetry.tracer) {
            try await withApp(.sqlite, telemetry: telemetry) { client in
                for index in 0..<5 {
                    let response = try await client.send(.post, "/v1/customers", json: APISamples.registration(email: "unreachable\(index)@example.com", document: nil))
                    #expect(response.status == .created)
                    try await Task.sleep(for: .milliseconds(30))
                }
            }
        }
    }

    @Test("the exporter retries a busy collector, sends the configured headers, and delivers what is queued when it stops")
    func exporterRetriesAndFlushesAtShutdown() async throws {
        try await OTLPReceiver.run { receiver, url in
            // A schedule far beyond the test: a full batch (2 spans) goes at once, the rest only at shutdown.
            let telemetry = try #require(try Telemetry.make(
                environment: ["OTEL_EXPORTER_OTLP_ENDPOINT": url, "OTEL_BSP_SCHEDULE_DELAY": "600000", "OTEL_BSP_MAX_EXPORT_BATCH_SIZE": "2",
                              "OTEL_EXPORTER_OTLP_HEADERS": "Authorization=Bearer%20t0ken"],
                logger: .quiet))
            receiver.refuse(next: 1)
            let group = ServiceGroup(services: telemetry.services, gracefulShutdownSignals: [], cancellationSignals: [], logger: .quiet)
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                tasks.addTask { try await group.run() }
                func end(_ name: String) {
                    telemetry.tracer.startAnySpan(name, context: .topLevel, ofKind: .internal, at: DefaultTracerClock.now, function: "", file: "", line: 0).end()
                }
                end("span 0")
                end("span 1")
                let retried = try await receiver.spans(within: .seconds(10)) { $0.count == 2 }
                #expect(Set(retried.map(\.name)) == ["span 0", "span 1"])
                end("span 2")
                try await Task.sleep(for: .milliseconds(200))
                #expect(receiver.spans.count == 2)
                await group.triggerGracefulShutdown()
                try await tasks.waitForAll()
            }
            #expect(Set(receiver.spans.map(\.name)) == ["span 0", "span 1", "span 2"])
            #expect(receiver.exports.map(\.status) == [503, 200, 200])
            #expect(receiver.exports.allSatisfy { $0.authorization == "Bearer t0ken" })
        }
    }

    @Test("a batch the collector refuses outright (400) is not retried; spans queued when the exporter is cancelled still go out")
    func exporterGivesUpOnRefusalAndFlushesWhenCancelled() async throws {
        try await OTLPReceiver.run { receiver, url in
            let telemetry = try #require(try Telemetry.make(
                environment: ["OTEL_EXPORTER_OTLP_ENDPOINT": url, "OTEL_BSP_SCHEDULE_DELAY": "600000", "OTEL_BSP_MAX_EXPORT_BATCH_SIZE": "2"],
                logger: .quiet))
            receiver.refuse(next: 1, with: .badRequest)
            let service = try #require(telemetry.services.first)
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                tasks.addTask { try await service.run() }
                func end(_ name: String) {
                    telemetry.tracer.startAnySpan(name, context: .topLevel, ofKind: .internal, at: DefaultTracerClock.now, function: "", file: "", line: 0).end()
                }
                end("refused 1")
                end("refused 2")  // a full batch goes at once, and is refused
                _ = try await receiver.spans(within: .seconds(10)) { _ in !receiver.exports.isEmpty }
                // Longer than both retry pauses (250 ms, 1 s): a retried 400 would have come by now.
                try await Task.sleep(for: .milliseconds(1_800))
                #expect(receiver.exports.count == 1)
                end("queued")
                try await Task.sleep(for: .milliseconds(200))
                tasks.cancelAll()
                try await tasks.waitForAll()
            }
            #expect(receiver.exports.map(\.status) == [400, 200])
            #expect(receiver.spans.map(\.name) == ["queued"])
        }
    }
}
