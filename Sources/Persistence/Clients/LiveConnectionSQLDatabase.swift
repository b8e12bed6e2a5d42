import CustomerApplication
import Logging
import NIOCore
import PostgresNIO
import SQLKit

/// A PostgreSQL connection's SQLKit database whose statements cannot wait forever on a
/// connection that has closed.
///
/// postgres-nio 1.33 writes a statement to the channel without a promise: when the server has just
/// closed the connection (terminated backend, restart, failover) and the channel is already gone,
/// the write fails with nobody told, and the statement's future is never completed — the request
/// would hang for good, holding its pool slot. So each statement first checks that the
/// connection is open, and while it runs a timer on the connection's event loop checks again
/// every second; a closed connection fails the statement with ``ApplicationError/Code/unavailable``
/// (503: try again, the pool opens a new connection). Statements that finish normally cost one
/// scheduled task, cancelled (and freed) when they complete.
struct LiveConnectionSQLDatabase: SQLDatabaseWrapper {
    let base: any SQLDatabase
    let connection: PostgresConnection

    /// How often a running statement checks its connection.
    static let checkInterval: TimeAmount = .seconds(1)

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) -> EventLoopFuture<Void> {
        let connection = self.connection
        guard !connection.isClosed else { return connection.eventLoop.makeFailedFuture(Self.closed) }
        let outcome = connection.eventLoop.makePromise(of: Void.self)
        base.execute(sql: query, onRow).cascade(to: outcome)
        Self.watch(connection, until: outcome)
        return outcome.futureResult
    }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) async throws {
        try await execute(sql: query, onRow).get()
    }

    static var closed: ApplicationError {
        ApplicationError(.unavailable, "The database connection was closed; try again.")
    }

    /// Fails `outcome` if `connection` is found closed before `outcome` completes (a completed
    /// promise ignores the late failure). One repeated task per statement, cancelled with it.
    private static func watch(_ connection: PostgresConnection, until outcome: EventLoopPromise<Void>) {
        let check = connection.eventLoop.scheduleRepeatedTask(initialDelay: checkInterval, delay: checkInterval) { task in
            if connection.isClosed {
                task.cancel()
                outcome.fail(closed)
            }
        }
        outcome.futureResult.whenComplete { _ in check.cancel() }
    }
}
