import CoreMetrics
import CustomerApplication
import Hummingbird

/// Records every request's duration in `http_server_request_duration_seconds`, by method, route
/// template (never the path itself: it carries customer ids, and query strings carry e-mails) and
/// status class (`2xx` … `5xx`).
///
/// - Important: Place it before the problem-details middleware, so that it sees the status of
///   the problem response an error became.
public struct RequestMetricsMiddleware<Context: RequestContext>: RouterMiddleware {
    private let timers: TimerCache

    public init(factory: any MetricsFactory) {
        timers = TimerCache(label: "http_server_request_duration_seconds", dimensionNames: ["method", "route", "status_class"], factory: factory)
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
    static var knownMethods: Set<HTTPRequest.Method> { knownHTTPMethods }

    private func record(_ request: Request, route: String?, status: HTTPResponse.Status, since started: ContinuousClock.Instant) {
        let elapsed = ContinuousClock.now - started
        // Bounded: known methods, the router's templates, ten classes (a status is 0…999).
        let method = Self.knownMethods.contains(request.method) ? request.method.rawValue : "other"
        timers.timer([method, route ?? "unmatched", statusClasses[min(max(status.code / 100, 0), 9)]])
            .recordNanoseconds(elapsed.components.seconds * 1_000_000_000 + elapsed.components.attoseconds / 1_000_000_000)
    }
}

// Made once: a generic type cannot hold stored statics, and these are read on every request.
private let knownHTTPMethods: Set<HTTPRequest.Method> = [.get, .head, .post, .put, .patch, .delete, .options]
private let statusClasses = (0...9).map { "\($0)xx" }
