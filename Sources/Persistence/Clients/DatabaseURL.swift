import Foundation

/// Where the database is, parsed from the one URL the service is configured with.
///
/// - `sqlite://PATH` (relative: `sqlite://customerflow.sqlite`; absolute: `sqlite:///var/lib/cf.sqlite`)
/// - `sqlite::memory:` (a private in-memory database; gone when the process ends)
/// - `postgres://user:password@host:port/database?sslmode=disable|prefer|require`
///   (`postgresql://` is accepted too)
/// - `mysql://user:password@host:port/database?ssl-mode=disabled|preferred|required|verify-ca|verify-identity&ssl-ca=/path`
///   (`mariadb://` is accepted too; needs a build with the package trait `MySQL`)
public enum DatabaseURL: Hashable, Sendable, CustomStringConvertible {
    case sqliteFile(path: String)
    case sqliteMemory
    case postgres(PostgresLocation)
    case mysql(MySQLLocation)

    public struct PostgresLocation: Hashable, Sendable {
        public enum TLSMode: String, Hashable, Sendable {
            case disable, prefer, require
        }

        public var host: String
        public var port: Int
        public var username: String
        public var password: String?
        public var database: String
        public var tls: TLSMode
    }

    /// The kind of database, the key of every dialect difference.
    public var kind: DatabaseKind {
        switch self {
        case .sqliteFile, .sqliteMemory: .sqlite
        case .postgres: .postgres
        case .mysql: .mysql
        }
    }

    public init(parsing text: String) throws {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed == "sqlite::memory:" || trimmed == "sqlite://:memory:" {
            self = .sqliteMemory
            return
        }
        if trimmed.hasPrefix("sqlite://") {
            let path = String(trimmed.dropFirst("sqlite://".count))
            guard !path.isEmpty else { throw DatabaseURLError("sqlite:// needs a file path, e.g. sqlite://customerflow.sqlite") }
            self = .sqliteFile(path: path.removingPercentEncoding ?? path)
            return
        }
        if trimmed.hasPrefix("postgres://") || trimmed.hasPrefix("postgresql://") {
            let server = try ServerURL(parsing: trimmed, product: "PostgreSQL", example: "postgres://user:password@host:5432/database")
            let modeText = server.query.first(where: { $0.name == "sslmode" })?.value ?? "prefer"
            let mode: PostgresLocation.TLSMode
            switch modeText {
            case "disable": mode = .disable
            case "allow", "prefer": mode = .prefer
            case "require", "verify-ca", "verify-full": mode = .require
            default: throw DatabaseURLError("sslmode must be disable, prefer or require")
            }
            self = .postgres(
                PostgresLocation(
                    host: server.host, port: server.port ?? 5432, username: server.username, password: server.password,
                    database: server.database, tls: mode
                )
            )
            return
        }
        if trimmed.hasPrefix("mysql://") || trimmed.hasPrefix("mariadb://") {
            self = .mysql(try MySQLLocation(parsing: trimmed))
            return
        }
        throw DatabaseURLError(
            "unsupported database URL; use sqlite://PATH, sqlite::memory:, postgres://user:pass@host:port/db or mysql://user:pass@host:port/db")
    }

    /// The URL with the password hidden, safe for logs.
    public var description: String {
        switch self {
        case .sqliteMemory: return "sqlite::memory:"
        case .sqliteFile(let path): return "sqlite://\(path)"
        case .postgres(let location):
            let user = location.password == nil ? location.username : "\(location.username):***"
            return "postgres://\(user)@\(location.host):\(location.port)/\(location.database)?sslmode=\(location.tls.rawValue)"
        case .mysql(let location):
            let user = location.password == nil ? location.username : "\(location.username):***"
            return "mysql://\(user)@\(location.host):\(location.port)/\(location.database)?ssl-mode=\(location.tls.rawValue)"
        }
    }
}

/// The database families CustomerFlow speaks.
public enum DatabaseKind: String, Hashable, Sendable {
    case sqlite
    case postgres
    /// MySQL 8 or MariaDB 10.6+.
    case mysql
}

/// A database URL that could not be understood.
public struct DatabaseURLError: Error, Hashable, Sendable, CustomStringConvertible {
    public let message: String
    init(_ message: String) { self.message = message }
    public var description: String { "Invalid database URL: \(message)" }
}

/// Where a MySQL or MariaDB server is, and how to talk to it.
public struct MySQLLocation: Hashable, Sendable {
    /// The `ssl-mode` of MySQL's own clients.
    public enum TLSMode: String, Hashable, Sendable {
        case disabled, preferred, required
        case verifyCA = "verify-ca"
        case verifyIdentity = "verify-identity"
    }

    public var host: String
    public var port: Int
    public var username: String
    public var password: String?
    public var database: String
    public var tls: TLSMode
    /// CA file for `verify-ca` / `verify-identity` (`?ssl-ca=/path`).
    public var certificateAuthority: String?

    init(parsing text: String) throws {
        let server = try ServerURL(parsing: text, product: "MySQL", example: "mysql://user:password@host:3306/database")
        let query = server.query
        let modeText = (query.first { $0.name == "ssl-mode" || $0.name == "sslmode" }?.value ?? "preferred").lowercased()
        guard let mode = TLSMode(rawValue: modeText) else {
            throw DatabaseURLError("ssl-mode must be disabled, preferred, required, verify-ca or verify-identity")
        }
        self.host = server.host
        self.port = server.port ?? 3306
        self.username = server.username
        self.password = server.password
        self.database = server.database
        self.tls = mode
        self.certificateAuthority = query.first { $0.name == "ssl-ca" }?.value
    }
}

/// The parts every server URL has: `scheme://user[:password]@host[:port]/database?query`.
private struct ServerURL {
    let host: String
    let port: Int?
    let username: String
    let password: String?
    let database: String
    let query: [URLQueryItem]

    init(parsing text: String, product: String, example: String) throws {
        guard let components = URLComponents(string: text), let host = components.host, !host.isEmpty else {
            throw DatabaseURLError("a \(product) URL looks like \(example)")
        }
        let database = String(components.path.drop(while: { $0 == "/" }))
        guard !database.isEmpty else { throw DatabaseURLError("the \(product) URL names no database (…/database)") }
        guard let username = components.user, !username.isEmpty else {
            throw DatabaseURLError("the \(product) URL names no user (\(components.scheme ?? "scheme")://user@…)")
        }
        self.host = host
        self.port = components.port
        self.username = username.removingPercentEncoding ?? username
        self.password = components.password.map { $0.removingPercentEncoding ?? $0 }
        self.database = database
        self.query = components.queryItems ?? []
    }
}
