import Hummingbird

/// Cross-origin access for the browsers of the configured origins (`cors.allowedOrigins`), off
/// when none is configured: then no CORS header is ever sent and browsers keep other origins out.
///
/// Answers preflight requests itself (before authentication: browsers send them without the
/// token) and adds `Access-Control-Allow-Origin` to the responses of allowed origins. Origins are
/// compared exactly; `*` allows any origin (tokens are bearer headers, never cookies, so no
/// credentials mode is offered).
public struct CORSPolicyMiddleware<Context: RequestContext>: RouterMiddleware {
    let allowedOrigins: Set<String>
    let allowsAny: Bool

    public init(allowedOrigins: [String]) {
        self.allowedOrigins = Set(allowedOrigins)
        self.allowsAny = allowedOrigins.contains("*")
    }

    static var allowedMethods: String { "GET, HEAD, POST, PUT, PATCH, DELETE" }
    static var allowedHeaders: String { "Authorization, Content-Type, If-Match, If-None-Match, Idempotency-Key" }
    static var exposedHeaders: String { "ETag, Location, Retry-After, Idempotent-Replayed, WWW-Authenticate" }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let origin = request.headers[.origin], allowsAny || allowedOrigins.contains(origin) else {
            return try await next(request, context)
        }
        let allowOrigin = allowsAny ? "*" : origin
        if request.method == .options, request.headers[.accessControlRequestMethod] != nil {
            var headers: HTTPFields = [
                .accessControlAllowOrigin: allowOrigin,
                .accessControlAllowMethods: Self.allowedMethods,
                .accessControlAllowHeaders: Self.allowedHeaders,
                .accessControlMaxAge: "600",
            ]
            if !allowsAny { headers[.vary] = "Origin" }
            return Response(status: .noContent, headers: headers)
        }
        var response = try await next(request, context)
        response.headers[.accessControlAllowOrigin] = allowOrigin
        response.headers[.accessControlExposeHeaders] = Self.exposedHeaders
        if !allowsAny { response.headers[.vary] = "Origin" }
        return response
    }
}
