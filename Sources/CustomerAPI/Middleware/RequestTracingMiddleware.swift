import HTTPTypes
import Hummingbird
import EventBus
import Instrumentation
import OTelSemanticConventions
import Tracing

/// Runs every request in a server span, `GET /v1/customers/{id}`: the parent of the mediator's
/// and the SQL spans, and of every log line written meanwhile.
///
/// A W3C `traceparent` (and `tracestate`) sent by the caller is honoured: the span continues the
/// caller's trace. Attributes: `http.request.method`, `http.route` (the template),
/// `http.response.status_code`, `url.scheme`; 5xx answers mark the span as failed.
///
/// - Important: Unlike Hummingbird's own `TracingMiddleware`, neither the query string (it carries
///   e-mails and documents) nor the path (a client may put anything there) is recorded: only the
///   route template that matched. Place it first, so that the metrics, logs and problem-details
///   middleware run inside the span and the status recorded is the one sent.
public struct RequestTracingMiddleware<Context: RequestContext>: RouterMiddleware {
    public init() {}

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var parent = InstrumentationContext.current ?? .topLevel
        InstrumentationSystem.instrument.extract(request.headers, into: &parent, using: HTTPFieldsExtractor())
        let method = RequestMetricsMiddleware<Context>.knownMethods.contains(request.method) ? request.method.rawValue : "_OTHER"
        let span = startSpan(method, context: parent, ofKind: .server)
        defer { span.end() }
        span.updateAttributes { attributes in
            attributes[OTelAttribute.http.request.method] = method
            attributes[OTelAttribute.url.scheme] = "http"
        }
        do {
            let response = try await InstrumentationContext.$current.withValue(span.context) {
                try await TraceRecording.$isOff.withValue(!span.isRecording) {
                    try await next(request, context)
                }
            }
            finish(span, method: method, route: context.endpointPath, status: response.status)
            return response
        } catch {
            let status = (error as? any HTTPResponseError)?.status ?? .internalServerError
            finish(span, method: method, route: context.endpointPath, status: status)
            span.attributes[OTelAttribute.error.type] = String(describing: type(of: error))
            throw error
        }
    }

    private func finish(_ span: any Span, method: String, route: String?, status: HTTPResponse.Status) {
        // The conventions' names as plain keys, in one update: the typed namespaces' generic
        // accessors showed in the profile of a traced server.
        if let route { span.operationName = "\(method) \(route)" }
        span.updateAttributes { attributes in
            if let route { attributes[OTelAttribute.http.route] = route }
            attributes[OTelAttribute.http.response.statusCode] = Int(status.code)
        }
        if status.code >= 500 { span.setStatus(SpanStatus(code: .error)) }
    }
}

/// Reads trace context headers from a request.
struct HTTPFieldsExtractor: Extractor {
    private static let traceparent = HTTPField.Name("traceparent")
    private static let tracestate = HTTPField.Name("tracestate")

    func extract(key: String, from headers: HTTPFields) -> String? {
        // The two names asked for every request are made once.
        let name = switch key {
        case "traceparent": Self.traceparent
        case "tracestate": Self.tracestate
        default: HTTPField.Name(key)
        }
        return name.flatMap { headers[$0] }
    }
}
