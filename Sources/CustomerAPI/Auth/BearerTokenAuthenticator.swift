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

    public init(verifier: AccessTokenVerifier) {
        self.verifier = verifier
    }

    public func authenticate(request: Request, context: Context) async throws -> Caller? {
        guard request.headers[.authorization] != nil else { return nil }
        guard let bearer = request.headers.bearer, !bearer.token.isEmpty else {
            throw Self.unauthorized("Send the access token as Authorization: Bearer <token>.", error: "invalid_request")
        }
        do {
            return try await verifier.verify(bearer.token)
        } catch let error as InvalidAccessToken {
            throw Self.unauthorized("The access token is not accepted: \(error.reason).", error: "invalid_token")
        }
    }

    /// 401 `unauthorized` with the RFC 6750 challenge.
    static func unauthorized(_ detail: String, error: String? = nil) -> HTTPProblem {
        var challenge = "Bearer realm=\"customerflow\""
        if let error { challenge += ", error=\"\(error)\"" }
        return HTTPProblem(.unauthorized, detail, headers: ["WWW-Authenticate": challenge])
    }
}
