import Foundation
import HTTPTypes
import HummingbirdTesting
import Persistence
import Synchronization
import TestSupport
import Testing

@testable import customerflow

/// The database stopped under write load and started again (issue 9): the service answers fast
/// with 503 `unavailable` while it is gone, says so on readiness, heals by itself, and keeps every
/// write it acknowledged. Runs on a server of its own (`CUSTOMERFLOW_TEST_*_OUTAGE_URL`), so that
/// the other suites keep theirs.
@Suite("Database outage", .serialized)
struct DatabaseOutageAPITests {
    /// One write of the load and what it got.
    struct Write: Sendable {
        let started: ContinuousClock.Instant
        let seconds: Double
        let status: Int
        let problemType: String?
        let id: String?
    }

    /// The load's shared state: whether to stop, and every write so far.
    final class Load: Sendable {
        let stopping = Atomic<Bool>(false)
        let writes = Mutex<[Write]>([])
    }

    /// The pool test's callers: whether to stop, and each call's start and outcome.
    final class Calls: Sendable {
        let stopping = Atomic<Bool>(false)
        let log = Mutex<[(started: ContinuousClock.Instant, answered: Bool)]>([])
    }

    static var servers: [TestDatabase] { TestDatabase.all.filter { $0 != .sqlite } }

