import Logging
import NIOCore
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

    /// - Parameters:
    ///   - maximumConnections: the pool size.
    ///   - connectTimeout: how long to wait for a connection before failing with
    ///     `ApplicationError.Code.unavailable`.
    public init(
        _ location: DatabaseURL.PostgresLocation,
        maximumConnections: Int = 20,
        connectTimeout: Duration = .seconds(5),
        leaseTimeout: Duration = .seconds(10),
        logger: Logger
    ) {
        self.leaseTimeout = leaseTimeout
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
                try await LeaseDeadline.run(timeout: leaseTimeout) { [client] leased in
                    try await client.withConnection { connection in
                        guard leased.claim() else { throw CancellationError() }
                        return try await body(connection.sql(queryLogLevel: nil).translatingErrors)
                    }
                }
            }
        } catch {
            throw DatabaseErrorTranslator.translate(error)
        }
    }

    public func withTransaction<R: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        do {
            return try await withoutActuallyEscaping(body) { body in
                try await LeaseDeadline.run(timeout: leaseTimeout) { [client, logger] leased in
                    try await client.withTransaction(logger: logger) { connection in
                        guard leased.claim() else { throw CancellationError() }
                        return try await body(connection.sql(queryLogLevel: nil).translatingErrors)
                    }
                }
            }
        } catch let error as PostgresTransactionError {
            // Report what went wrong first: the closure's error, else the failed BEGIN or COMMIT.
            let cause: any Error = error.closureError ?? error.beginError ?? error.commitError ?? error
            throw DatabaseErrorTranslator.translate(cause)
        } catch {
            throw DatabaseErrorTranslator.translate(error)
        }
    }

    public func run() async throws {
        await client.run()
    }

    public func shutdown() async {}
}
