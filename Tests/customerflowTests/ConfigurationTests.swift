import Configuration
import Foundation
import Persistence
import Testing

@testable import customerflow

@Suite("Configuration")
struct ConfigurationTests {
    func load(flags: [String: ConfigValue] = [:], file: String? = nil) async throws -> CustomerFlowConfiguration {
        try CustomerFlowConfiguration.load(from: try await CustomerFlowConfiguration.reader(flags: flags, configFile: file))
    }

    func writeFile(_ json: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("cf-config-\(UUID().uuidString).json").path
        try json.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test("defaults need nothing: SQLite next to the process, loopback, port 8080")
    func defaults() async throws {
        let configuration = try await load()
        #expect(configuration.host == "127.0.0.1")
        #expect(configuration.port == 8080)
        #expect(configuration.databaseURL == .sqliteFile(path: "customerflow.sqlite"))
        #expect(configuration.tablePrefix == "")
    }

    @Test("a flag beats the file, and the file beats the default")
    func precedence() async throws {
        let file = try writeFile(#"{"http": {"port": 9000, "host": "0.0.0.0"}, "database": {"poolSize": 7}}"#)
        let fromFile = try await load(file: file)
        #expect(fromFile.port == 9000)
        #expect(fromFile.host == "0.0.0.0")
        #expect(fromFile.databasePoolSize == 7)
        let flagged = try await load(flags: ["http.port": ConfigValue(.int(9100), isSecret: false)], file: file)
        #expect(flagged.port == 9100)
        #expect(flagged.host == "0.0.0.0")
    }

    @Test("the PostgreSQL pool is kept open by default whatever its size; an explicit minimum is kept, and a bad one refused")
    func poolMinimumFollowsThePoolSize() async throws {
        #expect(try await load().databasePoolMinimum == 20)
        let sized = try await load(file: try writeFile(#"{"database": {"poolSize": 50}}"#))
        #expect(sized.databasePoolMinimum == 50)
        let explicit = try await load(file: try writeFile(#"{"database": {"poolSize": 50, "poolMinimum": 5}}"#))
        #expect(explicit.databasePoolMinimum == 5)
        let none = try await load(flags: ["database.poolMinimum": ConfigValue(.int(0), isSecret: false)])
        #expect(none.databasePoolMinimum == 0)
        await #expect(throws: (any Error).self) {
            try await load(file: try writeFile(#"{"database": {"poolMinimum": "many"}}"#))
        }
    }

    @Test("a cursor key shorter than 32 bytes is refused with the key's name; the development default passes")
    func cursorKeyLength() async throws {
        #expect(try await load().cursorSecret == CustomerFlowConfiguration.defaultCursorSecret)
        let short = ["api.cursorSecret": ConfigValue(.string("REPLACE-ME"), isSecret: true)]
        await #expect { try await load(flags: short) } throws: { "\($0)".contains("api.cursorSecret must be at least 32 bytes") }
        let long = ["api.cursorSecret": ConfigValue(.string(String(repeating: "c", count: 32)), isSecret: true)]
        #expect(try await load(flags: long).cursorSecret.count == 32)
    }

    @Test("environment variable names follow the keys")
    func environmentNames() {
        let names = CustomerFlowConfiguration.settings.map(\.environmentVariable)
        #expect(names.contains("CUSTOMERFLOW_DATABASE_URL"))
        #expect(names.contains("CUSTOMERFLOW_DATABASE_POOL_SIZE"))
        #expect(names.contains("CUSTOMERFLOW_HTTP_PORT"))
    }

    @Test("auth settings: a JWKS needs an audience and https (plain http only for a loopback address); origins must be origins")
    func authSettings() async throws {
        func jwks(_ url: String, audience: String? = "customerflow") throws -> String {
            try writeFile(#"{"auth": {"jwt": {"jwksUrl": "\#(url)"\#(audience.map { #", "audience": "\#($0)""# } ?? "")}}}"#)
        }
        for refused in ["http://idp.example.com/jwks", "http://127.example.com/jwks", "ftp://127.0.0.1/jwks"] {
            await #expect { try await load(file: try jwks(refused)) } throws: { "\($0)".contains("auth.jwt.jwksUrl") }
        }
        for accepted in ["https://idp.example.com/jwks", "http://127.0.0.1:9000/jwks", "http://localhost/jwks", "http://[::1]:8000/jwks"] {
            #expect(try await load(file: try jwks(accepted)).auth.jwksURL == accepted)
        }
        await #expect { try await load(file: try jwks("https://idp.example.com/jwks", audience: nil)) } throws: {
            "\($0)".contains("auth.jwt.audience is required")
        }
        await #expect { try await load(file: try writeFile(#"{"cors": {"allowedOrigins": "https://app.example.com/path"}}"#)) } throws: {
            "\($0)".contains("cors.allowedOrigins")
        }
        #expect(try await load(file: try writeFile(#"{"cors": {"allowedOrigins": "https://a.example.com, http://localhost:3000"}}"#)).corsAllowedOrigins
            == ["https://a.example.com", "http://localhost:3000"])
    }

    @Test("a present but wrong value is an error naming the key, not a silent default")
    func invalidValues() async throws {
        await #expect { try await load(file: try writeFile(#"{"http": {"port": "eighty"}}"#)) } throws: {
            "\($0)".contains("http.port")
        }
        await #expect { try await load(file: try writeFile(#"{"http": {"port": 70000}}"#)) } throws: {
            "\($0)".contains("http.port")
        }
        await #expect { try await load(flags: ["database.url": ConfigValue(.string("mysql://x"), isSecret: false)]) } throws: {
            "\($0)".contains("database.url")
        }
        await #expect { try await load(file: try writeFile(#"{"database": {"tablePrefix": "a-b"}}"#)) } throws: {
            "\($0)".contains("database.tablePrefix")
        }
        await #expect { try await load(file: "/nonexistent/config.json") } throws: {
            "\($0)".contains("/nonexistent/config.json")
        }
    }

