import SQLKit

/// A client whose connections trace every statement (``TracingSQLDatabase``). Every client
/// ``DatabaseClients/open(_:poolSize:logger:)`` returns is one.
public struct TracingDatabaseClient: DatabaseClient {
    public let base: any DatabaseClient

    public init(_ base: any DatabaseClient) {
        self.base = base
    }

    public var kind: DatabaseKind { base.kind }

    public func withConnection<R: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        let system = base.tracingSystem
        return try await base.withConnection { database in try await body(TracingSQLDatabase(base: database, system: system)) }
    }

    public func withTransaction<R: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        let system = base.tracingSystem
        return try await base.withTransaction { database in try await body(TracingSQLDatabase(base: database, system: system)) }
    }

    public func run() async throws { try await base.run() }
    public func shutdown() async { await base.shutdown() }
}
