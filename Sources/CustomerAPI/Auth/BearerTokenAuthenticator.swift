import Hummingbird
import HummingbirdAuth

/// Reads `Authorization: Bearer …` and puts the caller it proves in the context.
///
/// No header leaves the request anonymous (the ``ScopeAuthorizationMiddleware`` decides whether
/// that is enough); a header that does not prove anyone ends the request with 401, whatever the
/// route: a client that sends a broken token should learn so, not be served as anonymous.
public struct BearerTokenAuthenticator<Context: AuthRequestContext<Caller>>: AuthenticatorMiddleware {
    public typealias Identity = Caller
    let verifier: AccessTokenVerifier
    let limiter: TokenBucketRateLimiter?

    /// - Parameter limiter: when set, each refused token spends a request of the sender
    ///   address's budget, and a spent budget answers 429 instead of 401.
    public init(verifier: AccessTokenVerifier, limiter: TokenBucketRateLimiter? = nil) {
        self.verifier = verifier
        self.limiter = limiter
    }

    public func authenticate(request: Request, context: Context) async throws -> Caller? {
        guard let authorization = request.headers[.authorization] else { return try await cookieCaller(request) }
        // The scheme is case-insensitive (RFC 9110 §11.1).
        let parts = authorization.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else {
            try chargeFailure(context)
            throw Self.unauthorized("Send the access token as Authorization: Bearer <token>.", error: "invalid_request")
        }
        do {
            return try await verifier.verify(parts[1].trimmingCharacters(in: .whitespaces))
        } catch let error as InvalidAccessToken {
            try chargeFailure(context)
            throw Self.unauthorized("The access token is not accepted: \(error.reason).", error: "invalid_token")
        } catch is JWKSUnavailable {
            throw HTTPProblem(.unavailable, "The keys that sign access tokens cannot be read right now; try again later.", headers: ["Retry-After": "5"])
        }
    }

    /// The caller of the dashboard's login cookie, on the routes that accept it; an invalid or
    /// expired cookie leaves the request anonymous (the browser is then sent to sign in again).
    private func cookieCaller(_ request: Request) async throws -> Caller? {
        guard AdminLoginController<Context>.acceptsCookie(method: request.method, path: request.uri.path),
              let token = request.cookies[AdminLoginController<Context>.cookieName]?.value, !token.isEmpty
        else { return nil }
        do {
            return try await verifier.verify(token)
        } catch is JWKSUnavailable {
            throw HTTPProblem(.unavailable, "The keys that sign access tokens cannot be read right now; try again later.", headers: ["Retry-After": "5"])
        } catch {
            return nil
        }
    }

    /// A refused token costs the sender's address a request of its budget: checking signatures
    /// is work, and guessing must not be free.
    private func chargeFailure(_ context: Context) throws {
        guard let limiter else { return }
        let address = (context as? any RemoteAddressRequestContext)?.remoteAddress?.ipAddress ?? "unknown"
        if case .limited(let seconds) = limiter.acquire(for: "addr:" + address) {
            throw HTTPProblem(.tooManyRequests, "Too many requests from this client; try again in \(seconds) s.", headers: ["Retry-After": String(seconds)])
        }
    }

    /// 401 `unauthorized` with the RFC 6750 challenge.
    static func unauthorized(_ detail: String, error: String? = nil) -> HTTPProblem {
        var challenge = "Bearer realm=\"customerflow\""
        if let error { challenge += ", error=\"\(error)\"" }
        return HTTPProblem(.unauthorized, detail, headers: ["WWW-Authenticate": challenge])
    }
}
