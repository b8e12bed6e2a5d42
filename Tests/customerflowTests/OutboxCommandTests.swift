import Foundation
import TestSupport
import Testing

@Suite("customerflow migrate and outbox commands")
struct OutboxCommandTests {
    /// Runs `customerflow` with `arguments`; returns its exit status and output.
    static func run(_ arguments: [String]) async throws -> (status: ChildProcess.Termination, output: String) {
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("cf-cli-\(UUID().uuidString).log").path
        let process = try ChildProcess.spawn(
            ServeCommandTests.executable.path, arguments,
            environment: ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "", "CUSTOMERFLOW_LOG_LEVEL": "error"],
            output: output
        )
        let status = await process.wait()
        return (status, (try? String(contentsOfFile: output, encoding: .utf8)) ?? "")
    }

    @Test("relay refuses the in-memory bus in one line: alone, it would mark events published that nobody hears")
    func relayRefusesTheInMemoryBus() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("cf-cli-\(UUID().uuidString).sqlite").path
        let relay = try await Self.run(["relay", "--database-url", "sqlite://\(path)"])
        #expect(relay.status != .exited(0))
        #expect(relay.output.contains("eventBus.transport is memory"))
        #expect(relay.output.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: "\n").count == 1)
    }

    @Test("migrate --dry-run prints SQL and changes nothing; migrate applies; outbox status prints the statistics as JSON")
    func migrateAndStatus() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("cf-cli-\(UUID().uuidString).sqlite").path
        let database = ["--database-url", "sqlite://\(path)"]

        let dryRun = try await Self.run(["migrate", "--dry-run"] + database)
        #expect(dryRun.status == .exited(0))
        #expect(dryRun.output.contains("CREATE TABLE customers ("))
        let statusBefore = try await Self.run(["outbox", "status"] + database)
        #expect(statusBefore.status != .exited(0), "the outbox table must not exist after a dry run")

        let migrate = try await Self.run(["migrate"] + database)
        #expect(migrate.status == .exited(0))
        #expect(migrate.output.contains("Applied 3 migration"))
        #expect(try await Self.run(["migrate"] + database).output.contains("up to date"))

        let migrations = try await Self.run(["migrate", "status"] + database)
        #expect(migrations.status == .exited(0))
        let row = try #require(migrations.output.split(separator: "\n").first { $0.hasPrefix("1 ") })
        #expect(row.contains("applied") && row.contains("create customers"))
        let baseline = try await Self.run(["migrate", "baseline", "--version", "1"] + database)
        #expect(baseline.status != .exited(0))
        #expect(baseline.output.contains("already has 3 migration"))
        #expect(baseline.output.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: "\n").count == 1)

        let status = try await Self.run(["outbox", "status"] + database)
        #expect(status.status == .exited(0))
        let stats = try #require(try JSONSerialization.jsonObject(with: Data(status.output.utf8)) as? [String: Any])
        #expect(stats["pending"] as? Int == 0)
        #expect(stats["failed"] as? Int == 0)
        #expect(stats["oldestPendingAgeSeconds"] is NSNull)

        let retryAll = try await Self.run(["outbox", "retry-failed"] + database)
        #expect(retryAll.status == .exited(0))
        #expect(retryAll.output.contains("0 failed event(s)"))

        let retryUnknown = try await Self.run(["outbox", "retry", "no-such-event"] + database)
        #expect(retryUnknown.status != .exited(0))
        #expect(retryUnknown.output.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: "\n").count == 1)
        #expect(retryUnknown.output.contains("no-such-event"))
    }
}
