import Foundation
import Hummingbird

/// Port: whether the service can serve traffic now (the database answers, the schema is
/// current). The composition root supplies it.
public protocol ReadinessCheck: Sendable {
    /// `nil` when ready, else why not (for the operator, never personal data).
    func unreadyReason() async -> String?
}

/// `/health/live` (the process runs) and `/health/ready` (it can serve: 200, else 503).
public struct HealthController<Context: RequestContext>: Sendable {
    let readiness: any ReadinessCheck

    public init(readiness: any ReadinessCheck) {
        self.readiness = readiness
    }

    public var endpoints: RouteCollection<Context> {
        let routes = RouteCollection(context: Context.self)
        routes.get("live") { _, _ in
            JSONResponses.make(.ok, body: Data("{\"status\":\"ok\"}".utf8))
        }
        routes.get("ready") { _, _ in
            if let reason = await readiness.unreadyReason() {
                throw HTTPProblem(.unavailable, "Not ready: \(reason)")
            }
            return JSONResponses.make(.ok, body: Data("{\"status\":\"ready\"}".utf8))
        }
        return routes
    }
}
