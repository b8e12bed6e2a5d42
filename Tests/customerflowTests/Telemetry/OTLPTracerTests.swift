import Foundation
import Instrumentation
import Testing
import TestSupport
import Tracing
@testable import customerflow

@Suite("The service's tracer: W3C context, sampling, the span queue and the OTLP encoding")
struct OTLPTracerTests {
    private func tracer(_ sampler: TraceSampler = .default, queue: Int = 2048, batch: Int = 512) -> OTLPTracer {
        OTLPTracer(sampler: sampler, buffer: SpanBuffer(maxQueueSize: queue, maxBatchSize: batch))
    }

    @Test("spans decode as a collector reads them: ids, parent, kind, times, attributes of each type, status, events, resource")
    func spansDecodeAsACollectorReadsThem() throws {
        let tracer = tracer(queue: 10, batch: 10)
        var caller = ServiceContext.topLevel
        tracer.extract(["traceparent": "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", "tracestate": "vendor=1"],
                       into: &caller, using: DictionaryCarrier())
        let server = tracer.startSpan("GET /v1/customers/{id}", context: caller, ofKind: .server, at: DefaultTracerClock.now, function: "", file: "", line: 0)
        server.updateAttributes { attributes in
            attributes["http.route"] = "/v1/customers/{id}"
            attributes["http.response.status_code"] = 200
            attributes["ratio"] = 0.5
            attributes["cached"] = true
            attributes["tags"] = ["a", "b"]
            attributes["sizes"] = [1, 2] as [Int64]
        }
        let child = tracer.startSpan("SELECT customers", context: server.context, ofKind: .client, at: DefaultTracerClock.now, function: "", file: "", line: 0)
        child.recordError(CancellationError())
        child.setStatus(SpanStatus(code: .error, message: "timed out"))
        child.end()
        server.end()

        let encoder = OTLPTraceEncoder(resource: try Telemetry.resource(serviceName: "orders", attributes: "deployment.environment.name=prod%20eu"),
                                       scopeName: "customerflow", scopeVersion: "")
        let spans = try OTLPSpanDecoder.spans(Data(encoder.encode(tracer.buffer.takeAll())))
        #expect(spans.count == 2)
        let decodedServer = try #require(spans.first { $0.kind == .server })
        let decodedChild = try #require(spans.first { $0.kind == .client })
        #expect(decodedServer.traceID == "0af7651916cd43dd8448eb211c80319c")
        #expect(decodedServer.parentSpanID == "b7ad6b7169203331")
        #expect(decodedServer.traceState == "vendor=1")
        #expect(decodedServer.flags == 0x301)  // sampled, parent known and remote
        #expect(decodedChild.flags == 0x101)
        #expect(decodedChild.traceID == decodedServer.traceID)
        #expect(decodedChild.parentSpanID == decodedServer.spanID)
        #expect(decodedServer.spanID.count == 16 && decodedServer.spanID != "b7ad6b7169203331")
        #expect(decodedServer.name == "GET /v1/customers/{id}")
        #expect(decodedServer.attributes == ["http.route": "/v1/customers/{id}", "http.response.status_code": "200", "ratio": "0.5",
                                             "cached": "true", "tags": "a,b", "sizes": "1,2"])
        #expect(decodedServer.startTime > 1_700_000_000_000_000_000 && decodedServer.endTime >= decodedServer.startTime)
        #expect(decodedChild.statusCode == 2 && decodedChild.statusMessage == "timed out")
        #expect(decodedChild.eventNames == ["exception"])
        #expect(decodedServer.statusCode == 0)
        #expect(decodedServer.serviceName == "orders")
        #expect(decodedServer.resource["deployment.environment.name"] == "prod eu")
        #expect(decodedServer.resource["telemetry.sdk.language"] == "swift")
    }

    @Test("a span's context goes out as traceparent and tracestate, and comes back unchanged")
    func traceContextRoundTrips() throws {
        let tracer = tracer()
        let span = tracer.startSpan("publish", context: .topLevel, ofKind: .producer, at: DefaultTracerClock.now, function: "", file: "", line: 0)
        var headers: [String: String] = [:]
        tracer.inject(span.context, into: &headers, using: DictionaryCarrier())
        let sent = try #require(span.context.traceContext)
        #expect(headers["traceparent"] == "00-\(sent.traceID.hex)-\(TraceContext.hex(sent.spanID, digits: 16))-01")
        #expect(headers["tracestate"] == nil)
        var received = ServiceContext.topLevel
        tracer.extract(headers, into: &received, using: DictionaryCarrier())
        let context = try #require(received.traceContext)
        #expect(context.traceID == sent.traceID && context.spanID == sent.spanID && context.isSampled && context.isRemote)
    }

    @Test("a malformed traceparent is ignored and a new trace starts",
          arguments: ["", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331", "00-0AF7651916CD43DD8448EB211C80319C-b7ad6b7169203331-01",
                      "00-00000000000000000000000000000000-b7ad6b7169203331-01", "00-0af7651916cd43dd8448eb211c80319c-0000000000000000-01",
                      "ff-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01-extra",
                      "00-0af7651916cd43dd8448eb211c8031-b7ad6b7169203331-01", "00-0af7651916cd43dd8448eb211c80319z-b7ad6b7169203331-01",
                      "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-0A", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-+1",
                      "0A-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", "01-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331"])
    func malformedTraceparentStartsANewTrace(header: String) {
        let tracer = tracer()
        var context = ServiceContext.topLevel
        tracer.extract(["traceparent": header], into: &context, using: DictionaryCarrier())
        #expect(context.traceContext == nil)
        let span = tracer.startSpan("GET", context: context, ofKind: .server, at: DefaultTracerClock.now, function: "", file: "", line: 0)
        #expect(span.context.traceContext?.traceID.hex != "0af7651916cd43dd8448eb211c80319c")
        #expect(span.isRecording)
    }

    @Test("a later traceparent version with more fields is read")
    func laterVersionIsRead() {
        #expect(TraceContext(traceparent: "01-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-00-what", traceState: nil)?.isSampled == false)
    }

    @Test("parent-based samplers follow the caller; the others decide alone")
    func samplersFollowTheParentWhenParentBased() throws {
        let unsampledParent = try #require(TraceContext(traceparent: "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-00", traceState: nil))
        let sampledParent = try #require(TraceContext(traceparent: "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", traceState: nil))
        let id = TraceID(high: 1, low: 2)
        #expect(try TraceSampler(name: nil, argument: nil).samples(id, parent: unsampledParent) == false)
        #expect(try TraceSampler(name: nil, argument: nil).samples(id, parent: nil))
        #expect(try TraceSampler(name: "always_on", argument: nil).samples(id, parent: unsampledParent))
        #expect(try TraceSampler(name: "parentbased_always_off", argument: nil).samples(id, parent: sampledParent))
        #expect(try TraceSampler(name: "parentbased_always_off", argument: nil).samples(id, parent: nil) == false)
        #expect(try TraceSampler(name: "ALWAYS_OFF", argument: nil).samples(id, parent: sampledParent) == false)
    }

    @Test("the ratio sampler keeps the traces whose 56 random bits reach (1 - ratio) · 2^56, as every SDK does")
    func ratioSamplerIsConsistent() throws {
        let sampler = try TraceSampler(name: "traceidratio", argument: "0.25")
        let threshold = UInt64(0.75 * Double(UInt64(1) << 56))
        #expect(sampler.samples(TraceID(high: 0, low: threshold), parent: nil))
        #expect(!sampler.samples(TraceID(high: 0, low: threshold - 1), parent: nil))
        #expect(sampler.samples(TraceID(high: 0, low: (UInt64(1) << 56) - 1), parent: nil))
        #expect(!sampler.samples(TraceID(high: .max, low: 0xFF00_0000_0000_0000), parent: nil))  // the top byte is not randomness
    }

    @Test("a caller's tracestate is passed on, unless it is over the specification's limits or not printable")
    func traceStateLimits() {
        let parent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"
        #expect(TraceContext(traceparent: parent, traceState: "congo=t61rcWkgMzE,rojo=00f067aa0ba902b7")?.traceState == "congo=t61rcWkgMzE,rojo=00f067aa0ba902b7")
        #expect(TraceContext(traceparent: parent, traceState: String(repeating: "a", count: 513))?.traceState == nil)
        #expect(TraceContext(traceparent: parent, traceState: (0..<33).map { "k\($0)=v" }.joined(separator: ","))?.traceState == nil)
        #expect(TraceContext(traceparent: parent, traceState: "k=v\u{7}")?.traceState == nil)
        #expect(TraceContext(traceparent: parent, traceState: "k=v") != nil)
    }

    @Test("a span larger than 16 KiB keeps its length prefixes right; an ok status carries no description")
    func largeSpanEncodes() throws {
        let tracer = tracer()
        let span = tracer.startSpan("big", context: .topLevel, ofKind: .internal, at: DefaultTracerClock.now, function: "", file: "", line: 0)
        let text = String(repeating: "x", count: 20_000)
        span.attributes["db.query.text"] = text
        span.setStatus(SpanStatus(code: .ok, message: "fine"))
        span.end()
        let encoder = OTLPTraceEncoder(resource: [("service.name", .string("s"))], scopeName: "customerflow", scopeVersion: "")
        let decoded = try OTLPSpanDecoder.spans(Data(encoder.encode(tracer.buffer.takeAll())))
        #expect(decoded.first?.attributes["db.query.text"] == text)
        #expect(decoded.first?.statusCode == 1 && decoded.first?.statusMessage == "")
    }

    @Test("the ratio sampler keeps about the ratio asked, none at 0 and all at 1")
    func ratioSamplerKeepsTheRatio() throws {
        let ids = SpanIDGenerator()
        let traceIDs = (0..<20_000).map { _ in ids.nextTraceID() }
        func kept(_ ratio: String) throws -> Int {
            let sampler = try TraceSampler(name: "traceidratio", argument: ratio)
            return traceIDs.filter { sampler.samples($0, parent: nil) }.count
        }
        #expect(try kept("0") == 0)
        #expect(try kept("1") == 20_000)
        #expect((4_500...5_500).contains(try kept("0.25")))
        #expect(Set(traceIDs).count == 20_000)
    }

    @Test("an unknown sampler or a ratio outside 0…1 is refused in one line naming the variable",
          arguments: [("probabilistic", nil), ("traceidratio", "1.5"), ("parentbased_traceidratio", "ten")] as [(String, String?)])
    func badSamplerIsRefused(name: String, argument: String?) {
        let error = #expect(throws: ConfigurationError.self) { try TraceSampler(name: name, argument: argument) }
        #expect(error?.description.hasPrefix("OTEL_TRACES_SAMPLER") == true)
        #expect(error?.description.contains("\n") == false)
    }

    @Test("an unsampled span records nothing and its children are unsampled too")
    func unsampledSpanRecordsNothing() throws {
        let tracer = tracer(try TraceSampler(name: "parentbased_always_off", argument: nil))
        let root = tracer.startSpan("GET", context: .topLevel, ofKind: .server, at: DefaultTracerClock.now, function: "", file: "", line: 0)
        root.attributes["key"] = "value"
        let child = tracer.startSpan("SQL", context: root.context, ofKind: .client, at: DefaultTracerClock.now, function: "", file: "", line: 0)
        child.end()
        root.end()
        #expect(!root.isRecording && !child.isRecording)
        #expect(root.attributes.isEmpty)
        #expect(tracer.buffer.count == 0)
        var headers: [String: String] = [:]
        tracer.inject(child.context, into: &headers, using: DictionaryCarrier())
        #expect(headers["traceparent"]?.hasSuffix("-00") == true)
    }

    @Test("a span is queued once however often it is ended, and changes after the end are ignored")
    func spanIsQueuedOnce() {
        let tracer = tracer()
        let span = tracer.startSpan("GET", context: .topLevel, ofKind: .server, at: DefaultTracerClock.now, function: "", file: "", line: 0)
        span.end()
        span.operationName = "renamed"
        span.attributes["late"] = true
        span.end()
        let queued = tracer.buffer.takeAll()
        #expect(queued.count == 1)
        #expect(queued.first?.name == "GET" && queued.first?.attributes.isEmpty == true)
    }

    @Test("a full queue drops spans and counts them; a partial batch waits for a flush; a full one does not")
    func queueBatchesAndDrops() {
        let buffer = SpanBuffer(maxQueueSize: 5, maxBatchSize: 3)
        let tracer = OTLPTracer(sampler: .default, buffer: buffer)
        func end(_ count: Int) {
            for _ in 0..<count { tracer.startSpan("x", context: .topLevel, ofKind: .internal, at: DefaultTracerClock.now, function: "", file: "", line: 0).end() }
        }
        end(2)
        #expect(buffer.takeBatch().isEmpty)
        buffer.flush()
        #expect(buffer.takeBatch().count == 2)
        end(7)
        #expect(buffer.count == 5)
        #expect(buffer.takeDropped() == 2)
        #expect(buffer.takeDropped() == 0)
        #expect(buffer.takeBatch().count == 3)
        #expect(buffer.takeBatch().isEmpty)
        buffer.flush()
        #expect(buffer.takeBatch().count == 2)
    }
}