    @Test("database URLs: SQLite file and memory, PostgreSQL with TLS mode; the password never printed")
    func databaseURLs() throws {
        #expect(try DatabaseURL(parsing: "sqlite::memory:") == .sqliteMemory)
        #expect(try DatabaseURL(parsing: "sqlite:///var/lib/cf.sqlite") == .sqliteFile(path: "/var/lib/cf.sqlite"))
        let postgres = try DatabaseURL(parsing: "postgres://app:s%40cret@db.local:6432/customers?sslmode=require")
        guard case .postgres(let location) = postgres else {
            Issue.record("not parsed as PostgreSQL")
            return
        }
        #expect(location.host == "db.local")
        #expect(location.port == 6432)
        #expect(location.password == "s@cret")
        #expect(location.database == "customers")
        #expect(location.tls == .require)
        #expect(!postgres.description.contains("cret"))
        #expect(throws: DatabaseURLError.self) { try DatabaseURL(parsing: "postgres://host/db") }
        #expect(throws: DatabaseURLError.self) { try DatabaseURL(parsing: "postgres://u@host/") }
        #expect(throws: DatabaseURLError.self) { try DatabaseURL(parsing: "postgres://u@host/db?sslmode=maybe") }
    }

    @Test("MySQL URLs: host, port, user, percent-encoded password, TLS mode and CA file; the password never printed")
    func mysqlURLs() throws {
        let mysql = try DatabaseURL(parsing: "mysql://app:p%40ss@db.local:3307/shop?ssl-mode=verify-ca&ssl-ca=/etc/ca.pem")
        guard case .mysql(let location) = mysql else {
            Issue.record("not parsed as MySQL")
            return
        }
        #expect(location.host == "db.local")
        #expect(location.port == 3307)
        #expect(location.username == "app")
        #expect(location.password == "p@ss")
        #expect(location.database == "shop")
        #expect(location.tls == .verifyCA)
        #expect(location.certificateAuthority == "/etc/ca.pem")
        #expect(mysql.kind == .mysql)
        #expect(!mysql.description.contains("p@ss") && !mysql.description.contains("p%40ss"))
        guard case .mysql(let defaults) = try DatabaseURL(parsing: "mariadb://app@db/shop") else {
            Issue.record("mariadb:// not parsed as MySQL")
            return
        }
        #expect(defaults.port == 3306 && defaults.tls == .preferred && defaults.password == nil)
        #expect(throws: DatabaseURLError.self) { try DatabaseURL(parsing: "mysql://db/shop") }
        #expect(throws: DatabaseURLError.self) { try DatabaseURL(parsing: "mysql://u@db/") }
        #expect(throws: DatabaseURLError.self) { try DatabaseURL(parsing: "mysql://u@db/shop?ssl-mode=sometimes") }
    }
}
