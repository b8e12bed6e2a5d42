import Foundation
#if canImport(Glibc)
import Glibc
#endif
import MetricsTestKit
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Persistence
import SQLKit
import Synchronization
import TestSupport
import Testing

/// The production shape (issue 9): three `customerflow serve` processes on one database and one
/// broker, a load writing through all three, one server killed with SIGKILL mid-load and started
/// again. Nothing acknowledged may be lost, and every committed change must reach a consumer once
/// (after its inbox), in order per customer, with no outbox row left behind.
@Suite("Crash under load", .serialized)
struct CrashUnderLoadTests {
    /// What the load was told, per request that got a 2xx.
    struct Acknowledged: Sendable {
        var created: [String] = []
        var updated: [(id: String, version: Int)] = []
        var erased: [String] = []
        var failed = 0
    }

    final class Ledger: Sendable {
        let state = Mutex(Acknowledged())
        let stopping = Atomic<Bool>(false)
    }

    @Test(
        "three serve processes, one killed with SIGKILL mid-load and restarted: every acknowledged write stored, every committed change delivered once after the inbox, in order, no outbox row stuck",
        .serialized, arguments: EventBusSetup.withRabbitMQ.filter { $0.database != .sqlite })
    func killedServerUnderLoad(setup: EventBusSetup) async throws {
        try await EventBusHarness.with(setup) { harness in
            try await withThrowingTaskGroup(of: Void.self) { services in
                let metrics = TestMetrics()
                services.addTask { try await harness.consumer([harness.recordingSubscription()], metrics: metrics).run() }
                defer { services.cancelAll() }
                try await Task.sleep(for: .seconds(1))  // the consumer declares and binds its queue

                let ports = try (0..<3).map { _ in try Self.freePort() }
                var servers = try ports.map { try Self.startServer(harness, port: $0) }
                defer { for server in servers { server.signal(SIGKILL) } }
                for port in ports { try await Self.waitUntilReady(port: port) }

                let ledger = Ledger()
                let load = Task {
                    try await withThrowingTaskGroup(of: Void.self) { group in
                        for worker in 0..<12 {
                            group.addTask { try await Self.write(worker: worker, ports: ports, ledger: ledger) }
                        }
                        try await group.waitForAll()
                    }
                }
                try await Task.sleep(for: .seconds(3))
                servers[1].signal(SIGKILL)
                #expect(await servers[1].wait() == .signalled(SIGKILL))
                let acknowledgedAtKill = ledger.state.withLock { $0.created.count + $0.updated.count }
                try await Task.sleep(for: .seconds(3))
                servers[1] = try Self.startServer(harness, port: ports[1])
                try await Self.waitUntilReady(port: ports[1])
                try await Task.sleep(for: .seconds(3))
                ledger.stopping.store(true, ordering: .relaxed)
                try await load.value
                let acknowledged = ledger.state.withLock { $0 }
                #expect(acknowledgedAtKill > 50, "too little load before the kill to mean anything")

                // No outbox row stuck: the dead server's claims expire (lease 2 s) and the others publish them.
                let drainStarted = ContinuousClock.now
                try await EventBusHarness.eventually("every outbox row is published", timeout: .seconds(90)) {
                    let pending = try await harness.outboxCount(status: "pending")
                    let failed = try await harness.outboxCount(status: "failed")
                    return pending == 0 && failed == 0
                }
                let drained = ContinuousClock.now - drainStarted
                let committed = try await Self.committedChanges(harness)
                try await EventBusHarness.eventually("the consumer handled every committed change", timeout: .seconds(90)) {
                    try await harness.received().count >= committed.count
                }
                try await Task.sleep(for: .milliseconds(500))
                let received = try await harness.received()
                let duplicates = (try? metrics.expectCounter("customerflow_inbox_messages_total", [("group", "recorder"), ("outcome", "duplicate")]).totalValue) ?? 0
                print(
                    "crash \(setup): \(acknowledged.created.count) creates, \(acknowledged.updated.count) updates, \(acknowledged.erased.count) erasures acknowledged, "
                        + "\(acknowledged.failed) requests failed (the killed server's); \(committed.count) changes committed, \(received.count) handled after the inbox (\(duplicates) duplicate deliveries dropped by it); "
                        + "outbox drained \(drained) after the load")

                // Every acknowledged write is a committed change.
                let committedKeys = Set(committed.map { "\($0.subject)/\($0.sequence)" })
                for id in acknowledged.created { #expect(committedKeys.contains("\(id)/1"), "acknowledged create \(id) is not stored") }
                for (id, version) in acknowledged.updated {
                    #expect(committedKeys.contains("\(id)/\(version)"), "acknowledged change \(id) v\(version) is not stored")
                }
                for id in acknowledged.erased {
                    #expect(try await Self.status(port: ports[0], path: "/v1/customers/\(id)") == 410, "acknowledged erasure of \(id) did not hold")
                }
                // Every committed change handled exactly once, in version order per customer.
                #expect(received.count == committed.count, "\(received.count) handled for \(committed.count) committed")
                #expect(Set(received.map(\.messageID)).count == received.count, "a message was handled twice")
                var expected: [String: Int] = [:]
                for change in committed { expected[change.subject, default: 0] += 1 }
                var handled: [String: [Int]] = [:]
                for row in received { handled[row.subject, default: []].append(row.version) }
                for (subject, count) in expected {
                    #expect(handled[subject] == Array(1...count), "customer \(subject): committed 1…\(count), handled \(handled[subject] ?? [])")
                }
            }
        }
    }

    // MARK: - The servers

    static func startServer(_ harness: EventBusHarness, port: Int) throws -> ChildProcess {
        let variable = "CUSTOMERFLOW_TEST_\(harness.setup.database.rawValue.uppercased())_URL"
        return try ChildProcess.spawn(
            RabbitMQFailureTests.executable.path, ["serve", "--port", "\(port)"],
            environment: [
                "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "",
                "CUSTOMERFLOW_LOG_LEVEL": "error",
                "CUSTOMERFLOW_DATABASE_URL": try #require(ProcessInfo.processInfo.environment[variable]),
                "CUSTOMERFLOW_DATABASE_TABLE_PREFIX": harness.names.prefix,
                "CUSTOMERFLOW_DATABASE_POOL_SIZE": "8",
                "CUSTOMERFLOW_EVENT_BUS_TRANSPORT": "rabbitmq",
                "CUSTOMERFLOW_EVENT_BUS_RABBITMQ_URL": try #require(harness.brokerURL),
                "CUSTOMERFLOW_EVENT_BUS_RABBITMQ_EXCHANGE": harness.exchange,
                "CUSTOMERFLOW_EVENT_BUS_RELAY_LEASE_SECONDS": "2",
                "CUSTOMERFLOW_EVENT_BUS_RELAY_POLL_INTERVAL_MILLISECONDS": "200",
            ],
            output: ProcessInfo.processInfo.environment["CUSTOMERFLOW_TEST_SERVE_LOG"] ?? "/dev/null")
    }

    /// A port nothing listens on now: the kernel's pick for a socket bound to port 0.
    static func freePort() throws -> Int {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(descriptor, $0, length) == 0 && getsockname(descriptor, $0, &length) == 0
            }
        }
        guard bound else { throw POSIXError(.EADDRINUSE) }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    static func waitUntilReady(port: Int) async throws {
        for _ in 0..<150 {
            if try await status(port: port, path: "/health/ready") == 200 { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw ServerNotReady(port: port)
    }

    struct ServerNotReady: Error, CustomStringConvertible {
        let port: Int
        var description: String { "the server on port \(port) did not become ready within 15 s" }
    }

    // MARK: - The load

    /// Creates customers, changes them and now and then erases one, through the three servers in
    /// turn, until told to stop. A request without an answer (the killed server) is not acknowledged.
    static func write(worker: Int, ports: [Int], ledger: Ledger) async throws {
        var mine: [String] = []
        var step = 0
        while !ledger.stopping.load(ordering: .relaxed) {
            step += 1
            let port = ports[step % ports.count]
            let roll = Int.random(in: 0..<20)
            if mine.isEmpty || roll < 5 {
                let body = #"{"name": "Crash \#(worker)-\#(step)", "email": "crash-\#(worker)-\#(step)-\#(UUID().uuidString.prefix(8))@example.com"}"#
                guard let (code, json) = await send("POST", port: port, path: "/v1/customers", body: body) else {
                    ledger.state.withLock { $0.failed += 1 }
                    continue
                }
                #expect(code == 201, "create answered \(code)")
                if code == 201, let id = json["id"] as? String {
                    mine.append(id)
                    ledger.state.withLock { $0.created.append(id) }
                }
            } else if roll == 19 && mine.count > 3 {
                let id = mine.removeFirst()
                guard let (code, _) = await send("DELETE", port: port, path: "/v1/customers/\(id)", body: nil) else {
                    ledger.state.withLock { $0.failed += 1 }
                    continue
                }
                #expect(code == 204, "erasure answered \(code)")
                if code == 204 { ledger.state.withLock { $0.erased.append(id) } }
            } else {
                let id = mine[Int.random(in: 0..<mine.count)]
                guard let (code, json) = await send("PATCH", port: port, path: "/v1/customers/\(id)", body: #"{"name": "Changed \#(worker)-\#(step)"}"#) else {
                    ledger.state.withLock { $0.failed += 1 }
                    continue
                }
                // A change racing the kill may have committed without an answer; another worker never
                // touches this customer, so 200 is the only acknowledged outcome.
                #expect(code == 200, "change answered \(code)")
                if code == 200, let version = json["version"] as? Int {
                    ledger.state.withLock { $0.updated.append((id, version)) }
                }
            }
        }
    }

    /// Status and JSON body, or nil when no answer came (connection refused or cut).
    static func send(_ method: String, port: Int, path: String, body: String?) async -> (Int, [String: Any])? {
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)\(path)")!)
        request.httpMethod = method
        request.timeoutInterval = 10
        if let body {
            request.httpBody = Data(body.utf8)
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        guard let (data, response) = try? await URLSession.shared.data(for: request), let http = response as? HTTPURLResponse else {
            return nil
        }
        return (http.statusCode, (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:])
    }

    static func status(port: Int, path: String) async throws -> Int? {
        await send("GET", port: port, path: path, body: nil)?.0
    }

    /// Every change committed, from the outbox: (customer, version).
    static func committedChanges(_ harness: EventBusHarness) async throws -> [(subject: String, sequence: Int)] {
        let table = harness.names.outbox
        return try await harness.client.withConnection { database in
            try await database.raw("SELECT subject, sequence FROM \(ident: table)").all().map {
                (try $0.decode(column: "subject", as: String.self), try $0.decode(column: "sequence", as: Int.self))
            }
        }
    }
}
