import HTTPTypes

/// Which scope each route needs: the authorization table of the whole API, in one place so that
/// it can be read (and tested) as a table.
///
/// - Important: every path under `/v1/` and `/admin` needs a token; only the operational routes
///   listed in ``required(method:path:)`` are public. A new route under those prefixes is
///   protected by default.
public struct AccessPolicy: Sendable {
    /// Whether `GET /metrics` is served without a token (`auth.metricsPublic`): Prometheus
    /// scrapes it from inside the cluster.
    public var metricsPublic: Bool

    public init(metricsPublic: Bool = true) {
        self.metricsPublic = metricsPublic
    }

    /// What a request needs.
    public enum Requirement: Hashable, Sendable {
        /// No token at all: health probes, the OpenAPI document, public metrics, unknown paths
        /// (which answer 404).
        case none
        case scope(AccessScope)
    }

    /// The requirement of `method path`; `path` without its query string.
    public func required(method: HTTPRequest.Method, path: String) -> Requirement {
        let segments = path.split(separator: "/", omittingEmptySubsequences: true)
        guard let first = segments.first else { return .none }
        switch first {
        case "admin":
            return .scope(.admin)
        case "metrics" where segments.count == 1:
            return metricsPublic ? .none : .scope(.admin)
        case "v1":
            break
        default:
            return .none
        }
        // /v1/customers/{id} (DELETE: erasure) and /v1/customers/{id}/export.
        if segments.count == 3, method == .delete { return .scope(.customersErase) }
        if segments.count == 4, segments[3] == "export" { return .scope(.customersErase) }
        switch method {
        case .get, .head, .options: return .scope(.customersRead)
        default: return .scope(.customersWrite)
        }
    }
}
