import Configuration
import FeatureFlags
import Foundation
import Testing

@Suite("Feature flag configuration")
struct FeatureFlagConfigurationTests {
    static func reader(_ values: [String: ConfigValue]) -> ConfigReader {
        ConfigReader(provider: InMemoryProvider(values: Dictionary(uniqueKeysWithValues: values.map { (AbsoluteConfigKey(ConfigKey($0.key)), $0.value) })))
    }

    @Test("true, false and filter objects are read; flags not configured keep their defaults")
    func readsEveryShape() throws {
        let reader = Self.reader([
            "featureFlags.simple": .init(.bool(false), isSecret: false),
            "featureFlags.rollout.requirement": .init(.string("all"), isSecret: false),
            "featureFlags.rollout.filters.percentage.value": .init(.int(25), isSecret: false),
            "featureFlags.rollout.filters.timeWindow.start": .init(.string("2026-12-01T00:00:00Z"), isSecret: false),
            "featureFlags.rollout.filters.targeting.users": .init(.stringArray(["ana"]), isSecret: false),
            "featureFlags.rollout.filters.targeting.groups.beta": .init(.double(20), isSecret: false),
            "featureFlags.rollout.filters.targeting.defaultRolloutPercentage": .init(.int(5), isSecret: false),
            "featureFlags.rollout.filters.targeting.exclusion.groups": .init(.stringArray(["banned"]), isSecret: false),
        ])
        let flags = try FeatureFlagConfiguration.read(
            reader, names: ["simple", "rollout"], defaults: ["product": .fixed(true), "simple": .fixed(true)], groups: { $0 == "rollout" ? ["beta"] : [] })
        #expect(flags["simple"] == .fixed(false))
        #expect(flags["product"] == .fixed(true))
        #expect(flags["rollout"] == .filtered(.all, [
            .percentage(25),
            .timeWindow(start: Date(timeIntervalSince1970: 1_796_083_200), end: nil),
            .targeting(FeatureTargeting(users: ["ana"], groups: ["beta": 20], defaultRolloutPercentage: 5, excludedGroups: ["banned"])),
        ]))
    }

    @Test("a value that is present but wrong is an error naming its key")
    func wrongValuesAreErrors() {
        let cases: [(String, ConfigValue, String)] = [
            ("featureFlags.f.filters.percentage.value", .init(.int(150), isSecret: false), "featureFlags.f.filters.percentage.value"),
            ("featureFlags.f.filters.percentage.value", .init(.string("half"), isSecret: false), "featureFlags.f.filters.percentage.value"),
            ("featureFlags.f.requirement", .init(.string("most"), isSecret: false), "featureFlags.f.requirement"),
            ("featureFlags.f.filters.timeWindow.start", .init(.string("tomorrow"), isSecret: false), "featureFlags.f.filters.timeWindow.start"),
        ]
        for (key, value, named) in cases {
            #expect { try FeatureFlagConfiguration.read(Self.reader([key: value]), names: ["f"]) } throws: { "\($0)".contains(named) }
        }
        let backwards = Self.reader([
            "featureFlags.f.filters.timeWindow.start": .init(.string("2026-12-02T00:00:00Z"), isSecret: false),
            "featureFlags.f.filters.timeWindow.end": .init(.string("2026-12-01T00:00:00Z"), isSecret: false),
        ])
        #expect { try FeatureFlagConfiguration.read(backwards, names: ["f"]) } throws: { "\($0)".contains("end must be after start") }
    }
}
