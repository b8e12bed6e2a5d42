import CoreMetrics
import Hummingbird

/// Records every request's duration in `http_server_request_duration_seconds`, by method, route
/// template (never the path itself: it carries customer ids, and query strings carry e-mails) and
/// status class (`2xx` … `5xx`).
///
/// - Important: Place it before the problem-details middleware, so that it sees the status of
///   the problem response an error became.
public struct RequestMetricsMiddleware<Context: RequestContext>: RouterMiddleware {
    let factory: any MetricsFactory

    public init(factory: any MetricsFactory) {
        self.factory = factory
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let started = ContinuousClock.now
        let status: HTTPResponse.Status
        let response: Response
        do {
            response = try await next(request, context)
            status = response.status
        } catch {
            record(request, route: context.endpointPath, status: (error as? any HTTPResponseError)?.status ?? .internalServerError, since: started)
            throw error
        }
        record(request, route: context.endpointPath, status: status, since: started)
        return response
    }

    /// Clients choose the method: any other becomes `other`, so that no request can add series.
    static var knownMethods: Set<HTTPRequest.Method> { [.get, .head, .post, .put, .patch, .delete, .options] }

    private func record(_ request: Request, route: String?, status: HTTPResponse.Status, since started: ContinuousClock.Instant) {
        let elapsed = ContinuousClock.now - started
        Timer(
            label: "http_server_request_duration_seconds",
            dimensions: [
                ("method", Self.knownMethods.contains(request.method) ? request.method.rawValue : "other"), ("route", route ?? "unmatched"),
                ("status_class", "\(status.code / 100)xx"),
            ],
            factory: factory
        ).recordNanoseconds(elapsed.components.seconds * 1_000_000_000 + elapsed.components.attoseconds / 1_000_000_000)
    }
}