    @Test(
        "the database stopped for 10 s under write load: 503 unavailable within 5 s, readiness 503, recovery without a restart, every acknowledged write kept",
        arguments: servers)
    func outageUnderLoad(database: TestDatabase) async throws {
        let url = try database.outageURL()
        try await withApp(database, configure: { $0.databaseURL = url }) { client in
            let clock = ContinuousClock()
            let state = Load()
            let load = Task {
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for writer in 0..<8 {
                        group.addTask {
                            var count = 0
                            while !state.stopping.load(ordering: .relaxed) {
                                count += 1
                                let started = clock.now
                                let response = try await client.send(
                                    .post, "/v1/customers",
                                    json: #"{"name": "Outage \#(writer)-\#(count)", "email": "o\#(writer)-\#(count)-\#(UUID().uuidString.prefix(8))@example.com"}"#)
                                let write = Write(
                                    started: started, seconds: Self.seconds(clock.now - started), status: response.status.code,
                                    problemType: response.problemSlug, id: response.object["id"] as? String)
                                state.writes.withLock { $0.append(write) }
                                // A failing write answers at once; pace the retries of a real client.
                                if write.status != 201 { try await Task.sleep(for: .milliseconds(50)) }
                            }
                        }
                    }
                    try await group.waitForAll()
                }
            }

            // Load for 2 s, and until some write has been acknowledged: on a loaded machine the
            // first writes (fresh connections, a cold server) can take longer than that.
            let loadStarted = clock.now
            try await Task.sleep(for: .seconds(2))
            while state.writes.withLock({ !$0.contains { $0.status == 201 } }), clock.now < loadStarted + .seconds(30) {
                try await Task.sleep(for: .milliseconds(100))
            }
            try await database.controlOutageServer("stop")
            // Timed from the moment the server is gone (a stop can take a while under load).
            let stopped = clock.now
            // Readiness during the outage, once a second after the first.
            var readiness: [Int] = []
            var readinessBodies: [String] = []
            do {
                try await Task.sleep(for: .seconds(1))
                while clock.now < stopped + .seconds(10) {
                    let ready = try await client.send(.get, "/health/ready")
                    readiness.append(ready.status.code)
                    readinessBodies.append(ready.text)
                    try await Task.sleep(for: .seconds(1))
                }
            } catch {
                // Never leave the server down for the suites after this one.
                try? await database.controlOutageServer("start")
                throw error
            }
            let restarting = clock.now
            try await database.controlOutageServer("start")
            let restarted = clock.now
            // Recovery: the first write that started after the restart and succeeded.
            var recovered: ContinuousClock.Instant?
            while recovered == nil && clock.now < restarted + .seconds(30) {
                try await Task.sleep(for: .milliseconds(100))
                recovered = state.writes.withLock { $0.first { $0.started >= restarted && $0.status == 201 }?.started }
            }
            try await Task.sleep(for: .seconds(2))
            state.stopping.store(true, ordering: .relaxed)
            try await load.value
            // Readiness says ready again (its probe has 2 s, which a loaded machine can miss once).
            var readyAfter = try await client.send(.get, "/health/ready")
            for _ in 0..<20 where readyAfter.status != .ok {
                try await Task.sleep(for: .milliseconds(500))
                readyAfter = try await client.send(.get, "/health/ready")
            }

            let all = state.writes.withLock { $0 }
            let before = all.filter { $0.started + .seconds($0.seconds) < stopped }
            // From a second after the stop (what was in flight at the stop has failed by then) to the restart.
            let during = all.filter { $0.started >= stopped + .seconds(1) && $0.started + .seconds($0.seconds) < restarting }
            let after = all.filter { $0.started >= (recovered ?? restarted) }
            print(
                "outage \(database): writes before \(before.count) (\(before.filter { $0.status == 201 }.count) acknowledged), "
                    + "during \(during.count) (slowest \(String(format: "%.2f", during.map(\.seconds).max() ?? 0)) s, statuses \(Set(during.map(\.status)).sorted())), "
                    + "recovery \(recovered.map { String(format: "%.2f", Self.seconds($0 - restarted)) } ?? "none") s after the restart, "
                    + "after \(after.count) (\(after.filter { $0.status == 201 }.count) acknowledged)")

            #expect(before.contains { $0.status == 201 }, "no write got through before the outage")
            // Only success or 503 unavailable, and the 503s fast: nobody waits on a dead database.
            for write in all where write.status != 201 {
                #expect(write.status == 503 && write.problemType == "unavailable", "a write answered \(write.status) \(write.problemType ?? "")")
            }
            #expect(!during.isEmpty && during.allSatisfy { $0.status == 503 }, "writes during the outage: \(Set(during.map(\.status)))")
            let slowest = during.map(\.seconds).max() ?? 0
            #expect(slowest < 5, "a write waited \(slowest) s for a database that was down")
            #expect(!readiness.isEmpty && readiness.allSatisfy { $0 == 503 }, "readiness during the outage: \(readiness) \(readinessBodies.last ?? "")")
            #expect(readinessBodies.allSatisfy { $0.contains("\"database\"") && $0.contains("\"down\"") }, "\(readinessBodies.last ?? "")")
            // Healed by itself.
            #expect(recovered != nil, "no write succeeded within 30 s of the restart")
            if let recovered { #expect(recovered - restarted < .seconds(10), "recovery took \(recovered - restarted)") }
            #expect(after.contains { $0.status == 201 })
            #expect(readyAfter.status == .ok, "readiness after recovery: \(readyAfter.text)")
            // Nothing acknowledged was lost.
            for id in all.compactMap(\.id) {
                let stored = try await client.send(.get, "/v1/customers/\(id)")
                #expect(stored.status == .ok, "acknowledged customer \(id) answers \(stored.status)")
            }
        }
    }

    /// Found by the soak: postgres-nio 1.33.2's `PostgresClient`, with a minimum of connections,
    /// trapped when a lease arrived after an outage before the pool had refilled and with no idle
    /// connection (the whole process died). So callers keep arriving across the restart here, as
    /// requests do, through two outages.
    @Test(
        "the PostgreSQL pool serves callers that keep arriving across two outages and restarts, without a restart of its own",
        .enabled(if: TestDatabase.all.contains(.postgres)))
    func poolSurvivesRepeatedOutages() async throws {
        guard case .postgres(let location) = try TestDatabase.postgres.outageURL() else {
            Issue.record("CUSTOMERFLOW_TEST_POSTGRES_OUTAGE_URL is not a PostgreSQL URL")
            return
        }
        let client = try PostgresDatabaseClient(location, maximumConnections: 8, minimumConnections: 8, logger: .quiet)
        let clock = ContinuousClock()
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await client.run() }
            defer { group.cancelAll() }
            for outage in 1...2 {
                let calls = Calls()
                var restarted = clock.now
                try await withThrowingTaskGroup(of: Void.self) { callers in
                    for _ in 0..<16 {
                        callers.addTask {
                            while !calls.stopping.load(ordering: .relaxed) {
                                let started = clock.now
                                let answered = (try? await client.withConnection { try await $0.raw("SELECT 1 AS one").run() }) != nil
                                calls.log.withLock { $0.append((started, answered)) }
                                try await Task.sleep(for: .milliseconds(answered ? 5 : 20))
                            }
                        }
                    }
                    try await Task.sleep(for: .milliseconds(300))
                    try await TestDatabase.postgres.controlOutageServer("stop")
                    try await Task.sleep(for: .milliseconds(700))
                    try await TestDatabase.postgres.controlOutageServer("start")
                    restarted = clock.now
                    try await Task.sleep(for: .seconds(2))
                    calls.stopping.store(true, ordering: .relaxed)
                    try await callers.waitForAll()
                }
                let all = calls.log.withLock { $0 }
                let firstBack = all.filter { $0.answered && $0.started >= restarted }.map(\.started).min()
                #expect(firstBack != nil, "outage \(outage): no caller was served after the restart")
                if let firstBack {
                    let later = all.filter { $0.started > firstBack + .milliseconds(500) }
                    #expect(!later.isEmpty && later.allSatisfy(\.answered), "outage \(outage): \(later.filter { !$0.answered }.count) of \(later.count) callers failed after recovery")
                }
            }
        }
        await client.shutdown()
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
