import CustomerApplication

extension CustomerFlowConfiguration {
    /// A setting: its key, default and meaning — the one definition that ``load(from:)`` reads
    /// defaults from and that the configuration reference (`customerflow settings`, the tables in
    /// README.md and deploy/README.md, the Kubernetes ConfigMap and Secret) is checked against.
    struct Setting: Sendable {
        let key: String
        /// What ``load(from:)`` uses when no source sets the key.
        let defaultValue: String
        /// The `serve` flag that sets it, when there is one.
        var flag: String? = nil
        /// How the reference shows the default when the value itself says little (a computed or
        /// development-only default).
        var shownDefault: String? = nil
        /// Credentials or keys: read as secrets (never shown by swift-configuration's access log),
        /// kept in the Kubernetes Secret rather than the ConfigMap.
        var isSecret = false
        /// Markdown, one sentence or two.
        let help: String

        /// The name swift-configuration's environment provider reads: a `_` between components
        /// and where a lower-case letter meets an upper-case one (`poolSize` → `POOL_SIZE`,
        /// `hs256Secret` → `HS256SECRET`).
        var environmentVariable: String {
            var name = ""
            var previous: Character?
            for character in key {
                if character == "." {
                    name += "_"
                } else {
                    if let previous, previous.isLowercase, character.isUppercase { name += "_" }
                    name += character.uppercased()
                }
                previous = character
            }
            return "CUSTOMERFLOW_" + name
        }
    }

    static let defaultCursorSecret = "customerflow-development-cursor-key"

