import Configuration
import EventBus
import CustomerApplication
import FeatureFlags
import Foundation
import Logging
import Persistence

/// Every setting of the service, read once at start through swift-configuration.
///
/// Precedence, highest first: command-line flags, environment variables (`CUSTOMERFLOW_` +
/// the key in upper snake case: `database.poolSize` → `CUSTOMERFLOW_DATABASE_POOL_SIZE`), the JSON
/// file given with `--config` (keys nested: `{"database": {"poolSize": 20}}`), then the defaults
/// in ``settings`` — which are also what `customerflow settings` prints and the configuration
/// tables of README.md and deploy/README.md are generated from.
struct CustomerFlowConfiguration: Sendable {
    var host: String
    var port: Int
    var databaseURL: DatabaseURL
    var databasePoolSize: Int
    /// PostgreSQL connections opened at start (`database.poolMinimum`, at most the pool size).
    var databasePoolMinimum: Int = 0
    var tablePrefix: String
    var eventSource: String
    var cursorSecret: String
    var logLevel: Logger.Level
    var eventBus: EventBusSettings = EventBusSettings()
    /// A read replica for queries (`database.readUrl`); commands always use ``databaseURL``.
    var databaseReadURL: DatabaseURL? = nil
    /// Whether metrics are recorded and served at `GET /metrics` (`metrics.enabled`).
    var metricsEnabled = true
    var webhooks = WebhookSettings()
    var auth = AuthSettings()
    var limits = LimitSettings()
    /// Origins whose browsers may call the API (`cors.allowedOrigins`); empty: CORS off.
    var corsAllowedOrigins: [String] = []
    /// Feature flags as configured at start (`featureFlags.<name>`), the product's own included.
    var featureFlags: [String: FeatureFlag] = ProductFeatures.defaults
    /// Where the configuration came from, kept to re-read feature flags when the file changes;
    /// `nil` when it was not read from sources (tests build it directly).
    var source: Source? = nil

    /// The configuration's sources: flags, environment and the file, which is watched.
    struct Source: Sendable {
        let reader: ConfigReader
        let file: ReloadingFileProvider<ConfigFileSnapshot>?
        /// The file's path, when there is one.
        var path: String? = nil

        /// The flags of the current sources: the product's, those the file names, each as the
        /// environment or the file defines it.
        func featureFlags() throws -> [String: FeatureFlag] {
            let snapshot = file?.snapshot() as? ConfigFileSnapshot
            do {
                return try FeatureFlagConfiguration.read(
                    reader, names: snapshot?.featureFlagNames ?? [], defaults: ProductFeatures.defaults,
                    groups: { snapshot?.featureFlagGroups[$0] ?? [] })
            } catch let error as FeatureFlagConfiguration.Invalid {
                throw ConfigurationError(error.description)
            }
        }
    }

    /// How integration events leave (and, for consumers, arrive).
    struct EventBusSettings: Sendable {
        enum TransportKind: String, Sendable { case memory, rabbitmq }
        var transport: TransportKind = .memory
        var rabbitMQURL = "amqp://guest:guest@127.0.0.1:5672/%2F"
        var exchange = "customerflow.events"
        var relayEnabled = true
        var batchSize = 500
        /// Readiness is `degraded` when the oldest pending event is older than this.
        var maxLag: Duration = .seconds(60)
        var pollInterval: Duration = .seconds(1)
        var lease: Duration = .seconds(30)
        var maxAttempts = 10
        var publishedRetention: Duration = .seconds(7 * 86_400)
        var failedRetention: Duration = .seconds(30 * 86_400)
        var prefetch = 20
    }

    /// Webhook deliveries.
    struct WebhookSettings: Sendable {
        /// Whether subscriptions may target loopback and private addresses; by default only when
        /// the service itself listens on loopback (development).
        var allowPrivateTargets: Bool? = nil
        var retrySchedule: [Duration] = WebhookDispatcher.Configuration().retrySchedule
        var retryFor: Duration = .seconds(24 * 3600)
        var timeout: Duration = .seconds(10)
        var pollInterval: Duration = .milliseconds(500)
        /// How long an endpoint's open circuit stays open before a probe.
        var breakDuration: Duration = .seconds(30)
    }

