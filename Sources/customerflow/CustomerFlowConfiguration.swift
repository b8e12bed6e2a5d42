import Configuration
import Foundation
import Logging
import Persistence

/// Every setting of the service, read once at start through swift-configuration.
///
/// Precedence, highest first: command-line flags, environment variables (`CUSTOMERFLOW_` +
/// the key in upper snake case: `database.poolSize` → `CUSTOMERFLOW_DATABASE_POOL_SIZE`), the JSON
/// file given with `--config` (keys nested: `{"database": {"poolSize": 20}}`), then the defaults
/// in ``settings``.
struct CustomerFlowConfiguration: Sendable {
    var host: String
    var port: Int
    var databaseURL: DatabaseURL
    var databasePoolSize: Int
    var tablePrefix: String
    var eventSource: String
    var cursorSecret: String
    var logLevel: Logger.Level

    /// A setting: its key, default and meaning. The README's configuration table lists these.
    struct Setting: Sendable {
        let key: String
        let defaultValue: String
        let help: String
        var environmentVariable: String {
            var name = ""
            for character in key {
                if character == "." {
                    name += "_"
                } else if character.isUppercase {
                    name += "_" + String(character)
                } else {
                    name += character.uppercased()
                }
            }
            return "CUSTOMERFLOW_" + name
        }
    }

    static let defaultCursorSecret = "customerflow-development-cursor-key"

    static let settings: [Setting] = [
        Setting(key: "http.host", defaultValue: "127.0.0.1", help: "Address to listen on."),
        Setting(key: "http.port", defaultValue: "8080", help: "Port to listen on."),
        Setting(key: "database.url", defaultValue: "sqlite://customerflow.sqlite",
                help: "sqlite://PATH, sqlite::memory: or postgres://user:pass@host:port/db?sslmode=disable|prefer|require"),
        Setting(key: "database.poolSize", defaultValue: "20", help: "PostgreSQL connections (SQLite: reader connections, at most 8)."),
        Setting(key: "database.tablePrefix", defaultValue: "cf_", help: "Prefix of every table and index CustomerFlow creates."),
        Setting(key: "events.source", defaultValue: "/customerflow", help: "CloudEvents `source` of emitted events."),
        Setting(key: "api.cursorSecret", defaultValue: defaultCursorSecret,
                help: "Key that authenticates list cursors; set the same value on every replica."),
        Setting(key: "log.level", defaultValue: "info", help: "trace, debug, info, notice, warning, error or critical."),
    ]

    /// Reads and checks every setting; a value that is present but wrong is an error naming the
    /// key, never silently replaced by the default.
    static func load(from reader: ConfigReader) throws -> CustomerFlowConfiguration {
        func string(_ key: String) -> String {
            reader.string(forKey: ConfigKey(key)) ?? settings.first { $0.key == key }?.defaultValue ?? ""
        }
        func int(_ key: String, in range: ClosedRange<Int>) throws -> Int {
            let fallback = Int(settings.first { $0.key == key }?.defaultValue ?? "") ?? 0
            let value: Int
            do {
                value = try reader.requiredInt(forKey: ConfigKey(key))
            } catch {
                // swift-configuration reports "missing" and "not an integer" with the same
                // (package-internal) error type; only its text tells them apart.
                guard String(describing: error).hasPrefix("Missing required") else {
                    throw ConfigurationError("\(key) must be a whole number")
                }
                value = fallback
            }
            guard range.contains(value) else {
                throw ConfigurationError("\(key) must be between \(range.lowerBound) and \(range.upperBound), not \(value)")
            }
            return value
        }

        let url: DatabaseURL
        do {
            url = try DatabaseURL(parsing: string("database.url"))
        } catch let error as DatabaseURLError {
            throw ConfigurationError("database.url: \(error.message)")
        }
        let prefix = string("database.tablePrefix")
        do {
            _ = try SchemaNames(prefix: prefix)
        } catch let error as DatabaseURLError {
            throw ConfigurationError("database.tablePrefix: \(error.message)")
        }
        let levelText = string("log.level").lowercased()
        guard let level = Logger.Level(rawValue: levelText) else {
            throw ConfigurationError("log.level must be one of trace, debug, info, notice, warning, error, critical")
        }
        return CustomerFlowConfiguration(
            host: string("http.host"),
            port: try int("http.port", in: 0...65535),
            databaseURL: url,
            databasePoolSize: try int("database.poolSize", in: 1...1000),
            tablePrefix: prefix,
            eventSource: string("events.source"),
            cursorSecret: string("api.cursorSecret"),
            logLevel: level
        )
    }

    /// The reader over flags, environment, file and defaults, in that order.
    static func reader(flags: [String: ConfigValue], configFile: String?) async throws -> ConfigReader {
        var providers: [any ConfigProvider] = [
            InMemoryProvider(name: "flags", values: Dictionary(uniqueKeysWithValues: flags.map { (AbsoluteConfigKey(ConfigKey($0.key)), $0.value) })),
            EnvironmentVariablesProvider().prefixKeys(with: "customerflow"),
        ]
        if let configFile {
            do {
                providers.append(try await FileProvider<JSONSnapshot>(filePath: .init(configFile)))
            } catch {
                throw ConfigurationError("cannot read the configuration file \(configFile): \(error)")
            }
        }
        return ConfigReader(providers: providers)
    }
}

/// A configuration value that cannot be used; printed as one line by the CLI.
struct ConfigurationError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