    /// Every setting ``load(from:)`` reads, in the order the reference lists them.
    static let settings: [Setting] = [
        Setting(key: "http.host", defaultValue: "127.0.0.1", flag: "--host", help: "Address to listen on"),
        Setting(key: "http.port", defaultValue: "8080", flag: "--port", help: "Port to listen on"),
        Setting(key: "database.url", defaultValue: "sqlite://customerflow.sqlite", flag: "--database-url", isSecret: true, help: "`sqlite://PATH`, `sqlite::memory:`, `postgres://user:pass@host:port/db?sslmode=disable|prefer|require`, `mysql://user:pass@host:port/db?ssl-mode=disabled|preferred|required|verify-ca|verify-identity[&ssl-ca=FILE]` (trait `MySQL`)"),
        Setting(key: "database.readUrl", defaultValue: "", isSecret: true, help: "A read replica (same URL forms): queries read from it, commands never do; readiness checks it too"),
        Setting(key: "database.poolSize", defaultValue: "20", help: "PostgreSQL or MySQL connections per database (SQLite: reader connections, at most 8); on PostgreSQL a request waits at most 10 s for a free one (less when the server is down), then fails with 503 `unavailable`"),
        Setting(key: "database.poolMinimum", defaultValue: "", shownDefault: "the pool size", help: "PostgreSQL connections opened at start (at most `database.poolSize`); the others open when first needed. None is closed for being idle"),
        Setting(key: "database.tablePrefix", defaultValue: "", help: "Prefix of every table, index and the schema history (e.g. `cf_`), to live beside legacy tables"),
        Setting(key: "events.source", defaultValue: "/customerflow", help: "CloudEvents `source` of emitted events"),
        Setting(key: "api.cursorSecret", defaultValue: defaultCursorSecret, shownDefault: "a development key", isSecret: true, help: "Authenticates list cursors, at least 32 bytes; set the same value on every replica"),
        Setting(key: "log.level", defaultValue: "info", help: "`trace` … `critical`"),
        Setting(key: "metrics.enabled", defaultValue: "true", help: "`false`: no metric is recorded, `GET /metrics` answers 404 and nothing is pushed over OTLP"),
        Setting(key: "eventBus.transport", defaultValue: "memory", help: "`memory` (in-process subscribers) or `rabbitmq` (a build with `--traits RabbitMQ`)"),
        Setting(key: "eventBus.rabbitmq.url", defaultValue: "amqp://guest:guest@127.0.0.1:5672/%2F", isSecret: true, help: "The broker: `amqp://user:pass@host:port/vhost`"),
        Setting(key: "eventBus.rabbitmq.exchange", defaultValue: "customerflow.events", help: "Durable topic exchange, declared at start"),
        Setting(key: "eventBus.relay.enabled", defaultValue: "true", help: "Whether `serve` runs the relay"),
        Setting(key: "eventBus.relay.batchSize", defaultValue: "500", help: "Rows claimed per round"),
        Setting(key: "eventBus.relay.maxLagSeconds", defaultValue: "60", help: "Readiness reports `degraded` when the oldest pending event is older"),
        Setting(key: "eventBus.relay.pollIntervalMilliseconds", defaultValue: "1000", help: "Polling for rows written by other instances (local commits wake the relay at once)"),
        Setting(key: "eventBus.relay.leaseSeconds", defaultValue: "30", help: "How long a claim holds before another relay may take it over"),
        Setting(key: "eventBus.retry.maxAttempts", defaultValue: "10", help: "Publish attempts before an event is `failed`"),
        Setting(key: "eventBus.retention.publishedDays", defaultValue: "7", help: "Published outbox and processed inbox rows are deleted after this"),
        Setting(key: "eventBus.retention.failedDays", defaultValue: "30", help: "Failed rows are deleted after this"),
        Setting(key: "eventBus.consumer.prefetch", defaultValue: "20", help: "Unacknowledged messages a consumer may hold"),
        Setting(key: "webhooks.allowPrivateTargets", defaultValue: "", help: "Whether webhook URLs may point at loopback or private addresses; empty: only when `http.host` is a loopback address"),
        Setting(key: "webhooks.retryScheduleSeconds", defaultValue: "1,5,30,120,600,3600,21600", help: "Waits between delivery attempts; the last repeats"),
        Setting(key: "webhooks.retryForHours", defaultValue: "24", help: "How long a delivery is retried before it fails for good"),
        Setting(key: "webhooks.timeoutSeconds", defaultValue: "10", help: "How long an endpoint may take to answer"),
        Setting(key: "webhooks.breakSeconds", defaultValue: "30", help: "How long deliveries to an endpoint pause once half of at least 3 attempts within a minute failed"),
        Setting(key: "auth.jwt.hs256Secret", defaultValue: "", isSecret: true, help: "Secret of HS256 access tokens, at least 32 bytes (its UTF-8 bytes are the key); never logged or shown"),
        Setting(key: "auth.jwt.jwksFile", defaultValue: "", help: "A JWKS file with the public keys of RS256/ES256 tokens (re-read every `jwksRefreshSeconds`)"),
        Setting(key: "auth.jwt.jwksUrl", defaultValue: "", help: "The identity provider's JWKS URL (https; http only on loopback): fetched on first use (5 s timeout, 3 attempts), cached, refreshed; a token naming an unknown key refreshes it at most every 30 s"),
        Setting(key: "auth.jwt.jwksRefreshSeconds", defaultValue: "300", help: "How often the JWKS is read again"),
        Setting(key: "auth.jwt.issuer", defaultValue: "", help: "The `iss` every token must carry; empty: not checked"),
        Setting(key: "auth.jwt.audience", defaultValue: "", help: "An audience every token's `aud` must include; empty: not checked (required with a JWKS)"),
        Setting(key: "auth.jwt.clockSkewSeconds", defaultValue: "60", help: "Tolerance of `exp` and `nbf`"),
        Setting(key: "auth.metricsPublic", defaultValue: "true", help: "Whether `GET /metrics` needs no token; `false`: it needs `admin`"),
        Setting(key: "rateLimit.requestsPerSecond", defaultValue: "0", help: "Requests per second per client (the token's subject, else the peer address); `0`: no limit"),
        Setting(key: "rateLimit.burst", defaultValue: "0", help: "Requests a client may send at once; `0`: twice `requestsPerSecond`"),
        Setting(key: "limits.maxBodyBytes", defaultValue: "65536", help: "Largest request body (413 above)"),
        Setting(key: "limits.maxHeaderBytes", defaultValue: "16384", help: "Largest total size of a request's header fields (the connection is refused above)"),
        Setting(key: "limits.maxHeaderCount", defaultValue: "100", help: "Most header fields a request may carry"),
        Setting(key: "limits.readTimeoutSeconds", defaultValue: "30", help: "Time a client has to send a whole request, and an idle keep-alive connection is kept; slower clients are cut off"),
        Setting(key: "cors.allowedOrigins", defaultValue: "", help: "Comma-separated origins (`https://app.example.com`) whose browsers may call the API, `*` for any; empty: CORS off"),
    ]

    /// The product's feature flags as settings: `featureFlags.<name>` is `true`, `false` or a
    /// filter object (see README.md, Feature flags); each is on unless configured.
    static var featureFlagSettings: [Setting] {
        let meanings = [
            ProductFeatures.erasure: "`DELETE /v1/customers/{id}` (erasure of personal data)",
            ProductFeatures.history: "`GET /v1/customers/{id}/history`",
            ProductFeatures.webhooks: "`/admin/webhooks` and webhook deliveries",
        ]
        return ProductFeatures.defaults.keys.sorted().map { name in
            Setting(key: "featureFlags.\(name)", defaultValue: "true", help: meanings[name] ?? "A product feature")
        }
    }
}
