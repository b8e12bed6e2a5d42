import Foundation

/// How one flag is decided: fixed on or off, or by filters (Microsoft.FeatureManagement's model).
public enum FeatureFlag: Hashable, Sendable {
    case fixed(Bool)
    /// `any`: enabled when one filter says so; `all`: when every filter does. No filters: disabled.
    case filtered(FeatureRequirement, [FeatureFilter])
}

public enum FeatureRequirement: String, Hashable, Sendable {
    case any, all
}

/// One condition a flag can depend on.
public enum FeatureFilter: Hashable, Sendable {
    /// Enabled for `value` percent of callers, sticky per customer or user (see ``FeatureBucket``).
    case percentage(Double)
    /// Enabled from `start` (inclusive) until `end` (exclusive); either may be open.
    case timeWindow(start: Date?, end: Date?)
    case targeting(FeatureTargeting)
}

/// Who sees a flag: named users, groups each with its own rollout, everyone else at the default
/// rollout, and exclusions that win over all of it.
public struct FeatureTargeting: Hashable, Sendable {
    public var users: [String]
    /// Group name → rollout percentage within the group.
    public var groups: [String: Double]
    public var defaultRolloutPercentage: Double
    public var excludedUsers: [String]
    public var excludedGroups: [String]

    public init(
        users: [String] = [], groups: [String: Double] = [:], defaultRolloutPercentage: Double = 0,
        excludedUsers: [String] = [], excludedGroups: [String] = []
    ) {
        self.users = users
        self.groups = groups
        self.defaultRolloutPercentage = defaultRolloutPercentage
        self.excludedUsers = excludedUsers
        self.excludedGroups = excludedGroups
    }
}
