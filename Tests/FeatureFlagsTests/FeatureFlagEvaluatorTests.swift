import FeatureFlags
import Foundation
import Logging
import Synchronization
import Testing

@Suite("Feature flag evaluation")
struct FeatureFlagEvaluatorTests {
    static func evaluator(_ flags: [String: FeatureFlag], now: Date = Date(), logger: Logger = Logger(label: "flags-test", factory: { _ in SwiftLogNoOpLogHandler() })) -> FeatureFlagEvaluator {
        FeatureFlagEvaluator(source: FeatureFlagSnapshot(flags), seed: "test-seed", logger: logger, now: { now })
    }

    static let ids = (0..<10_000).map { "customer-\($0)" }

    @Test("a percentage rollout is sticky per identity and lands within 2 points of its target over 10,000 ids")
    func percentageIsStickyAndDistributed() {
        for target in [5.0, 30, 50, 90] {
            let flags = Self.evaluator(["rollout": .filtered(.any, [.percentage(target)])])
            let enabled = Self.ids.filter { flags.isEnabled("rollout", for: FeatureContext(targetingKey: $0)) }
            let share = Double(enabled.count) / Double(Self.ids.count) * 100
            #expect(abs(share - target) <= 2, "\(share)% enabled for a \(target)% rollout")
            // The same ids again, in another evaluator (another process): the same answers.
            let again = Self.evaluator(["rollout": .filtered(.any, [.percentage(target)])])
            #expect(enabled.allSatisfy { again.isEnabled("rollout", for: FeatureContext(targetingKey: $0)) })
        }
        // A user wins over the targeting key: the answer follows the user across customers.
        let flags = Self.evaluator(["rollout": .filtered(.any, [.percentage(50)])])
        let answers = Set((0..<50).map { flags.isEnabled("rollout", for: FeatureContext(user: "alice", targetingKey: "customer-\($0)")) })
        #expect(answers.count == 1)
    }

    @Test("different flags spread the same ids independently; 0 and 100 are exact; no identity is outside a partial rollout")
    func percentageEdges() {
        let flags = Self.evaluator(["a": .filtered(.any, [.percentage(50)]), "b": .filtered(.any, [.percentage(50)]),
                                    "none": .filtered(.any, [.percentage(0)]), "all": .filtered(.any, [.percentage(100)])])
        let both = Self.ids.filter { flags.isEnabled("a", for: FeatureContext(targetingKey: $0)) && flags.isEnabled("b", for: FeatureContext(targetingKey: $0)) }
        #expect(abs(Double(both.count) / 100 - 25) <= 2, "\(both.count) of 10,000 in both 50 % rollouts")
        #expect(!Self.ids.contains { flags.isEnabled("none", for: FeatureContext(targetingKey: $0)) })
        #expect(Self.ids.allSatisfy { flags.isEnabled("all", for: FeatureContext(targetingKey: $0)) })
        #expect(!flags.isEnabled("a"))
        #expect(flags.isEnabled("all"))
    }

    @Test("a time window includes its start and excludes its end; either side may be open")
    func timeWindowEdges() {
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        let end = start.addingTimeInterval(3600)
        let window: [String: FeatureFlag] = [
            "window": .filtered(.any, [.timeWindow(start: start, end: end)]),
            "from": .filtered(.any, [.timeWindow(start: start, end: nil)]),
            "until": .filtered(.any, [.timeWindow(start: nil, end: end)]),
        ]
        func on(_ flag: String, at instant: Date) -> Bool { Self.evaluator(window, now: instant).isEnabled(flag) }
        #expect(!on("window", at: start.addingTimeInterval(-0.001)))
        #expect(on("window", at: start))
        #expect(on("window", at: end.addingTimeInterval(-0.001)))
        #expect(!on("window", at: end))
        #expect(on("from", at: end.addingTimeInterval(1e6)) && !on("from", at: start.addingTimeInterval(-1)))
        #expect(on("until", at: start.addingTimeInterval(-1e6)) && !on("until", at: end))
    }

