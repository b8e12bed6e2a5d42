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

    public enum Status: Sendable, Equatable {
        case ready
        case unreachable(String)
        case replicaUnreachable(String)
        case migrationsPending
    }

    /// A probe must answer within its own timeout even when a pool waits a minute for a
    /// connection to a server that is down: past `timeout`, the database counts as unreachable.
    private static func ping(_ client: any DatabaseClient, timeout: Duration = .seconds(2)) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                _ = try await client.withConnection { database in
                    try await database.raw("SELECT 1 AS ok").all().count
                }
            }
            group.addTask {
                try await Task.sleep(for: timeout)
                throw ProbeTimeout(timeout: timeout)
            }
            defer { group.cancelAll() }
            try await group.next()
        }
    }

    struct ProbeTimeout: Error, CustomStringConvertible {
        let timeout: Duration
        var description: String { "no answer within \(timeout)" }
    }

    public func check() async -> Status {
        do {
            try await Self.ping(client)
        } catch {
            return .unreachable(String(describing: error))
        }
        if let replica {
            do {
                try await Self.ping(replica)
            } catch {
                return .replicaUnreachable(String(describing: error))
            }
        }
        do {
            return try await migrations.isUpToDate() ? .ready : .migrationsPending
        } catch {
            return .unreachable(String(describing: error))
        }
    }
}
