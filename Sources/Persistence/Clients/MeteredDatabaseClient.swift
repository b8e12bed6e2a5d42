import SQLKit
import Synchronization

/// A client that counts how many callers hold one of its connections or wait for one, for the
/// pool gauges of `/metrics`. Every call passes straight through.
public final class MeteredDatabaseClient: DatabaseClient {
    public let base: any DatabaseClient
    /// The connections the pool may open.
    public let size: Int
    private let leases = Atomic<Int>(0)

    public init(_ base: any DatabaseClient, size: Int) {
        self.base = base
        self.size = max(1, size)
    }

    public var kind: DatabaseKind { base.kind }

    /// Connections held by callers now.
    public var inUse: Int { min(leases.load(ordering: .relaxed), size) }
    /// Connections the pool could still hand out.
    public var idle: Int { size - inUse }
    /// Callers waiting for a connection.
    public var waiting: Int { max(0, leases.load(ordering: .relaxed) - size) }

    public func withConnection<R: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        leases.add(1, ordering: .relaxed)
        defer { leases.subtract(1, ordering: .relaxed) }
        return try await base.withConnection(body)
    }

    public func withTransaction<R: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        leases.add(1, ordering: .relaxed)
        defer { leases.subtract(1, ordering: .relaxed) }
        return try await base.withTransaction(body)
    }

    public func run() async throws { try await base.run() }
    public func shutdown() async { await base.shutdown() }
}
