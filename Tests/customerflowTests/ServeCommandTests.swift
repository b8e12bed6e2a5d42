import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import TestSupport
import Testing

/// Runs the real `customerflow` executable built next to the test bundle.
@Suite("customerflow serve as a process")
struct ServeCommandTests {
    static var executable: URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("customerflow")
    }

    static func freePort() -> Int { Int.random(in: 20_000...45_000) }

    static func get(_ url: String) async -> Int? {
        guard let url = URL(string: url) else { return nil }
        var request = URLRequest(url: url)
        request.timeoutInterval = 2
        guard let (_, response) = try? await URLSession.shared.data(for: request) else { return nil }
        return (response as? HTTPURLResponse)?.statusCode
    }

    @Test("SIGTERM stops the server cleanly with exit status 0", arguments: [SIGTERM, SIGINT])
    func stopsOnSignal(signal: Int32) async throws {
        let port = Self.freePort()
        let process = try ChildProcess.spawn(
            Self.executable.path, ["serve", "--port", "\(port)", "--database-url", "sqlite::memory:"],
            environment: ["CUSTOMERFLOW_LOG_LEVEL": "error", "PATH": ProcessInfo.processInfo.environment["PATH"] ?? ""]
        )
        var ready = false
        for _ in 0..<100 where !ready {
            ready = await Self.get("http://127.0.0.1:\(port)/health/ready") == 200
            if !ready { try await Task.sleep(for: .milliseconds(100)) }
        }
        #expect(ready, "the server did not become ready")
        process.signal(signal)
        var termination: ChildProcess.Termination?
        for _ in 0..<100 where termination == nil {
            termination = process.poll()
            if termination == nil { try await Task.sleep(for: .milliseconds(100)) }
        }
        if termination == nil {
            process.signal(SIGKILL)
            _ = await process.wait()
        }
        #expect(termination == .exited(0))
        #expect(await Self.get("http://127.0.0.1:\(port)/health/live") == nil)
    }

    @Test("a bad setting stops the command with a one-line error and a failure status")
    func badSettingIsOneLine() async throws {
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("cf-serve-\(UUID().uuidString).log").path
        let process = try ChildProcess.spawn(Self.executable.path, ["serve", "--database-url", "mysql://nowhere"], output: output)
        let termination = await process.wait()
        let text = (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
        #expect(termination != .exited(0))
        #expect(text.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: "\n").count == 1)
        #expect(text.contains("database.url"))
    }
}
