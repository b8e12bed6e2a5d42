import Hummingbird
import HummingbirdAuth

/// Lets a request through only when its caller holds the scope ``AccessPolicy`` requires for the
/// route: 401 `unauthorized` without a token, 403 `forbidden` with one that lacks the scope.
public struct ScopeAuthorizationMiddleware<Context: AuthRequestContext<Caller>>: RouterMiddleware {
    let policy: AccessPolicy

    public init(policy: AccessPolicy) {
        self.policy = policy
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let requirement = policy.required(method: request.method, path: request.uri.path)
        if requirement == .none { return try await next(request, context) }
        guard let caller = context.identity else {
            // A browser opening the dashboard is sent to sign in.
            if request.method == .get, request.uri.path.split(separator: "/").filter({ !$0.isEmpty }) == ["admin"],
               request.headers[.accept]?.contains("text/html") == true {
                return Response(status: .seeOther, headers: [.location: "/admin/login"])
            }
            throw BearerTokenAuthenticator<Context>.unauthorized("This route needs an access token (Authorization: Bearer <token>).")
        }
        guard case .scope(let scope) = requirement else { return try await next(request, context) }
        guard caller.scopes.contains(scope) else {
            throw HTTPProblem(
                .forbidden, "The access token lacks the scope \(scope.rawValue).",
                headers: ["WWW-Authenticate": "Bearer realm=\"customerflow\", error=\"insufficient_scope\", scope=\"\(scope.rawValue)\""])
        }
        return try await next(request, context)
    }
}
