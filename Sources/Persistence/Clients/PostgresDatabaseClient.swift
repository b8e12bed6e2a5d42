import Logging
import NIOCore
import NIOPosix
import NIOSSL
import PostgresKit
import PostgresNIO
import SQLKit

/// PostgreSQL through postgres-nio's `PostgresClient` pool.
public final class PostgresDatabaseClient: DatabaseClient {
    public var kind: DatabaseKind { .postgres }

    let client: PostgresClient
    private let logger: Logger
    /// How long a caller may wait for a free connection (``LeaseDeadline``).
    let leaseTimeout: Duration
    /// Where lease deadlines are timed: the event loops postgres-nio runs on.
    private let timers: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    /// Asked by a caller that waits for a connection: is the server down (answer 503 now)?
    private let reachability: ServerReachability

    /// - Parameters:
    ///   - maximumConnections: the pool size.
    ///   - minimumConnections: connections kept open while idle (at most `maximumConnections`); the
    ///     others close after 60 s idle. Every time a connection above this number goes back to the
    ///     pool, postgres-nio arms an idle-timeout timer as a sleeping task, and a cancelled sleep keeps
    ///     its memory until it would have ended: at thousands of statements per second that is tens of
    ///     MiB held for a minute. A service keeps its whole pool open (`database.poolMinimum`); tools
    ///     and tests, which open many short-lived clients, keep none.
    ///   - connectTimeout: how long to wait for a connection before failing with
    ///     `ApplicationError.Code.unavailable`.
    public init(
        _ location: DatabaseURL.PostgresLocation,
        maximumConnections: Int = 20,
        minimumConnections: Int = 0,
        connectTimeout: Duration = .seconds(5),
        leaseTimeout: Duration = .seconds(10),
        logger: Logger
    ) {
        self.leaseTimeout = leaseTimeout
        self.reachability = ServerReachability(host: location.host, port: location.port, group: MultiThreadedEventLoopGroup.singleton)
        let tls: PostgresClient.Configuration.TLS
        switch location.tls {
        case .disable: tls = .disable
        case .prefer: tls = .prefer(.makeClientConfiguration())
        case .require: tls = .require(.makeClientConfiguration())
        }
        var configuration = PostgresClient.Configuration(
            host: location.host,
            port: location.port,
            username: location.username,
            password: location.password,
            database: location.database,
            tls: tls
        )
        configuration.options.maximumConnections = maximumConnections
        configuration.options.minimumConnections = max(0, min(minimumConnections, maximumConnections))
        // No keep-alive pings: postgres-nio arms one more timer per return to the pool for them (see
        // above). A connection the server closed while idle is replaced when next leased: its
        // statement fails with 503 `unavailable` and the pool opens a new one.
        configuration.options.keepAliveBehavior = nil
        configuration.options.connectTimeout = connectTimeout
        // postgres-nio logs every backend message, data rows included, at trace: never below debug.
        var background = logger
        if background.logLevel < .debug { background.logLevel = .debug }
        self.client = PostgresClient(configuration: configuration, backgroundLogger: background)
        self.logger = logger
    }

    public func withConnection<R: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        do {
            return try await withoutActuallyEscaping(body) { body in
                try await LeaseDeadline.run(timeout: leaseTimeout, on: timers.any(), probe: reachability.isReachable) { [client] leased in
                    try await client.withConnection { connection in
                        guard leased.claim() else { throw CancellationError() }
                        return try await body(Self.database(on: connection))
                    }
                }
            }
        } catch {
            throw DatabaseErrorTranslator.translate(error)
        }
    }

    /// BEGIN, `body`, COMMIT — or ROLLBACK and `body`'s error — each statement through
    /// ``LiveConnectionSQLDatabase``: postgres-nio's own `withTransaction` writes BEGIN and COMMIT
    /// where a connection the server just closed would leave them waiting forever.
    public func withTransaction<R: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        do {
            return try await withoutActuallyEscaping(body) { body in
                try await LeaseDeadline.run(timeout: leaseTimeout, on: timers.any(), probe: reachability.isReachable) { [client] leased in
                    try await client.withConnection { connection in
                        guard leased.claim() else { throw CancellationError() }
                        let database = Self.database(on: connection)
                        try await database.raw("BEGIN").run()
                        let result: R
                        do {
                            result = try await body(database)
                        } catch {
                            // The body's error is the one to report; a failed ROLLBACK means the
                            // connection is gone, and the server rolls back with it.
                            try? await database.raw("ROLLBACK").run()
                            throw error
                        }
                        try await database.raw("COMMIT").run()
                        return result
                    }
                }
            }
        } catch {
            throw DatabaseErrorTranslator.translate(error)
        }
    }

    private static func database(on connection: PostgresConnection) -> any SQLDatabase {
        LiveConnectionSQLDatabase(base: connection.sql(queryLogLevel: nil), connection: connection).translatingErrors
    }

    public func run() async throws {
        await client.run()
    }

    public func shutdown() async {}
}