@Suite("Trace export settings")
struct TraceExportSettingsTests {
    @Test("settings the exporter cannot honour stop the start with one line naming the variable",
          arguments: [
              ["OTEL_TRACES_EXPORTER": "zipkin"],
              ["OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:4318", "OTEL_EXPORTER_OTLP_PROTOCOL": "http/json"],
              ["OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:4318", "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL": "grpc"],
              ["OTEL_EXPORTER_OTLP_ENDPOINT": "ftp://127.0.0.1"],
              ["OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:4318", "OTEL_BSP_MAX_QUEUE_SIZE": "0"],
              ["OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:4318", "OTEL_BSP_SCHEDULE_DELAY": "soon"],
              ["OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:4318", "OTEL_BSP_SCHEDULE_DELAY": "0"],
              ["OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:4318", "OTEL_EXPORTER_OTLP_HEADERS": "api-key"],
              ["OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:4318", "OTEL_TRACES_SAMPLER": "sometimes"],
              ["OTEL_EXPORTER_OTLP_ENDPOINT": "https://127.0.0.1:4318", "OTEL_EXPORTER_OTLP_CERTIFICATE": "/nonexistent/ca.pem"],
              ["OTEL_EXPORTER_OTLP_ENDPOINT": "https://127.0.0.1:4318", "OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE": "/nonexistent/client.pem"],
              ["OTEL_EXPORTER_OTLP_ENDPOINT": "https://127.0.0.1:4318", "OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE": "/nonexistent/client.pem",
               "OTEL_EXPORTER_OTLP_CLIENT_KEY": "/nonexistent/client.key"],
              ["OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:4318", "OTEL_BSP_EXPORT_TIMEOUT": "-1"],
              ["OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:4318", "OTEL_RESOURCE_ATTRIBUTES": "region"],
              ["OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:4318", "OTEL_PROPAGATORS": "tracecontext,b3"],
              ["OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:4318", "OTEL_EXPORTER_OTLP_COMPRESSION": "zstd"],
          ])
    func unusableSettingsAreRefused(environment: [String: String]) {
        let error = #expect(throws: ConfigurationError.self) { try Telemetry.make(environment: environment, logger: .quiet) }
        #expect(error?.description.hasPrefix("OTEL_") == true)
        #expect(error?.description.contains("\n") == false)
    }