    @Test("targeting: listed users are in, exclusions win over everything, groups roll out at their own percentage, others at the default")
    func targeting() {
        let targeting = FeatureTargeting(
            users: ["ana", "bruno"], groups: ["beta": 100, "staff": 0, "pilot": 40], defaultRolloutPercentage: 10,
            excludedUsers: ["bruno"], excludedGroups: ["banned"])
        let flags = Self.evaluator(["t": .filtered(.any, [.targeting(targeting)])])
        #expect(flags.isEnabled("t", for: FeatureContext(user: "ana")))
        #expect(!flags.isEnabled("t", for: FeatureContext(user: "bruno")))
        #expect(!flags.isEnabled("t", for: FeatureContext(user: "ana", groups: ["banned"])))
        #expect(flags.isEnabled("t", for: FeatureContext(user: "carla", groups: ["beta"])))
        #expect(!flags.isEnabled("t", for: FeatureContext(user: "carla", groups: ["beta", "banned"])))
        let pilots = Self.ids.filter { flags.isEnabled("t", for: FeatureContext(user: $0, groups: ["pilot"])) }.count
        // 40 % of the group, plus the default 10 % of those the group rollout left out: 46 %.
        #expect(abs(Double(pilots) / 100 - 46) <= 2, "\(pilots) of 10,000 pilots")
        let others = Self.ids.filter { flags.isEnabled("t", for: FeatureContext(user: $0)) }.count
        #expect(abs(Double(others) / 100 - 10) <= 2, "\(others) of 10,000 at the 10 % default")
        let staff = Self.ids.filter { flags.isEnabled("t", for: FeatureContext(user: $0, groups: ["staff"])) }.count
        #expect(abs(Double(staff) / 100 - 10) <= 2, "a 0 % group leaves its members to the default rollout")
        #expect(!flags.isEnabled("t"))
    }

    @Test("requirement all needs every filter, any needs one; a flag with no filters is off; fixed flags are what they say")
    func requirements() {
        let inWindow = FeatureFilter.timeWindow(start: nil, end: nil)
        let nobody = FeatureFilter.percentage(0)
        let flags = Self.evaluator([
            "any": .filtered(.any, [nobody, inWindow]), "all": .filtered(.all, [nobody, inWindow]),
            "allPass": .filtered(.all, [inWindow, .percentage(100)]), "empty": .filtered(.any, []),
            "on": .fixed(true), "off": .fixed(false),
        ])
        #expect(flags.isEnabled("any"))
        #expect(!flags.isEnabled("all"))
        #expect(flags.isEnabled("allPass"))
        #expect(!flags.isEnabled("empty"))
        #expect(flags.isEnabled("on") && !flags.isEnabled("off"))
    }

    @Test("an unknown flag is off and logged once")
    func unknownFlagLoggedOnce() {
        let recorder = LineRecorder()
        let logger = Logger(label: "flags-test") { _ in RecordingLogHandler(recorder: recorder) }
        let flags = Self.evaluator([:], logger: logger)
        #expect(!flags.isEnabled("nope"))
        #expect(!flags.isEnabled("nope"))
        #expect(!flags.isEnabled("other"))
        #expect(recorder.lines == ["unknown feature flag: disabled nope", "unknown feature flag: disabled other"])
    }

    @Test("replacing the definitions changes the answer at once")
    func replacingDefinitions() {
        let snapshot = FeatureFlagSnapshot(["f": .fixed(false)])
        let flags = FeatureFlagEvaluator(source: snapshot, logger: Logger(label: "x", factory: { _ in SwiftLogNoOpLogHandler() }))
        #expect(!flags.isEnabled("f"))
        snapshot.replace(with: ["f": .fixed(true)])
        #expect(flags.isEnabled("f"))
    }
}

/// Keeps what was logged, as "message metadata-values".
final class LineRecorder: Sendable {
    private let recorded = Mutex<[String]>([])
    var lines: [String] { recorded.withLock { $0 } }
    func append(_ line: String) { recorded.withLock { $0.append(line) } }
}

struct RecordingLogHandler: LogHandler {
    let recorder: LineRecorder
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let values = (event.metadata ?? [:]).sorted { $0.key < $1.key }.map { "\($0.value)" }
        recorder.append(([event.message.description] + values).joined(separator: " "))
    }
}
