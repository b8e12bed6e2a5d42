import SQLKit

/// Answers the readiness probe: the database answers and the schema is current.
public struct DatabaseHealth: Sendable {
    public let client: any DatabaseClient
    public let migrations: MigrationRunner

    public init(client: any DatabaseClient, migrations: MigrationRunner) {
        self.client = client
        self.migrations = migrations
    }

    public enum Status: Sendable, Equatable {
        case ready
        case unreachable(String)
        case migrationsPending
    }

    public func check() async -> Status {
        do {
            _ = try await client.withConnection { database in
                try await database.raw("SELECT 1 AS ok").all().count
            }
        } catch {
            return .unreachable(String(describing: error))
        }
        do {
            return try await migrations.isUpToDate() ? .ready : .migrationsPending
        } catch {
            return .unreachable(String(describing: error))
        }
    }
}