    /// Access tokens. With neither a secret nor a JWKS, the service runs without authentication
    /// (allowed on loopback, or with `--allow-anonymous`).
    struct AuthSettings: Sendable {
        var hs256Secret: String? = nil
        var jwksFile: String? = nil
        var jwksURL: String? = nil
        var issuer: String? = nil
        var audience: String? = nil
        var clockSkew: Duration = .seconds(60)
        var jwksRefresh: Duration = .seconds(300)
        var metricsPublic = true

        /// Whether any way to check tokens is configured.
        var isConfigured: Bool { hs256Secret != nil || jwksFile != nil || jwksURL != nil }
    }

    /// Limits on what a client may send.
    struct LimitSettings: Sendable {
        /// Requests per second refilling each client's bucket; `nil`: no rate limit.
        var requestsPerSecond: Double? = nil
        var burst: Double? = nil
        var maxBodyBytes = 64 * 1024
        var maxHeaderBytes = 16 * 1024
        var maxHeaderCount = 100
        /// How long a client may take to send a whole request.
        var readTimeout: Duration = .seconds(30)
    }

    /// Refuses to serve personal data to a network without authentication: with no token checks
    /// configured, `serve` listens on a loopback address only, unless the operator says
    /// `--allow-anonymous` (a gateway in front authenticates). Nor with the development cursor
    /// key, which is public (it is in the sources): anyone could forge list cursors with it.
    func checkExposure(allowAnonymous: Bool) throws {
        if !auth.isConfigured, !listensOnLoopback, !allowAnonymous {
            throw ConfigurationError(
                "refusing to serve on \(host) without authentication: set auth.jwt.hs256Secret, auth.jwt.jwksFile or auth.jwt.jwksUrl, listen on 127.0.0.1, or pass --allow-anonymous")
        }
        if !listensOnLoopback, cursorSecret == Self.defaultCursorSecret {
            throw ConfigurationError(
                "refusing to serve on \(host) with the development api.cursorSecret: set one of at least 32 bytes, the same on every replica")
        }
    }

    /// Whether the HTTP server listens on a loopback address only.
    var listensOnLoopback: Bool { ["127.0.0.1", "::1", "localhost"].contains(host.lowercased()) || host.hasPrefix("127.") }

