import Logging

/// Opens the right client for a database URL.
public enum DatabaseClients {
    /// How many connections ``open(_:poolSize:logger:)`` may hold for `url`: `poolSize` for a
    /// server; the writer plus at most 8 readers for an SQLite file; one for SQLite in memory.
    public static func connections(for url: DatabaseURL, poolSize: Int) -> Int {
        switch url {
        case .sqliteMemory: 1
        case .sqliteFile: min(poolSize, 8) + 1
        case .postgres, .mysql: poolSize
        }
    }

    /// A client for `url` whose statements are traced (``TracingDatabaseClient``).
    ///
    /// - Parameters:
    ///   - poolSize: PostgreSQL or MySQL connections, or SQLite reader connections.
    ///   - poolMinimum: PostgreSQL connections opened at start (see ``PostgresDatabaseClient``);
    ///     the MariaDB pool is fixed and SQLite's connections are always open.
    public static func open(_ url: DatabaseURL, poolSize: Int = 20, poolMinimum: Int = 0, logger: Logger) async throws -> any DatabaseClient {
        TracingDatabaseClient(try await openDriver(url, poolSize: poolSize, poolMinimum: poolMinimum, logger: logger))
    }

    private static func openDriver(_ url: DatabaseURL, poolSize: Int, poolMinimum: Int, logger: Logger) async throws -> any DatabaseClient {
        switch url {
        case .sqliteFile, .sqliteMemory:
            return try await SQLiteDatabaseClient.open(url, readers: min(poolSize, 8), logger: logger)
        case .postgres(let location):
            return try PostgresDatabaseClient(location, maximumConnections: poolSize, minimumConnections: poolMinimum, logger: logger)
        case .mysql(let location):
            #if MySQL
            return MariaDBDatabaseClient(location, poolSize: poolSize, logger: logger)
            #else
            _ = location
            throw DatabaseURLError("this build has no MySQL driver; build with --traits MySQL (needs libmariadb-dev)")
            #endif
        }
    }
}
