import Foundation
import TestSupport
import Testing

/// `customerflow health`, the container image's HEALTHCHECK, against a real `serve` process.
@Suite("customerflow health")
struct HealthCommandTests {
    /// Runs `customerflow health` with `arguments` and `environment`: its exit status and output.
    static func health(_ arguments: [String], environment: [String: String] = [:]) async throws -> (ChildProcess.Termination, String) {
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("cf-health-\(UUID().uuidString).log").path
        var variables = environment
        variables["PATH"] = ProcessInfo.processInfo.environment["PATH"] ?? ""
        let process = try ChildProcess.spawn(ServeCommandTests.executable.path, ["health"] + arguments, environment: variables, output: output)
        let termination = await process.wait()
        return (termination, (try? String(contentsOfFile: output, encoding: .utf8)) ?? "")
    }

    @Test("exits 0 while the service on the configured port is alive or ready, and 1 with one line when nothing answers or the route is not 2xx")
    func answersForTheConfiguredPort() async throws {
        let port = ServeCommandTests.freePort()
        let server = try ChildProcess.spawn(
            ServeCommandTests.executable.path, ["serve", "--port", "\(port)", "--database-url", "sqlite::memory:"],
            environment: ["CUSTOMERFLOW_LOG_LEVEL": "error", "PATH": ProcessInfo.processInfo.environment["PATH"] ?? ""])
        defer { server.signal(SIGKILL) }
        var ready = false
        for _ in 0..<100 where !ready {
            ready = await ServeCommandTests.get("http://127.0.0.1:\(port)/health/ready") == 200
            if !ready { try await Task.sleep(for: .milliseconds(100)) }
        }
        try #require(ready, "the server did not become ready")

        // The port as the image sets it: through the environment, like serve reads it.
        let (live, liveOutput) = try await Self.health([], environment: ["CUSTOMERFLOW_HTTP_PORT": "\(port)"])
        #expect(live == .exited(0), "\(liveOutput)")
        #expect(liveOutput.contains("/health/live: 200"))
        let (readiness, readyOutput) = try await Self.health(["--ready"], environment: ["CUSTOMERFLOW_HTTP_PORT": "\(port)"])
        #expect(readiness == .exited(0), "\(readyOutput)")
        #expect(readyOutput.contains("/health/ready: 200"))

        let (missing, missingOutput) = try await Self.health(["--url", "http://127.0.0.1:\(port)/health/nothing"])
        #expect(missing != .exited(0))
        #expect(missingOutput.contains("404") && missingOutput.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: "\n").count == 1, "\(missingOutput)")

        server.signal(SIGTERM)
        _ = await server.wait()
        let (down, downOutput) = try await Self.health([], environment: ["CUSTOMERFLOW_HTTP_PORT": "\(port)"])
        #expect(down != .exited(0))
        #expect(downOutput.contains("no answer") && downOutput.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: "\n").count == 1, "\(downOutput)")
    }

    @Test("a URL that is not http(s) is a one-line error")
    func refusesOtherURLs() async throws {
        let (termination, output) = try await Self.health(["--url", "ftp://127.0.0.1/health"])
        #expect(termination != .exited(0))
        #expect(output.contains("--url must be an http or https URL"))
    }
}
