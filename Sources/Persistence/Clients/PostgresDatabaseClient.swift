import Logging
import NIOCore
import NIOPosix
import NIOSSL
import PostgresKit
import PostgresNIO
import SQLKit

/// PostgreSQL through postgres-nio's connections, in a pool of our own
/// (``PostgresConnectionPool``).
public final class PostgresDatabaseClient: DatabaseClient {
    public var kind: DatabaseKind { .postgres }

    let pool: PostgresConnectionPool
    private let logger: Logger
    /// How long a caller may wait for a free connection (``LeaseDeadline``).
    let leaseTimeout: Duration
    /// Where lease deadlines are timed.
    private let timers: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    /// Asked by a caller that waits for a connection: is the server down (answer 503 now)?
    private let reachability: ServerReachability

    /// - Parameters:
    ///   - maximumConnections: the pool size.
    ///   - minimumConnections: connections opened at start (at most `maximumConnections`); the
    ///     others are opened when first needed. No connection is closed for being idle: a service
    ///     keeps its whole pool open (`database.poolMinimum` defaults to the pool size); tools and
    ///     tests, which open many short-lived clients, open connections only as they use them.
    ///   - connectTimeout: how long to wait for a connection before failing with
    ///     `ApplicationError.Code.unavailable`.
    public init(
        _ location: DatabaseURL.PostgresLocation,
        maximumConnections: Int = 20,
        minimumConnections: Int = 0,
        connectTimeout: Duration = .seconds(5),
        leaseTimeout: Duration = .seconds(10),
        logger: Logger
    ) throws {
        self.leaseTimeout = leaseTimeout
        self.reachability = ServerReachability(host: location.host, port: location.port, group: MultiThreadedEventLoopGroup.singleton)
        let tls: PostgresConnection.Configuration.TLS
        switch location.tls {
        case .disable: tls = .disable
        case .prefer: tls = .prefer(try NIOSSLContext(configuration: .makeClientConfiguration()))
        case .require: tls = .require(try NIOSSLContext(configuration: .makeClientConfiguration()))
        }
        var configuration = PostgresConnection.Configuration(
            host: location.host,
            port: location.port,
            username: location.username,
            password: location.password,
            database: location.database,
            tls: tls
        )
        configuration.options.connectTimeout = LeaseDeadline.timeAmount(connectTimeout)
        self.pool = PostgresConnectionPool(configuration: configuration, size: maximumConnections, warm: minimumConnections, logger: logger)
        self.logger = logger
    }

    public func withConnection<R: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        do {
            return try await withoutActuallyEscaping(body) { body in
                try await LeaseDeadline.run(timeout: leaseTimeout, on: timers.any(), probe: reachability.isReachable) { [pool] leased in
                    try await pool.withConnection { connection in
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
                try await LeaseDeadline.run(timeout: leaseTimeout, on: timers.any(), probe: reachability.isReachable) { [pool] leased in
                    try await pool.withConnection { connection in
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
        await pool.run()
    }

    public func shutdown() async {
        await pool.close()
    }
}
