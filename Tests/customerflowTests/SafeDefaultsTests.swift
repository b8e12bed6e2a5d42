import Foundation
import TestSupport
import Testing

@testable import customerflow

/// Without authentication the service stays on loopback; `customerflow token` signs development tokens.
@Suite("Safe defaults and development tokens")
struct SafeDefaultsTests {
    static let secret = "a-development-secret-of-32-bytes-or-more"
    static let cursorSecret = "a-cursor-key-for-the-tests-of-32-bytes-or-more"

    static func run(_ arguments: [String], environment extra: [String: String] = [:], until ready: (() async -> Bool)? = nil) async throws -> (status: ChildProcess.Termination, output: String) {
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("cf-safe-\(UUID().uuidString).log").path
        var environment = ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "", "CUSTOMERFLOW_LOG_LEVEL": "info"]
        environment.merge(extra) { $1 }
        let process = try ChildProcess.spawn(ServeCommandTests.executable.path, arguments, environment: environment, output: output)
        if let ready {
            var up = false
            for _ in 0..<100 where !up {
                up = await ready()
                if !up { try await Task.sleep(for: .milliseconds(100)) }
            }
            process.signal(SIGTERM)
            #expect(up, "the server did not start")
        }
        // A command expected to stop by itself that serves instead is stopped, and fails the test.
        var status = process.poll()
        for _ in 0..<150 where status == nil {
            try await Task.sleep(for: .milliseconds(100))
            status = process.poll()
        }
        if status == nil {
            process.signal(SIGKILL)
            Issue.record("customerflow \(arguments.joined(separator: " ")) did not stop")
            status = await process.wait()
        }
        return (status ?? .exited(-1), (try? String(contentsOfFile: output, encoding: .utf8)) ?? "")
    }

    @Test("serve refuses a non-loopback address without authentication, in one line, and starts there with auth or --allow-anonymous")
    func refusesToServeOpenlyOnTheNetwork() async throws {
        let refused = try await Self.run(["serve", "--host", "0.0.0.0", "--port", "\(ServeCommandTests.freePort())", "--database-url", "sqlite::memory:"])
        #expect(refused.status != .exited(0))
        #expect(refused.output.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: "\n").count == 1, "\(refused.output)")
        #expect(refused.output.contains("refusing to serve on 0.0.0.0 without authentication"))

        let anonymousPort = ServeCommandTests.freePort()
        let anonymous = try await Self.run(
            ["serve", "--host", "0.0.0.0", "--port", "\(anonymousPort)", "--database-url", "sqlite::memory:", "--allow-anonymous"],
            environment: ["CUSTOMERFLOW_API_CURSOR_SECRET": Self.cursorSecret],
            until: { await ServeCommandTests.get("http://127.0.0.1:\(anonymousPort)/health/live") == 200 })
        #expect(anonymous.status == .exited(0))
        #expect(anonymous.output.contains("authentication is off"))

        let securedPort = ServeCommandTests.freePort()
        let secured = try await Self.run(
            ["serve", "--host", "0.0.0.0", "--port", "\(securedPort)", "--database-url", "sqlite::memory:"],
            environment: ["CUSTOMERFLOW_AUTH_JWT_HS256SECRET": Self.secret, "CUSTOMERFLOW_API_CURSOR_SECRET": Self.cursorSecret],
            until: { await ServeCommandTests.get("http://127.0.0.1:\(securedPort)/v1/customers") == 401 })
        #expect(secured.status == .exited(0))
        #expect(!secured.output.contains("authentication is off"))
        #expect(!secured.output.contains(Self.secret), "the secret was logged")
    }

    @Test("serve refuses a non-loopback address with the development cursor key (it is public), in one line")
    func refusesTheDevelopmentCursorKeyOnTheNetwork() async throws {
        let refused = try await Self.run(
            ["serve", "--host", "0.0.0.0", "--port", "\(ServeCommandTests.freePort())", "--database-url", "sqlite::memory:"],
            environment: ["CUSTOMERFLOW_AUTH_JWT_HS256SECRET": Self.secret])
        #expect(refused.status != .exited(0))
        #expect(refused.output.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: "\n").count == 1, "\(refused.output)")
        #expect(refused.output.contains("refusing to serve on 0.0.0.0 with the development api.cursorSecret"))
    }

    @Test("loopback without authentication starts and says so")
    func loopbackStartsAndWarns() async throws {
        let port = ServeCommandTests.freePort()
        let result = try await Self.run(
            ["serve", "--port", "\(port)", "--database-url", "sqlite::memory:"],
            until: { await ServeCommandTests.get("http://127.0.0.1:\(port)/health/live") == 200 })
        #expect(result.status == .exited(0))
        #expect(result.output.contains("authentication is off") && result.output.contains("loopback"))
    }

    @Test("customerflow token prints a token the service accepts with exactly the scopes asked for")
    func tokenCommandSignsWithTheConfiguredSecret() async throws {
        let environment = ["CUSTOMERFLOW_AUTH_JWT_HS256SECRET": Self.secret, "CUSTOMERFLOW_AUTH_JWT_AUDIENCE": "customerflow"]
        let issued = try await Self.run(["token", "--scopes", "customers:read,customers:write", "--subject", "alice", "--ttl", "600"], environment: environment)
        #expect(issued.status == .exited(0))
        let token = issued.output.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(token.split(separator: ".").count == 3)

        var configuration = try await CustomerFlowConfiguration.load(from: CustomerFlowConfiguration.reader(flags: [:], configFile: nil))
        configuration.auth.hs256Secret = Self.secret
        configuration.auth.audience = "customerflow"
        let security = try await RouterSecurity(configuration, logger: .quiet)
        let caller = try await #require(security.verifier).verify(token)
        #expect(caller.subject == "alice")
        #expect(caller.scopes == [.customersRead, .customersWrite])

        let unknown = try await Self.run(["token", "--scopes", "customers:everything", "--subject", "alice"], environment: environment)
        #expect(unknown.status != .exited(0))
        #expect(unknown.output.contains("unknown scope customers:everything"))
        let noSecret = try await Self.run(["token", "--scopes", "admin", "--subject", "alice"])
        #expect(noSecret.status != .exited(0))
        #expect(noSecret.output.contains("auth.jwt.hs256Secret is not set"))
        #expect(noSecret.output.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: "\n").count == 1)
    }

    @Test("--help shows no secret defaults; a short secret is refused")
    func helpAndShortSecrets() async throws {
        let help = try await Self.run(["serve", "--help"], environment: ["CUSTOMERFLOW_AUTH_JWT_HS256SECRET": Self.secret])
        #expect(!help.output.contains(Self.secret))
        #expect(help.output.contains("--allow-anonymous"))
        let short = try await Self.run(["serve", "--database-url", "sqlite::memory:"], environment: ["CUSTOMERFLOW_AUTH_JWT_HS256SECRET": "short"])
        #expect(short.status != .exited(0))
        #expect(short.output.contains("at least 32 bytes"))
        #expect(!short.output.contains("short\n") && !short.output.contains("\"short\""))
    }
}
