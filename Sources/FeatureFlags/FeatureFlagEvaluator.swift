import Foundation
import Logging
import Synchronization

/// Answers "is this flag on for this caller now?" from the current definitions.
///
/// - Important: A flag nobody defined is off, and logged once per name (a typo in a gate must
///   not pass silently). Evaluation is pure apart from that log and the clock; it never throws.
public final class FeatureFlagEvaluator: Sendable {
    private let source: any FeatureFlagSource
    private let seed: String
    private let logger: Logger
    private let now: @Sendable () -> Date
    private let reportedUnknown = Mutex<Set<String>>([])

    public init(source: any FeatureFlagSource, seed: String = "customerflow", logger: Logger, now: @escaping @Sendable () -> Date = Date.init) {
        self.source = source
        self.seed = seed
        self.logger = logger
        self.now = now
    }

    /// Every defined flag, by name.
    public var flags: [String: FeatureFlag] { source.flags }

    public func isEnabled(_ name: String, for context: FeatureContext = FeatureContext()) -> Bool {
        guard let flag = source.flags[name] else {
            let first = reportedUnknown.withLock { $0.insert(name).inserted }
            if first { logger.warning("unknown feature flag: disabled", metadata: ["flag": "\(name)"]) }
            return false
        }
        return evaluate(flag, name: name, context: context)
    }

    func evaluate(_ flag: FeatureFlag, name: String, context: FeatureContext) -> Bool {
        switch flag {
        case .fixed(let enabled):
            return enabled
        case .filtered(let requirement, let filters):
            guard !filters.isEmpty else { return false }
            switch requirement {
            case .any: return filters.contains { passes($0, name: name, context: context) }
            case .all: return filters.allSatisfy { passes($0, name: name, context: context) }
            }
        }
    }

    private func passes(_ filter: FeatureFilter, name: String, context: FeatureContext) -> Bool {
        switch filter {
        case .percentage(let value):
            // Without an identity nothing can stick: the caller is treated as outside the rollout.
            guard let identity = context.stickyKey else { return value >= 100 }
            return FeatureBucket.position(seed: seed, flag: name, identity: identity) < value
        case .timeWindow(let start, let end):
            let instant = now()
            if let start, instant < start { return false }
            if let end, instant >= end { return false }
            return true
        case .targeting(let targeting):
            return targets(targeting, name: name, context: context)
        }
    }

    private func targets(_ targeting: FeatureTargeting, name: String, context: FeatureContext) -> Bool {
        if let user = context.user, targeting.excludedUsers.contains(user) { return false }
        if context.groups.contains(where: targeting.excludedGroups.contains) { return false }
        if let user = context.user, targeting.users.contains(user) { return true }
        guard let identity = context.stickyKey else { return false }
        for group in context.groups {
            guard let rollout = targeting.groups[group] else { continue }
            if FeatureBucket.position(seed: seed, flag: "\(name)\n\(group)", identity: identity) < rollout { return true }
        }
        return FeatureBucket.position(seed: seed, flag: name, identity: identity) < targeting.defaultRolloutPercentage
    }
}
