import Hummingbird
import HummingbirdAuth

/// 429 `too-many-requests` with `Retry-After` once a client has spent its budget. The client is
/// the access token's subject when there is one, else the peer address; health probes are never
/// limited (an orchestrator must always be able to ask).
public struct RateLimitMiddleware<Context: AuthRequestContext<Caller> & RemoteAddressRequestContext>: RouterMiddleware {
    let limiter: TokenBucketRateLimiter

    public init(limiter: TokenBucketRateLimiter) {
        self.limiter = limiter
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if request.uri.path.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: true).first == "health" {
            return try await next(request, context)
        }
        let client = context.identity.map { "sub:" + $0.subject } ?? "addr:" + (context.remoteAddress?.ipAddress ?? "unknown")
        switch limiter.acquire(for: client) {
        case .allowed:
            return try await next(request, context)
        case .limited(let seconds):
            throw HTTPProblem(
                .tooManyRequests, "Too many requests from this client; try again in \(seconds) s.",
                headers: ["Retry-After": String(seconds)])
        }
    }
}
