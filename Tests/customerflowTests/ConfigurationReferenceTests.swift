import Configuration
import Foundation
import Synchronization
import Testing

@testable import customerflow

/// The configuration reference and the deployment files stay true to the code's own definitions
/// (issue 10): a key added, renamed or dropped in the code fails here until the docs and the
/// manifests follow.
@Suite("Configuration reference")
struct ConfigurationReferenceTests {
    /// The repository's root, from this file's place in it.
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func text(_ path: String) throws -> String {
        try String(contentsOf: root.appendingPathComponent(path), encoding: .utf8)
    }

    /// Records every key a reader is asked for.
    final class KeyRecorder: AccessReporter {
        private let keys = Mutex<Set<String>>([])
        func report(_ event: AccessEvent) { _ = keys.withLock { $0.insert(event.metadata.key.components.joined(separator: ".")) } }
        var read: Set<String> { keys.withLock { $0 } }
    }

    /// `KEY: "value"` lines of a manifest's flat string map (`data:` or `stringData:`).
    static func stringMap(_ yaml: String) -> [String: String] {
        var values: [String: String] = [:]
        for line in yaml.split(separator: "\n") {
            guard let match = line.wholeMatch(of: #/\ {2}([A-Z][A-Z0-9_]*):\ "([^"]*)"(\s+\#.*)?/#) else { continue }
            values[String(match.1)] = String(match.2)
        }
        return values
    }

    static let documented = Set(CustomerFlowConfiguration.settings.map(\.key))

    @Test("every key the loader reads is a listed setting (or a product feature flag), and every listed setting is read")
    func settingsAreWhatTheLoaderReads() throws {
        let recorder = KeyRecorder()
        _ = try CustomerFlowConfiguration.load(from: ConfigReader(providers: [InMemoryProvider(values: [:])], accessReporter: recorder))
        let flags = CustomerFlowConfiguration.featureFlagSettings.map(\.key)
        let unlisted = recorder.read.filter { key in !Self.documented.contains(key) && !flags.contains { key == $0 || key.hasPrefix($0 + ".") } }
        #expect(unlisted.isEmpty, "read but not in CustomerFlowConfiguration.settings: \(unlisted.sorted())")
        #expect(Self.documented.subtracting(recorder.read).isEmpty, "listed but never read: \(Self.documented.subtracting(recorder.read).sorted())")
        #expect(Set(flags).isSubset(of: recorder.read))
        #expect(Set(CustomerFlowConfiguration.settings.map(\.environmentVariable)).count == CustomerFlowConfiguration.settings.count)
    }

    @Test("README.md and deploy/README.md carry the reference `customerflow settings` prints, unchanged",
          arguments: ["README.md", "deploy/README.md"])
    func docsCarryTheGeneratedReference(path: String) throws {
        let text = try Self.text(path)
        #expect(text.contains(ConfigurationReference.markdown()),
                "\(path) has no copy, or a stale one, of the configuration reference: run scripts/update-config-docs")
        for setting in CustomerFlowConfiguration.settings {
            #expect(text.contains("`\(setting.environmentVariable)`"))
        }
    }

    @Test("the ConfigMap and the Secret set every setting — secrets only in the Secret — and name no unknown variable")
    func manifestsSetEverySetting() throws {
        let configMap = Self.stringMap(try Self.text("deploy/k8s/configmap.yaml"))
        let secret = Self.stringMap(try Self.text("deploy/k8s/secret.yaml"))
        for setting in CustomerFlowConfiguration.settings + CustomerFlowConfiguration.featureFlagSettings {
            let home = setting.isSecret ? secret : configMap
            let other = setting.isSecret ? configMap : secret
            #expect(home[setting.environmentVariable] != nil, "\(setting.environmentVariable) is missing from the \(setting.isSecret ? "Secret" : "ConfigMap")")
            #expect(other[setting.environmentVariable] == nil, "\(setting.environmentVariable) belongs in the \(setting.isSecret ? "Secret" : "ConfigMap") only")
        }
        let configMapText = try Self.text("deploy/k8s/configmap.yaml")
        for variable in TelemetryVariable.allCases {
            #expect(configMapText.contains(variable.rawValue), "the ConfigMap does not mention \(variable.rawValue)")
        }
    }

    /// The ConfigMap's deliberate departures from the code's defaults (deploy/README.md says why).
    static let configMapOverrides: Set<String> = ["CUSTOMERFLOW_HTTP_HOST", "CUSTOMERFLOW_EVENT_BUS_TRANSPORT", "CUSTOMERFLOW_DATABASE_POOL_SIZE"]

