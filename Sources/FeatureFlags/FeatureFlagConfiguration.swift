import Configuration
import Foundation

/// Reads flag definitions from configuration: `featureFlags.<name>` is `true`, `false`, or
/// `{"requirement": "any"|"all", "filters": {"percentage": {"value": 50}, "timeWindow": {"start",
/// "end"}, "targeting": {"users", "groups": {"<group>": <rollout>}, "defaultRolloutPercentage",
/// "exclusion": {"users", "groups"}}}}`. Each filter at most once; objects, not arrays of objects
/// (swift-configuration reads no arrays of objects).
///
/// - Important: A definition that is present but wrong is an error naming the key, never a
///   silent "off": a reload that fails keeps the definitions already in force.
public enum FeatureFlagConfiguration {
    public struct Invalid: Error, Hashable, Sendable, CustomStringConvertible {
        public let description: String
        public init(_ description: String) { self.description = description }
    }

    /// - Parameters:
    ///   - names: the flags to read (those the product uses and those the file names).
    ///   - defaults: what a flag that is not configured is (the product's flags: enabled).
    ///   - groups: the group names under a flag's `targeting.groups`, which configuration cannot
    ///     list by itself.
    public static func read(
        _ reader: ConfigReader, names: some Sequence<String>, defaults: [String: FeatureFlag] = [:],
        groups: (String) -> [String] = { _ in [] }
    ) throws -> [String: FeatureFlag] {
        var flags = defaults
        for name in Set(names).union(defaults.keys) {
            if let flag = try read(reader, name: name, groups: groups(name)) { flags[name] = flag }
        }
        return flags
    }

    static func read(_ reader: ConfigReader, name: String, groups: [String]) throws -> FeatureFlag? {
        let base = "featureFlags.\(name)"
        if let fixed = try optional(base, { try reader.requiredBool(forKey: ConfigKey(base)) }, "true or false, or an object") {
            return .fixed(fixed)
        }
        let filtersKey = "\(base).filters"
        var filters: [FeatureFilter] = []
        if let value = try number(reader, "\(filtersKey).percentage.value") {
            filters.append(.percentage(try percentage(value, key: "\(filtersKey).percentage.value")))
        }
        let start = try date(reader, "\(filtersKey).timeWindow.start")
        let end = try date(reader, "\(filtersKey).timeWindow.end")
        if start != nil || end != nil {
            if let start, let end, end <= start { throw Invalid("\(filtersKey).timeWindow: end must be after start") }
            filters.append(.timeWindow(start: start, end: end))
        }
        let targetingKey = "\(filtersKey).targeting"
        let users = try strings(reader, "\(targetingKey).users")
        let excludedUsers = try strings(reader, "\(targetingKey).exclusion.users")
        let excludedGroups = try strings(reader, "\(targetingKey).exclusion.groups")
        let rollout = try number(reader, "\(targetingKey).defaultRolloutPercentage")
        var groupRollouts: [String: Double] = [:]
        for group in groups {
            let key = "\(targetingKey).groups.\(group)"
            if let value = try number(reader, key) {
                groupRollouts[group] = try percentage(value, key: key)
            }
        }
        if users != nil || excludedUsers != nil || excludedGroups != nil || rollout != nil || !groupRollouts.isEmpty {
            filters.append(.targeting(FeatureTargeting(
                users: users ?? [], groups: groupRollouts,
                defaultRolloutPercentage: try percentage(rollout ?? 0, key: "\(targetingKey).defaultRolloutPercentage"),
                excludedUsers: excludedUsers ?? [], excludedGroups: excludedGroups ?? [])))
        }
        let requirementText = try optional("\(base).requirement", { try reader.requiredString(forKey: ConfigKey("\(base).requirement")) }, "any or all")
        guard let requirement = FeatureRequirement(rawValue: (requirementText ?? "any").lowercased()) else {
            throw Invalid("\(base).requirement must be any or all")
        }
        guard requirementText != nil || !filters.isEmpty else { return nil }
        return .filtered(requirement, filters)
    }

    /// A value that may be absent; present with the wrong type is an error.
    private static func optional<T>(_ key: String, _ read: () throws -> T, _ expected: String) throws -> T? {
        do {
            return try read()
        } catch {
            // swift-configuration reports "missing" and "wrong type" with one internal error type.
            if String(describing: error).hasPrefix("Missing required") { return nil }
            throw Invalid("\(key) must be \(expected)")
        }
    }

    /// A number written either way: `50` or `12.5` (configuration keeps the two apart).
    private static func number(_ reader: ConfigReader, _ key: String) throws -> Double? {
        if let whole = try? optional(key, { try reader.requiredInt(forKey: ConfigKey(key)) }, "a number") { return Double(whole) }
        return try optional(key, { try reader.requiredDouble(forKey: ConfigKey(key)) }, "a number")
    }

    private static func strings(_ reader: ConfigReader, _ key: String) throws -> [String]? {
        try optional(key, { try reader.requiredStringArray(forKey: ConfigKey(key)) }, "a list of strings")
    }

    private static func date(_ reader: ConfigReader, _ key: String) throws -> Date? {
        guard let text = try optional(key, { try reader.requiredString(forKey: ConfigKey(key)) }, "an RFC 3339 time") else { return nil }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions = [.withInternetDateTime]
        guard let date = formatter.date(from: text) else { throw Invalid("\(key) must be an RFC 3339 time, like 2026-12-01T00:00:00Z") }
        return date
    }

    private static func percentage(_ value: Double, key: String) throws -> Double {
        guard (0...100).contains(value) else { throw Invalid("\(key) must be between 0 and 100") }
        return value
    }
}