    @Test("OTEL_PROPAGATORS=none neither reads nor writes traceparent")
    func propagationCanBeTurnedOff() throws {
        let telemetry = try #require(try Telemetry.make(environment: ["OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:4318", "OTEL_PROPAGATORS": "none"], logger: .quiet))
        var context = ServiceContext.topLevel
        telemetry.tracer.extract(["traceparent": "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"], into: &context, using: DictionaryCarrier())
        #expect(context.traceContext == nil)
        let span = telemetry.tracer.startAnySpan("x", context: .topLevel, ofKind: .internal, at: DefaultTracerClock.now, function: "", file: "", line: 0)
        var headers: [String: String] = [:]
        telemetry.tracer.inject(span.context, into: &headers, using: DictionaryCarrier())
        #expect(headers.isEmpty)
        #expect(span.isRecording)
    }

    @Test("metrics alone may still be pushed as http/json")
    func metricsMayUseJSON() throws {
        let telemetry = try Telemetry.make(environment: ["OTEL_EXPORTER_OTLP_METRICS_ENDPOINT": "http://127.0.0.1:4318/v1/metrics", "OTEL_EXPORTER_OTLP_PROTOCOL": "http/json"], logger: .quiet)
        #expect(telemetry?.metrics != nil)
        #expect(telemetry?.tracer is NoOpTracer)
    }

