import FeatureFlags
import Foundation
import Hummingbird

/// `GET /admin/features`: every flag, its definition and what it answers for the caller now.
/// `?user=&groups=a,b&key=` evaluates for another caller instead, to check a rollout before
/// relying on it.
public struct FeaturesController<Context: RequestContext>: Sendable {
    let flags: FeatureFlagEvaluator

    public init(flags: FeatureFlagEvaluator) {
        self.flags = flags
    }

    public var endpoints: RouteCollection<Context> {
        let routes = RouteCollection(context: Context.self)
        routes.get(use: list)
        return routes
    }

    struct FlagBody: Encodable {
        let name: String
        let enabled: Bool
        let definition: FeatureFlagDefinitionBody
    }

    struct ListBody: Encodable {
        let flags: [FlagBody]
    }

    @Sendable func list(_ request: Request, context: Context) async throws -> Response {
        let query = request.uri.queryParameters
        var caller = FeatureCaller.context(of: request)
        if let user = query.get("user"), !user.isEmpty { caller.user = user }
        if let groups = query.get("groups"), !groups.isEmpty { caller.groups = groups.split(separator: ",").map(String.init) }
        if let key = query.get("key"), !key.isEmpty { caller.targetingKey = key }
        let body = flags.flags.sorted { $0.key < $1.key }.map { name, flag in
            FlagBody(name: name, enabled: flags.isEnabled(name, for: caller), definition: FeatureFlagDefinitionBody(flag))
        }
        return try JSONResponses.make(.ok, ListBody(flags: body))
    }
}

/// A flag's definition in the configuration's own shape: `true`, `false` or
/// `{"requirement", "filters": {…}}`.
struct FeatureFlagDefinitionBody: Encodable {
    let flag: FeatureFlag

    init(_ flag: FeatureFlag) { self.flag = flag }

    enum Keys: String, CodingKey {
        case requirement, filters, percentage, timeWindow, targeting, value, start, end, users, groups, defaultRolloutPercentage, exclusion
    }

    struct Name: CodingKey {
        let stringValue: String
        init(_ name: String) { stringValue = name }
        init?(stringValue: String) { self.stringValue = stringValue }
        var intValue: Int? { nil }
        init?(intValue: Int) { nil }
    }

    func encode(to encoder: any Encoder) throws {
        switch flag {
        case .fixed(let enabled):
            var single = encoder.singleValueContainer()
            try single.encode(enabled)
        case .filtered(let requirement, let filters):
            var container = encoder.container(keyedBy: Keys.self)
            try container.encode(requirement.rawValue, forKey: .requirement)
            var nested = container.nestedContainer(keyedBy: Keys.self, forKey: .filters)
            for filter in filters {
                switch filter {
                case .percentage(let value):
                    var percentage = nested.nestedContainer(keyedBy: Keys.self, forKey: .percentage)
                    try percentage.encode(value, forKey: .value)
                case .timeWindow(let start, let end):
                    var window = nested.nestedContainer(keyedBy: Keys.self, forKey: .timeWindow)
                    let formatter = ISO8601DateFormatter()
                    try window.encodeIfPresent(start.map(formatter.string(from:)), forKey: .start)
                    try window.encodeIfPresent(end.map(formatter.string(from:)), forKey: .end)
                case .targeting(let targeting):
                    var target = nested.nestedContainer(keyedBy: Keys.self, forKey: .targeting)
                    try target.encode(targeting.users, forKey: .users)
                    var groups = target.nestedContainer(keyedBy: Name.self, forKey: .groups)
                    for (group, rollout) in targeting.groups.sorted(by: { $0.key < $1.key }) { try groups.encode(rollout, forKey: Name(group)) }
                    try target.encode(targeting.defaultRolloutPercentage, forKey: .defaultRolloutPercentage)
                    var exclusion = target.nestedContainer(keyedBy: Keys.self, forKey: .exclusion)
                    try exclusion.encode(targeting.excludedUsers, forKey: .users)
                    try exclusion.encode(targeting.excludedGroups, forKey: .groups)
                }
            }
        }
    }
}
