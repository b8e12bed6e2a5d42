import Logging
import SQLKit

/// A pool of connections to one database, handing out SQLKit databases for single statements
/// and for transactions.
///
/// - Important: ``withTransaction(_:)`` commits when `body` returns and rolls back when it
///   throws or is cancelled; the connection is never returned to the pool inside a transaction.
///   Errors from the driver are translated to the persistence layer's own
///   (``DatabaseErrorTranslator``) before they leave.
public protocol DatabaseClient: Sendable {
    var kind: DatabaseKind { get }

    /// Runs `body` with a connection for reads or single statements (autocommit).
    func withConnection<R: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> R) async throws -> R

    /// Runs `body` in a read-write transaction.
    func withTransaction<R: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> R) async throws -> R

    /// Keeps the pool alive until cancelled or shut down gracefully, then closes every
    /// connection. Run it as a service for as long as the client is used.
    func run() async throws

    /// Closes every connection; later calls fail.
    func shutdown() async
}