    /// Reads and checks every setting; a value that is present but wrong is an error naming the
    /// key, never silently replaced by the default.
    static func load(from reader: ConfigReader) throws -> CustomerFlowConfiguration {
        func string(_ key: String) -> String {
            let setting = settings.first { $0.key == key }
            return reader.string(forKey: ConfigKey(key), isSecret: setting?.isSecret ?? false) ?? setting?.defaultValue ?? ""
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
        var readURL: DatabaseURL?
        if !string("database.readUrl").isEmpty {
            do {
                readURL = try DatabaseURL(parsing: string("database.readUrl"))
            } catch let error as DatabaseURLError {
                throw ConfigurationError("database.readUrl: \(error.message)")
            }
        }
        let prefix = string("database.tablePrefix")
        do {
            _ = try SchemaNames(prefix: prefix)
        } catch let error as DatabaseURLError {
            throw ConfigurationError("database.tablePrefix: \(error.message)")
        }
        func bool(_ key: String) throws -> Bool {
            do {
                return try reader.requiredBool(forKey: ConfigKey(key))
            } catch {
                guard String(describing: error).hasPrefix("Missing required") else {
                    throw ConfigurationError("\(key) must be true or false")
                }
                return settings.first { $0.key == key }?.defaultValue == "true"
            }
        }
        var eventBus = EventBusSettings()
        guard let transport = EventBusSettings.TransportKind(rawValue: string("eventBus.transport").lowercased()) else {
            throw ConfigurationError("eventBus.transport must be memory or rabbitmq")
        }
        eventBus.transport = transport
        eventBus.rabbitMQURL = string("eventBus.rabbitmq.url")
        eventBus.exchange = string("eventBus.rabbitmq.exchange")
        eventBus.relayEnabled = try bool("eventBus.relay.enabled")
        eventBus.batchSize = try int("eventBus.relay.batchSize", in: 1...10_000)
        eventBus.maxLag = .seconds(try int("eventBus.relay.maxLagSeconds", in: 1...86_400))
        eventBus.pollInterval = .milliseconds(try int("eventBus.relay.pollIntervalMilliseconds", in: 10...3_600_000))
        eventBus.lease = .seconds(try int("eventBus.relay.leaseSeconds", in: 1...3600))
        eventBus.maxAttempts = try int("eventBus.retry.maxAttempts", in: 1...1000)
        eventBus.publishedRetention = .seconds(86_400 * (try int("eventBus.retention.publishedDays", in: 1...3650)))
        eventBus.failedRetention = .seconds(86_400 * (try int("eventBus.retention.failedDays", in: 1...3650)))
        eventBus.prefetch = try int("eventBus.consumer.prefetch", in: 1...10_000)
        var webhooks = WebhookSettings()
        switch string("webhooks.allowPrivateTargets").lowercased() {
        case "": webhooks.allowPrivateTargets = nil
        case "true": webhooks.allowPrivateTargets = true
        case "false": webhooks.allowPrivateTargets = false
        default: throw ConfigurationError("webhooks.allowPrivateTargets must be true, false or empty")
        }
        let schedule = string("webhooks.retryScheduleSeconds").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        let delays = schedule.compactMap(Double.init)
        guard !delays.isEmpty, delays.count == schedule.count, delays.allSatisfy({ $0 > 0 && $0 <= 86_400 }) else {
            throw ConfigurationError("webhooks.retryScheduleSeconds must be a comma-separated list of seconds, each above 0 and at most 86400")
        }
        webhooks.retrySchedule = delays.map { .seconds($0) }
        webhooks.retryFor = .seconds(3600 * (try int("webhooks.retryForHours", in: 1...720)))
        webhooks.timeout = .seconds(try int("webhooks.timeoutSeconds", in: 1...300))
        webhooks.breakDuration = .seconds(try int("webhooks.breakSeconds", in: 1...3600))

        var auth = AuthSettings()
        func optional(_ key: String, secret: Bool = false) -> String? {
            let value = reader.string(forKey: ConfigKey(key), isSecret: secret)?.trimmingCharacters(in: .whitespaces) ?? ""
            return value.isEmpty ? nil : value
        }
        auth.hs256Secret = optional("auth.jwt.hs256Secret", secret: true)
        if let secret = auth.hs256Secret, secret.utf8.count < 32 {
            throw ConfigurationError("auth.jwt.hs256Secret must be at least 32 bytes long (it has \(secret.utf8.count))")
        }
        auth.jwksFile = optional("auth.jwt.jwksFile")
        auth.jwksURL = optional("auth.jwt.jwksUrl")
        if let url = auth.jwksURL {
            // Keys fetched in clear text could be replaced on the way: https, except on this host.
            let host = (URL(string: url)?.host ?? "").lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
            let octets = host.split(separator: ".", omittingEmptySubsequences: false)
            let loopback = host == "localhost" || host == "::1"
                || (octets.count == 4 && octets.first == "127" && octets.allSatisfy { UInt8($0) != nil })
            guard url.hasPrefix("https://") || (url.hasPrefix("http://") && loopback) else {
                throw ConfigurationError("auth.jwt.jwksUrl must be an https URL (http only for a loopback address)")
            }
        }
        auth.issuer = optional("auth.jwt.issuer")
        auth.audience = optional("auth.jwt.audience")
        if auth.jwksFile != nil || auth.jwksURL != nil, auth.audience == nil {
            // An identity provider signs the tokens of every application it serves with the same keys.
            throw ConfigurationError("auth.jwt.audience is required with a JWKS: without it, tokens the provider issued for other applications would be accepted")
        }
        auth.clockSkew = .seconds(try int("auth.jwt.clockSkewSeconds", in: 0...600))
        auth.jwksRefresh = .seconds(try int("auth.jwt.jwksRefreshSeconds", in: 10...86_400))
        auth.metricsPublic = try bool("auth.metricsPublic")

        var limits = LimitSettings()
        let rate = try int("rateLimit.requestsPerSecond", in: 0...1_000_000)
        let burst = try int("rateLimit.burst", in: 0...10_000_000)
        if rate > 0 {
            limits.requestsPerSecond = Double(rate)
            limits.burst = Double(burst > 0 ? burst : 2 * rate)
        }
        limits.maxBodyBytes = try int("limits.maxBodyBytes", in: 1024...(64 << 20))
        limits.maxHeaderBytes = try int("limits.maxHeaderBytes", in: 1024...(1 << 20))
        limits.maxHeaderCount = try int("limits.maxHeaderCount", in: 10...10_000)
        limits.readTimeout = .seconds(try int("limits.readTimeoutSeconds", in: 1...3600))
        let origins = string("cors.allowedOrigins").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        for origin in origins where origin != "*" {
            guard let url = URL(string: origin), let scheme = url.scheme, ["http", "https"].contains(scheme), url.host != nil,
                  url.path.isEmpty, url.query == nil
            else { throw ConfigurationError("cors.allowedOrigins: \(origin) is not an origin (scheme://host[:port])") }
        }

        let levelText = string("log.level").lowercased()
        guard let level = Logger.Level(rawValue: levelText) else {
            throw ConfigurationError("log.level must be one of trace, debug, info, notice, warning, error, critical")
        }
        let featureFlags: [String: FeatureFlag]
        do {
            featureFlags = try FeatureFlagConfiguration.read(reader, names: [], defaults: ProductFeatures.defaults)
        } catch let error as FeatureFlagConfiguration.Invalid {
            throw ConfigurationError(error.description)
        }
        let cursorSecret = string("api.cursorSecret")
        guard cursorSecret.utf8.count >= 32 else {
            // A short key can be guessed, and with it cursors forged to page through any filter.
            throw ConfigurationError("api.cursorSecret must be at least 32 bytes long (it has \(cursorSecret.utf8.count))")
        }
        let poolSize = try int("database.poolSize", in: 1...1000)
        return CustomerFlowConfiguration(
            host: string("http.host"),
            port: try int("http.port", in: 0...65535),
            databaseURL: url,
            databasePoolSize: poolSize,
            databasePoolMinimum: string("database.poolMinimum").isEmpty && reader.int(forKey: ConfigKey("database.poolMinimum")) == nil
                ? poolSize : try int("database.poolMinimum", in: 0...1000),
            tablePrefix: prefix,
            eventSource: string("events.source"),
            cursorSecret: cursorSecret,
            logLevel: level,
            eventBus: eventBus,
            databaseReadURL: readURL,
            metricsEnabled: try bool("metrics.enabled"),
            webhooks: webhooks,
            auth: auth,
            limits: limits,
            corsAllowedOrigins: origins,
            featureFlags: featureFlags
        )
    }

    /// The reader over flags, environment, file and defaults, in that order.
    static func reader(flags: [String: ConfigValue], configFile: String?) async throws -> ConfigReader {
        try await source(flags: flags, configFile: configFile).reader
    }

    /// The sources: flags, environment and file, in that order. The file is polled every second
    /// (and re-read on SIGHUP) while ``FeatureFlagReloader`` runs.
    static func source(flags: [String: ConfigValue], configFile: String?) async throws -> Source {
        var providers: [any ConfigProvider] = [
            InMemoryProvider(name: "flags", values: Dictionary(uniqueKeysWithValues: flags.map { (AbsoluteConfigKey(ConfigKey($0.key)), $0.value) })),
            EnvironmentVariablesProvider().prefixKeys(with: "customerflow"),
        ]
        var file: ReloadingFileProvider<ConfigFileSnapshot>?
        if let configFile {
            do {
                let provider = try await ReloadingFileProvider<ConfigFileSnapshot>(
                    filePath: .init(configFile), pollInterval: .seconds(1), logger: Logger(label: "configuration", factory: DeferredLogHandler.init))
                providers.append(provider)
                file = provider
            } catch {
                throw ConfigurationError("cannot read the configuration file \(configFile): \(error)")
            }
        }
        return Source(reader: ConfigReader(providers: providers), file: file, path: configFile)
    }

    /// Reads every setting from `source`, feature flags included, and keeps the source for
    /// reloading them.
    static func load(from source: Source) throws -> CustomerFlowConfiguration {
        var configuration = try load(from: source.reader)
        configuration.featureFlags = try source.featureFlags()
        configuration.source = source
        return configuration
    }
}

/// A configuration value that cannot be used; printed as one line by the CLI.
struct ConfigurationError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