    @Test("the ConfigMap's values are the code's defaults, but for the overrides the docs explain: a changed default reaches it")
    func configMapCarriesTheDefaults() throws {
        let configMap = Self.stringMap(try Self.text("deploy/k8s/configmap.yaml"))
        for setting in CustomerFlowConfiguration.settings + CustomerFlowConfiguration.featureFlagSettings where !setting.isSecret {
            guard let value = configMap[setting.environmentVariable], !Self.configMapOverrides.contains(setting.environmentVariable) else { continue }
            // A computed default (`shownDefault`) is left empty, which the loader reads as unset.
            let expected = setting.shownDefault == nil ? setting.defaultValue : ""
            #expect(value == expected, "\(setting.environmentVariable) is \"\(value)\" in the ConfigMap, the code's default is \"\(expected)\"")
        }
        for name in Self.configMapOverrides {
            let setting = try #require(CustomerFlowConfiguration.settings.first { $0.environmentVariable == name })
            #expect(configMap[name] != setting.defaultValue, "\(name) is listed as an override but carries the default")
        }
    }

    @Test("each setting's documented environment variable is the one swift-configuration's environment provider reads for its key")
    func environmentNamesAreTheProvidersOwn() throws {
        for setting in CustomerFlowConfiguration.settings + CustomerFlowConfiguration.featureFlagSettings {
            let provider = EnvironmentVariablesProvider(environmentVariables: [setting.environmentVariable: "marker-value"]).prefixKeys(with: "customerflow")
            let reader = ConfigReader(providers: [provider])
            #expect(reader.string(forKey: ConfigKey(setting.key)) == "marker-value", "\(setting.environmentVariable) does not set \(setting.key)")
        }
    }

    @Test("every CUSTOMERFLOW_ and OTEL_ variable deploy/ names is one the service reads", arguments: [
        "deploy/k8s/configmap.yaml", "deploy/k8s/secret.yaml", "deploy/compose.yaml", "deploy/.env.example", "deploy/README.md",
    ])
    func deployNamesOnlyKnownVariables(path: String) throws {
        let known = Set((CustomerFlowConfiguration.settings + CustomerFlowConfiguration.featureFlagSettings).map(\.environmentVariable))
            .union(TelemetryVariable.allCases.map(\.rawValue))
        let named = Set(try Self.text(path).matches(of: /\b(CUSTOMERFLOW|OTEL)_[A-Z0-9_]*[A-Z0-9]\b/).map { String($0.0) })
        // The compose file's own image variable, not a setting of the service.
        let unknown = named.subtracting(known).subtracting(["CUSTOMERFLOW_IMAGE"])
        #expect(unknown.isEmpty, "\(path) names variables the service does not read: \(unknown.sorted())")
    }

    @Test("the manifests' values load as a valid production configuration once the placeholders are replaced, and not before")
    func manifestsLoad() throws {
        let configMap = Self.stringMap(try Self.text("deploy/k8s/configmap.yaml"))
        let secret = Self.stringMap(try Self.text("deploy/k8s/secret.yaml"))
        func load(_ environment: [String: String]) throws -> CustomerFlowConfiguration {
            try CustomerFlowConfiguration.load(
                from: ConfigReader(providers: [EnvironmentVariablesProvider(environmentVariables: environment).prefixKeys(with: "customerflow")]))
        }
        #expect(throws: ConfigurationError.self) { try load(configMap.merging(secret) { $1 }) }

        let filled = secret.mapValues { value in
            value.replacingOccurrences(of: "REPLACE-ME.invalid", with: "db.example.com").replacingOccurrences(of: "REPLACE-ME", with: String(repeating: "k", count: 40))
        }
        let configuration = try load(configMap.merging(filled) { $1 })
        #expect(configuration.host == "0.0.0.0" && configuration.port == 8080)
        #expect(configuration.eventBus.transport == .rabbitmq)
        #expect(configuration.auth.isConfigured)
        #expect(configuration.databasePoolMinimum == configuration.databasePoolSize)
        #expect(configuration.databaseReadURL == nil)
        #expect(configuration.featureFlags.count == CustomerFlowConfiguration.featureFlagSettings.count)
        // Served on every interface, the API is authenticated: `serve --host 0.0.0.0` would refuse otherwise.
        try configuration.checkExposure(allowAnonymous: false)
    }
}
