import Configuration
import Foundation

/// The JSON configuration file as swift-configuration reads it (a `JSONSnapshot`), plus what
/// swift-configuration cannot tell: the names of the objects' members. Feature flags are keyed by
/// name (`featureFlags.<name>`) and targeting groups too (`…targeting.groups.<group>`), so the
/// reader of flags needs those names.
struct ConfigFileSnapshot: FileConfigSnapshot {
    typealias ParsingOptions = JSONSnapshot.ParsingOptions

    private let json: JSONSnapshot
    /// Flag name → the names of its targeting groups.
    let featureFlagGroups: [String: [String]]

    init(data: RawSpan, providerName: String, parsingOptions: ParsingOptions) throws {
        json = try JSONSnapshot(data: data, providerName: providerName, parsingOptions: parsingOptions)
        var groups: [String: [String]] = [:]
        let bytes = data.withUnsafeBytes { Data($0) }
        if let object = try JSONSerialization.jsonObject(with: bytes) as? [String: Any],
           let flags = object["featureFlags"] as? [String: Any] {
            for (name, definition) in flags {
                let targeting = ((definition as? [String: Any])?["filters"] as? [String: Any])?["targeting"] as? [String: Any]
                groups[name] = ((targeting?["groups"] as? [String: Any]).map { Array($0.keys) } ?? []).sorted()
            }
        }
        featureFlagGroups = groups
    }

    var featureFlagNames: [String] { Array(featureFlagGroups.keys) }

    var providerName: String { json.providerName }

    func value(forKey key: AbsoluteConfigKey, type: ConfigType) throws -> LookupResult {
        try json.value(forKey: key, type: type)
    }

    var description: String { json.description }
    var debugDescription: String { json.debugDescription }
}
