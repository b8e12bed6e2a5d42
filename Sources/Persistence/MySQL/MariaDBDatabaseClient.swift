#if MySQL
import Foundation
import Logging
import NIOCore
import NIOPosix
import SQLKit
import Synchronization

/// MySQL and MariaDB through MariaDB Connector/C: a fixed pool of connections, each with its own
/// thread for the library's blocking calls, prepared statements cached per connection, and
/// transactions pinned to one connection.
///
/// A connection that lost the server is reconnected the next time it is leased; statements that
/// failed because of it report ``ApplicationError/Code/unavailable`` (or, inside a transaction,
/// fail the transaction, which the unit of work may retry). When one connection finds the server
/// gone, the others are suspect too (a restarted server closed them all while they sat idle): each
/// is pinged before its next use and reconnected if dead, so that after an outage no request fails
/// on a connection that died while nobody used it.
public final class MariaDBDatabaseClient: DatabaseClient {
    public var kind: DatabaseKind { .mysql }

    let location: MySQLLocation
    private let connections: [MariaDBConnection]
    private let slots: AsyncSemaphore
    private let free: Mutex<[Int]>
    private let logger: Logger
    private let closed = Mutex(false)
    /// Counts the times a connection found the server gone or could not reach it.
    private let lossGeneration = Atomic<Int>(0)

    public init(_ location: MySQLLocation, poolSize: Int, logger: Logger) {
        self.location = location
        let size = max(1, poolSize)
        self.connections = (0..<size).map { MariaDBConnection(index: $0) }
        self.slots = AsyncSemaphore(permits: size)
        self.free = Mutex(Array((0..<size).reversed()))
        self.logger = logger
    }

    public func withConnection<R: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        try await lease { connection in
            try await body(MariaDBSQLDatabase(connection: connection, logger: self.logger))
        }
    }

    public func withTransaction<R: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        try await lease { connection in
            let database = MariaDBSQLDatabase(connection: connection, logger: self.logger)
            try await Self.control("START TRANSACTION", on: connection)
            do {
                let result = try await body(database)
                try await Self.control("COMMIT", on: connection)
                return result
            } catch {
                do {
                    try await Self.control("ROLLBACK", on: connection)
                } catch {
                    // Never hand the connection out again inside a transaction: close it; the
                    // next lease reconnects.
                    logger.warning("rollback failed; closing the connection", metadata: ["error": "\(error)"])
                    _ = try? await connection.thread.run { connection.close() }
                }
                throw error
            }
        }
    }

    /// Transaction control over the text protocol, on the connection's thread; driver errors
    /// translated like a statement's.
    private static func control(_ sql: String, on connection: MariaDBConnection) async throws {
        do {
            try await connection.thread.run { try connection.control(sql) }
        } catch {
            throw DatabaseErrorTranslator.translate(error)
        }
    }

    private func lease<R: Sendable>(_ body: (MariaDBConnection) async throws -> R) async throws -> R {
        if closed.withLock({ $0 }) { throw DatabaseErrorTranslator.unavailable() }
        return try await slots.withPermit {
            // Shut down while this caller waited for a slot.
            if closed.withLock({ $0 }) { throw DatabaseErrorTranslator.unavailable() }
            guard let index = free.withLock({ $0.popLast() }) else { throw DatabaseErrorTranslator.unavailable() }
            defer { free.withLock { $0.append(index) } }
            let connection = connections[index]
            let generation = lossGeneration.load(ordering: .acquiring)
            if !connection.isBroken && connection.provenGeneration < generation {
                // The server went away since this connection last worked: ask before using it.
                _ = try await connection.thread.run { connection.ping() }
            }
            if connection.isBroken {
                let location = self.location
                do {
                    try await connection.thread.run { try connection.connect(location) }
                } catch {
                    lossGeneration.add(1, ordering: .releasing)
                    logger.warning("cannot connect to MySQL", metadata: ["error": "\(error)"])
                    throw DatabaseErrorTranslator.translate(error)
                }
            }
            connection.provenGeneration = generation
            defer { if connection.isBroken { lossGeneration.add(1, ordering: .releasing) } }
            return try await body(connection)
        }
    }

    public func run() async throws {
        while !Task.isCancelled {
            try? await Task.sleep(for: .seconds(3600))
        }
        await shutdown()
    }

    public func shutdown() async {
        let alreadyClosed = closed.withLock { closed in
            defer { closed = true }
            return closed
        }
        guard !alreadyClosed else { return }
        let connections = self.connections
        await Task {
            for connection in connections {
                _ = try? await connection.thread.run { connection.close() }
                connection.thread.stop()
            }
        }.value
    }
}

/// SQLKit's view of one leased connection.
struct MariaDBSQLDatabase: SQLDatabase {
    let connection: MariaDBConnection
    let logger: Logger

    var eventLoop: any EventLoop { MultiThreadedEventLoopGroup.singleton.any() }
    var version: (any SQLDatabaseReportedVersion)? { nil }
    var dialect: any SQLDialect { MySQLDialect() }
    var queryLogLevel: Logger.Level? { .debug }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) -> EventLoopFuture<Void> {
        let promise = eventLoop.makePromise(of: Void.self)
        promise.completeWithTask { try await self.execute(sql: query, onRow) }
        return promise.futureResult
    }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) async throws {
        let (sql, binds) = serialize(query)
        logger.debug("Executing query", metadata: ["sql": .string(sql)])
        let values = try binds.map(MariaDBValue.from)
        let connection = self.connection
        let result: MariaDBResult
        do {
            result = try await connection.thread.run { try connection.execute(sql, binds: values) }
        } catch {
            throw DatabaseErrorTranslator.translate(error)
        }
        if result.hasResultSet {
            for row in result.rows { onRow(MariaDBRow(columns: result.columns, values: row)) }
        } else {
            // Statements without a result set report how many rows they touched, which callers
            // read where PostgreSQL and SQLite use RETURNING.
            onRow(MariaDBRow(columns: [MariaDBSQLDatabase.affectedRowsColumn], values: [.integer(Int64(result.affectedRows))]))
        }
    }

    static let affectedRowsColumn = "__affected_rows"
}
#endif
