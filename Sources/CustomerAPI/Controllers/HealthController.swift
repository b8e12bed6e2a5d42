import Foundation
import Hummingbird

/// Port: whether the service can serve traffic now, component by component. The composition
/// root supplies it.
public protocol ReadinessCheck: Sendable {
    /// Every component's state.
    ///
    /// - Important: Must answer within a few seconds whatever the components do (a probe that
    ///   hangs is a failed probe to an orchestrator), and never put personal data in a detail.
    func report() async -> ReadinessReport
}

/// One part of readiness: the database, the broker, the relay's lag…
public struct ComponentHealth: Hashable, Sendable {
    public enum Status: String, Hashable, Sendable { case up, degraded, down }

    public var status: Status
    /// Whether the service cannot serve without it: a required component down makes readiness
    /// fail (503); anything else down or degraded leaves it serving, `degraded`.
    public var required: Bool
    /// Why it is not up, for the operator.
    public var detail: String?
    /// Figures worth showing next to the status (`oldestPendingAgeSeconds`, `maxLagSeconds`).
    public var values: [String: Double]

    public init(_ status: Status, required: Bool, detail: String? = nil, values: [String: Double] = [:]) {
        self.status = status
        self.required = required
        self.detail = detail
        self.values = values
    }
}

/// The readiness of the whole service, from its components.
public struct ReadinessReport: Sendable {
    public enum Status: String, Sendable { case ready, degraded, unavailable }

    public var components: [(name: String, health: ComponentHealth)]

    public init(components: [(name: String, health: ComponentHealth)]) {
        self.components = components
    }

    public var status: Status {
        if components.contains(where: { $0.health.required && $0.health.status == .down }) { return .unavailable }
        if components.contains(where: { $0.health.status != .up }) { return .degraded }
        return .ready
    }

    /// `{"name": {"status": …, "required": …, "detail"?: …, values…}}`.
    var componentsJSON: [String: Any] {
        var object: [String: Any] = [:]
        for (name, health) in components {
            var entry: [String: Any] = ["status": health.status.rawValue, "required": health.required]
            if let detail = health.detail { entry["detail"] = detail }
            for (key, value) in health.values { entry[key] = value }
            object[name] = entry
        }
        return object
    }
}

/// `/health/live` (the process runs) and `/health/ready`: 200 `ready` or `degraded` (serving, with
/// something to look at), 503 `unavailable` as a problem; both with the state of every component.
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
        routes.get("ready") { request, _ in
            let report = await readiness.report()
            switch report.status {
            case .ready, .degraded:
                let body: [String: Any] = ["status": report.status.rawValue, "components": report.componentsJSON]
                return JSONResponses.make(.ok, body: try JSONSerialization.data(withJSONObject: body, options: [.sortedKeys]))
            case .unavailable:
                let down = report.components.filter { $0.health.required && $0.health.status == .down }.map(\.name)
                let problem = ProblemDetails(
                    .unavailable, detail: "Not ready: \(down.joined(separator: ", ")) down.", instance: request.uri.path)
                var body = try JSONSerialization.jsonObject(with: JSONEncoder().encode(problem)) as? [String: Any] ?? [:]
                body["components"] = report.componentsJSON
                var response = JSONResponses.make(.serviceUnavailable, body: try JSONSerialization.data(withJSONObject: body, options: [.sortedKeys]))
                response.headers[.contentType] = "application/problem+json"
                return response
            }
        }
        return routes
    }
}