    @Test("export headers are name=value pairs with percent-encoded values")
    func headersAreParsed() throws {
        let headers = try Telemetry.headers("authorization=Bearer%20abc%3D, x-tenant = 7,")
        #expect(headers.map(\.0) == ["authorization", "x-tenant"])
        #expect(headers.map(\.1) == ["Bearer abc=", "7"])
    }

    @Test("OTEL_SERVICE_NAME wins over a service.name among the resource attributes, which is used without it")
    func serviceNamePrecedence() throws {
        func name(_ serviceName: String?, _ attributes: String?) throws -> SpanAttribute? {
            try Telemetry.resource(serviceName: serviceName, attributes: attributes).first { $0.0 == "service.name" }?.1
        }
        #expect(try name("a", "service.name=b") == .string("a"))
        #expect(try name(nil, "service.name=b,team=x") == .string("b"))
        #expect(try name(nil, nil) == .string("customerflow"))
        #expect(try Telemetry.resource(serviceName: "a", attributes: "service.name=b").filter { $0.0 == "service.name" }.count == 1)
    }
}

/// `traceparent` in and out of a plain dictionary, as message headers carry it.
private struct DictionaryCarrier: Extractor, Injector {
    func extract(key: String, from carrier: [String: String]) -> String? { carrier[key] }
    func inject(_ value: String, forKey key: String, into carrier: inout [String: String]) { carrier[key] = value }
}

extension SpanBuffer {
    /// Everything queued, whatever the batch size.
    func takeAll() -> [FinishedSpan] {
        flush()
        var spans: [FinishedSpan] = []
        while case let batch = takeBatch(), !batch.isEmpty { spans += batch }
        return spans
    }
}
