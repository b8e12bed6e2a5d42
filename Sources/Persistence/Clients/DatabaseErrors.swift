import CustomerApplication
import NIOCore
import PostgresNIO
import SQLiteNIO

/// A unique index refused a row. `constraint` is the index name where the database reports it
/// (PostgreSQL, MySQL — where a primary key is `PRIMARY`); SQLite reports the columns instead,
/// kept in `detail`.
public struct UniqueViolation: Error, Hashable, Sendable, CustomStringConvertible {
    public let constraint: String?
    public let detail: String
    public var description: String { "unique violation on \(constraint ?? detail)" }
}

/// A failure after which running the whole transaction again may succeed: a deadlock, a
/// serialization failure, a database busy with another writer.
public struct TransientDatabaseError: TransientFailure, Hashable, Sendable, CustomStringConvertible {
    public let detail: String
    public var description: String { "transient database failure: \(detail)" }
}

/// Translates driver errors into the persistence layer's own, so that nothing above this layer
/// needs to know which database is in use.
enum DatabaseErrorTranslator {
    static func translate(_ error: any Error) -> any Error {
        switch error {
        case is UniqueViolation, is TransientDatabaseError, is ApplicationError, is CancellationError:
            return error
        case let error as PSQLError:
            return translate(postgres: error)
        case let error as SQLiteError:
            return translate(sqlite: error)
        #if MySQL
        case let error as MariaDBError:
            return translate(mariadb: error)
        #endif
        case is ChannelError, is IOError, is DedicatedThread.Stopped, is PostgresConnectionPool.PoolClosed:
            return unavailable()
        default:
            return error
        }
    }

    static func unavailable() -> ApplicationError {
        ApplicationError(.unavailable, "The database is not answering; try again shortly.")
    }

    private static func translate(postgres error: PSQLError) -> any Error {
        switch error.code {
        case .server:
            let state = error.serverInfo?[.sqlState] ?? ""
            switch state {
            case "23505":
                return UniqueViolation(constraint: error.serverInfo?[.constraintName], detail: error.serverInfo?[.message] ?? "")
            case "40001", "40P01", "55P03":
                return TransientDatabaseError(detail: "PostgreSQL \(state)")
            case "22021", "22P05":
                // A NUL or an unencodable character in a bound value: the input's fault, and no
                // retry or other database state changes it.
                return ApplicationError(.unstorableText, "The request holds a character the database cannot store, such as NUL.")
            default:
                if state.hasPrefix("08") || state.hasPrefix("57P") || state == "53300" {
                    return unavailable()
                }
                return error
            }
        case .connectionError, .serverClosedConnection, .uncleanShutdown, .clientClosedConnection, .poolClosed,
            .sslUnsupported, .failedToAddSSLHandler:
            return unavailable()
        default:
            return error
        }
    }

    #if MySQL
    private static func translate(mariadb error: MariaDBError) -> any Error {
        switch error.code {
        case 1062, 1586:
            return UniqueViolation(constraint: error.duplicateKeyName, detail: error.message)
        case 1213, 1205:
            return TransientDatabaseError(detail: "MySQL \(error.code)")
        case 1040, 1053, 1927, 2002, 2003, 2005, 2006, 2013, 2055, 4031:
            return unavailable()
        case 1461:
            // The server's cap on prepared statements (all clients together) is reached even after
            // this connection gave its own back: a shortage of the server's, not a fault of the request.
            return unavailable()
        default:
            return error
        }
    }
    #endif

    private static func translate(sqlite error: SQLiteError) -> any Error {
        let text = "\(error.reason)"
        if text.hasPrefix("constraintUnique") || text.hasPrefix("constraintPrimaryKey") {
            return UniqueViolation(constraint: nil, detail: error.message)
        }
        if text.hasPrefix("busy") || text.hasPrefix("locked") {
            return TransientDatabaseError(detail: "SQLite \(text)")
        }
        return error
    }
}
