import Hummingbird

/// Headers every response carries: `X-Content-Type-Options: nosniff` and a referrer policy;
/// `Cache-Control: no-store` on customer data and the admin pages (personal data must not sit in
/// shared or browser caches); a strict `Content-Security-Policy` and frame denial on the
/// dashboard's HTML.
public struct SecurityHeadersMiddleware<Context: RequestContext>: RouterMiddleware {
    /// The dashboard's policy: its own inline styles and forms posting back to it; no script
    /// (it refreshes with a meta tag), nothing from anywhere else, no framing.
    public static var dashboardPolicy: String {
        "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    }

    public init() {}

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            var response = try await next(request, context)
            apply(to: &response.headers, path: request.uri.path)
            return response
        } catch let error as any HTTPResponseError {
            var response = try error.response(from: request, context: context)
            apply(to: &response.headers, path: request.uri.path)
            return response
        }
    }

    func apply(to headers: inout HTTPFields, path: String) {
        headers[.xContentTypeOptions] = "nosniff"
        headers[.referrerPolicy] = "no-referrer"
        // By the first segment, as the router reads the path (`//admin` is `/admin`).
        let first = path.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: true).first
        if first == "v1" || first == "admin" {
            headers[.cacheControl] = "no-store"
        }
        if first == "admin", headers[.contentType]?.hasPrefix("text/html") == true {
            headers[.contentSecurityPolicy] = Self.dashboardPolicy
            headers[.xFrameOptions] = "DENY"
        }
    }
}
