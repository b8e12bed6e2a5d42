import HTTPTypes

/// Which scope each route needs: the authorization table of the whole API, in one place so that
/// it can be read (and tested) as a table.
///
/// - Important: deny by default. Only the operational routes — `/health/*`, `/openapi.json` and,
///   unless configured otherwise, `/metrics` — and the dashboard's sign-in are public; any other path needs at least a valid
///   token, so a route added later is never public by accident.
public struct AccessPolicy: Sendable {
    /// Whether `GET /metrics` is served without a token (`auth.metricsPublic`): Prometheus
    /// scrapes it from inside the cluster.
    public var metricsPublic: Bool

    public init(metricsPublic: Bool = true) {
        self.metricsPublic = metricsPublic
    }

    /// What a request needs.
    public enum Requirement: Hashable, Sendable {
        /// No token at all: health probes, the OpenAPI document, public metrics.
        case none
        /// Any valid token: paths no route serves (they answer 404 once the caller is known).
        case authenticated
        case scope(AccessScope)
    }

    /// The requirement of `method path`; `path` without its query string, read by segments as
    /// the router reads it (empty segments ignored).
    public func required(method: HTTPRequest.Method, path: String) -> Requirement {
        let segments = path.split(separator: "/", omittingEmptySubsequences: true)
        switch segments.first {
        case "health": return .none
        case "openapi.json" where segments.count == 1: return .none
        case "metrics" where segments.count == 1: return metricsPublic ? .none : .scope(.admin)
        case "admin" where segments.count == 2 && (segments[1] == "login" || segments[1] == "logout"): return .none
        case "admin": return .scope(.admin)
        case "v1" where segments.count >= 2 && segments[1] == "customers": break
        default: return .authenticated
        }
        // /v1/customers/{id} (DELETE: erasure) and /v1/customers/{id}/export.
        if segments.count == 3, method == .delete { return .scope(.customersErase) }
        if segments.count == 4, segments[3] == "export" { return .scope(.customersErase) }
        switch method {
        case .get, .head: return .scope(.customersRead)
        default: return .scope(.customersWrite)
        }
    }
}
