import SQLKit

/// Answers the readiness probe: the database (and its read replica, when there is one) answers
/// and the schema is current.
public struct DatabaseHealth: Sendable {
    public let client: any DatabaseClient
    public let replica: (any DatabaseClient)?
    public let migrations: MigrationRunner

    public init(client: any DatabaseClient, replica: (any DatabaseClient)? = nil, migrations: MigrationRunner) {
        self.client = client
        self.replica = replica
        self.migrations = migrations
    }

    /// One checked part: `database`, `replica` (when there is one) or `schema`.
    public struct Part: Hashable, Sendable {
        public let name: String
        public let up: Bool
        public let detail: String?
    }

    /// The database and the replica answer (each within the probe timeout), and every migration
    /// is applied. The schema is not checked when the database does not answer.
    public func check() async -> [Part] {
        let client = self.client
        let replica = self.replica
        async let primaryAnswer: (any Error)? = Self.failure { try await Self.ping(client) }
        async let replicaAnswer: (any Error)?? = Self.replicaFailure(replica)
        var parts: [Part] = []
        let primaryError = await primaryAnswer
        parts.append(Part(name: "database", up: primaryError == nil, detail: primaryError.map { "does not answer: \(Self.kind(of: $0))" }))
        if let replicaError = await replicaAnswer {
            parts.append(Part(name: "replica", up: replicaError == nil, detail: replicaError.map { "does not answer: \(Self.kind(of: $0))" }))
        }
        guard primaryError == nil else { return parts + [Part(name: "schema", up: false, detail: "unknown while the database does not answer")] }
        let migrations = self.migrations
        do {
            let current = try await ProbeDeadline.run(within: .seconds(2)) { try await migrations.isUpToDate() }
            parts.append(Part(name: "schema", up: current, detail: current ? nil : "migrations are pending"))
        } catch {
            parts.append(Part(name: "schema", up: false, detail: "cannot be read: \(Self.kind(of: error))"))
        }
        return parts
    }

    /// `nil` without a replica; else what its ping threw, if anything.
    private static func replicaFailure(_ replica: (any DatabaseClient)?) async -> (any Error)?? {
        guard let replica else { return nil }
        return .some(await failure { try await ping(replica) })
    }

    private static func failure(_ body: () async throws -> Void) async -> (any Error)? {
        do {
            try await body()
            return nil
        } catch {
            return error
        }
    }

    /// What went wrong, without the error text (which may quote a connection string).
    private static func kind(of error: any Error) -> String {
        if let timeout = error as? ProbeDeadline.Exceeded { return timeout.description }
        return String(describing: type(of: error))
    }

    /// A probe must answer within its own timeout even when a pool waits a minute for a
    /// connection to a server that is down: past `timeout`, the database counts as unreachable.
    private static func ping(_ client: any DatabaseClient, timeout: Duration = .seconds(2)) async throws {
        _ = try await ProbeDeadline.run(within: timeout) {
            try await client.withConnection { database in try await database.raw("SELECT 1 AS ok").all().count }
        }
    }
}
