import CustomerApplication
import CustomerDomain
import EventBus
import Foundation
import Persistence
import SQLKit
import Synchronization
import TestSupport
import Testing

@Suite("Relay failures on RabbitMQ", .serialized)
struct RabbitMQFailureTests {
    /// The `customerflow` executable built next to the test bundle.
    static var executable: URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("customerflow")
    }

    @Test(
        "a relay process killed with SIGKILL mid-batch: every event still arrives once after the inbox, in order",
        .serialized, arguments: EventBusSetup.withRabbitMQ)
    func killedRelayProcess(setup: EventBusSetup) async throws {
        try await EventBusHarness.with(setup) { harness in
            let customers = try await harness.writeEvents(customers: 100, changes: 9)
            try await withThrowingTaskGroup(of: Void.self) { services in
                services.addTask { try await harness.consumer([harness.recordingSubscription()]).run() }
                defer { services.cancelAll() }
                try await Task.sleep(for: .milliseconds(500))

                // A kill can land between two batches; try again until one lands inside a batch.
                var orphaned = 0
                for _ in 0..<10 where orphaned == 0 {
                    let relay = try Self.startRelayProcess(harness)
                    let target = try await harness.outboxCount(status: "published") + 50
                    try await EventBusHarness.eventually("the relay process publishes and holds claims") {
                        let published = try await harness.outboxCount(status: "published")
                        let claimed = try await Self.claimedRows(harness, pid: relay.pid)
                        return published >= target && claimed > 0
                    }
                    relay.signal(SIGKILL)
                    #expect(await relay.wait() == .signalled(SIGKILL))
                    orphaned = try await Self.claimedRows(harness, pid: relay.pid)
                }
                #expect(orphaned > 0, "no kill landed inside a batch")
                #expect(try await harness.outboxCount(status: "published") < 1000)

                // A second relay takes over once the dead one's lease (2 s) has run out.
                services.addTask { try await harness.relay(lease: .seconds(2), poll: .milliseconds(100)).run() }
                try await EventBusHarness.eventually("all 1000 events are handled", timeout: .seconds(120)) {
                    try await harness.received().count >= 1000
                }
                try await Task.sleep(for: .milliseconds(500))
                expectCompleteAndOrdered(try await harness.received(), subjects: customers, versions: 10)
            }
        }
    }

    @Test("an event the broker returns (no queue bound) is retried, then failed; it blocks its customer until retried", arguments: EventBusSetup.withRabbitMQ)
    func rejectedEventFailsAndBlocks(setup: EventBusSetup) async throws {
        try await EventBusHarness.with(setup) { harness in
            let retry = RetryPolicy(quickRetries: 1, quickDelay: .milliseconds(1), maxAttempts: 2, baseDelay: .milliseconds(1))
            let relay = harness.relay(retry: retry)
            let customer = try await harness.writeEvents(customers: 1, changes: 0)[0]
            // Nothing is bound to the exchange yet: the broker returns the event.
            var round = try await relay.runRound()
            #expect(round.failed == 1)
            try await Task.sleep(for: .milliseconds(20))
            round = try await relay.runRound()
            #expect(round.failed == 1)
            #expect(try await harness.outboxCount(status: "failed") == 1)
            let failed = try #require(try await harness.outbox.entries(status: .failed, type: nil, limit: 5, before: nil).first)
            #expect(failed.attempts == 2)
            #expect(failed.lastError?.contains("returned") == true)

            // A later event of the same customer waits behind the failed one.
            _ = try await harness.mediator.send(UpdateCustomerProfileCommand(id: customer, name: .set("Changed")))
            round = try await relay.runRound()
            #expect(round.published == 0)
            #expect(try await harness.outboxCount(status: "pending") == 1)

            try await withThrowingTaskGroup(of: Void.self) { services in
                services.addTask { try await harness.consumer([harness.recordingSubscription()]).run() }
                defer { services.cancelAll() }
                try await Task.sleep(for: .seconds(1))  // the consumer declares and binds its queue
                #expect(try await harness.outbox.retry(id: failed.id, now: Date()))
                try await relay.runRound()
                try await EventBusHarness.eventually("both events are handled") { try await harness.received().count == 2 }
                expectCompleteAndOrdered(try await harness.received(), subjects: [customer], versions: 2)
            }
        }
    }

    @Test("an unreachable broker costs no attempt: claims are given back untouched", arguments: TestDatabase.all)
    func unreachableBrokerSpendsNoAttempt(database: TestDatabase) async throws {
        try await EventBusHarness.with(EventBusSetup(database: database, broker: .memory)) { harness in
            #if RabbitMQ
            let dead = try RabbitMQTransport(url: "amqp://guest:guest@127.0.0.1:1/%2F", exchange: "unused", logger: .quiet)
            let relay = OutboxRelay(store: harness.outbox, transport: dead, signal: harness.signal, logger: .quiet)
            try await harness.writeEvents(customers: 2, changes: 1)
            await #expect(throws: TransportUnavailable.self) { try await relay.runRound() }
            let entries = try await harness.outbox.entries(status: nil, type: nil, limit: 10, before: nil)
            #expect(entries.count == 4)
            #expect(entries.allSatisfy { $0.status == .pending && $0.attempts == 0 && $0.claimedUntil == nil })
            #else
            throw TestBroker.NotAvailable(description: "this build lacks the RabbitMQ trait: run scripts/test")
            #endif
        }
    }

    static func startRelayProcess(_ harness: EventBusHarness) throws -> ChildProcess {
        let databaseURL: String
        switch harness.url {
        case .sqliteFile(let path): databaseURL = "sqlite://\(path)"
        default:
            let variable = "CUSTOMERFLOW_TEST_\(harness.setup.database.rawValue.uppercased())_URL"
            databaseURL = try #require(ProcessInfo.processInfo.environment[variable])
        }
        return try ChildProcess.spawn(executable.path, ["relay"], environment: [
            "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "",
            "CUSTOMERFLOW_LOG_LEVEL": ProcessInfo.processInfo.environment["CUSTOMERFLOW_TEST_RELAY_LOG_LEVEL"] ?? "error",
            "CUSTOMERFLOW_DATABASE_URL": databaseURL,
            "CUSTOMERFLOW_DATABASE_TABLE_PREFIX": harness.names.prefix,
            "CUSTOMERFLOW_EVENT_BUS_TRANSPORT": "rabbitmq",
            "CUSTOMERFLOW_EVENT_BUS_RABBITMQ_URL": try #require(harness.brokerURL),
            "CUSTOMERFLOW_EVENT_BUS_RABBITMQ_EXCHANGE": harness.exchange,
            "CUSTOMERFLOW_EVENT_BUS_RELAY_BATCH_SIZE": "10",
            "CUSTOMERFLOW_EVENT_BUS_RELAY_LEASE_SECONDS": "2",
        ], output: ProcessInfo.processInfo.environment["CUSTOMERFLOW_TEST_RELAY_LOG"] ?? "/dev/null")
    }

    /// Pending rows claimed by the relay of process `pid` (relay ids are `host-pid-random`).
    static func claimedRows(_ harness: EventBusHarness, pid: Int32) async throws -> Int {
        let table = harness.names.outbox
        return try await harness.client.withConnection { database in
            try await database.raw(
                "SELECT COUNT(*) AS n FROM \(ident: table) WHERE status = 'pending' AND claimed_by LIKE \(bind: "%-\(pid)-%")"
            ).first()?.decode(column: "n", as: Int.self) ?? 0
        }
    }
}

@Suite("Broker outage", .serialized)
struct BrokerOutageTests {
    @Test(
        "RabbitMQ stopped for 30 s under write load: writes go on, nothing is lost, order is kept, delivery resumes by itself",
        .serialized, arguments: EventBusSetup.withRabbitMQ)
    func brokerOutage(setup: EventBusSetup) async throws {
        try await EventBusHarness.with(setup, brokerURL: try TestBroker.outageURL) { harness in
            try await withThrowingTaskGroup(of: Void.self) { services in
                services.addTask { try await harness.relay(poll: .milliseconds(200)).run() }
                services.addTask { try await harness.consumer([harness.recordingSubscription()]).run() }
                defer { services.cancelAll() }
                let customers = try await harness.writeEvents(customers: 10, changes: 0)
                try await EventBusHarness.eventually("the consumer is running") { try await harness.received().count == 10 }

                let writes = Atomic<Int>(0)
                let writer = Task {
                    var round = 0
                    while !Task.isCancelled {
                        round += 1
                        for customer in customers {
                            _ = try await harness.mediator.send(UpdateCustomerProfileCommand(id: customer, name: .set("Round \(round)")))
                            writes.add(1, ordering: .relaxed)
                        }
                        try await Task.sleep(for: .milliseconds(100))
                    }
                }
                try await Task.sleep(for: .seconds(1))
                try await TestBroker.controlOutageNode("stop")
                let writesBefore = writes.load(ordering: .relaxed)
                try await Task.sleep(for: .seconds(30))
                let writesDuring = writes.load(ordering: .relaxed) - writesBefore
                #expect(writesDuring > 150, "writes stalled while the broker was down")
                try await TestBroker.controlOutageNode("start")
                let restarted = ContinuousClock.now
                try await Task.sleep(for: .seconds(1))
                writer.cancel()
                _ = await writer.result
                // What was committed, from the database: a write cancelled after its commit is
                // not in the writer's count, but its event exists and must arrive.
                var committed = 0
                for customer in customers { committed += try await harness.mediator.send(GetCustomerQuery(id: customer)).version }
                let total = committed
                #expect(total >= 10 + writes.load(ordering: .relaxed))
                try await EventBusHarness.eventually("all \(total) events are handled", timeout: .seconds(120)) {
                    try await harness.received().count >= total
                }
                let caughtUp = ContinuousClock.now - restarted
                try await Task.sleep(for: .milliseconds(500))
                let received = try await harness.received()
                #expect(received.count == total)
                print("broker outage \(setup): \(writesDuring) writes while the broker was down, \(total) events committed, \(received.count) handled once each after the inbox, delivery caught up \(caughtUp) after the restart")
                for customer in customers {
                    let versions = received.filter { $0.subject == customer.description }.map(\.version)
                    #expect(versions == Array(1...versions.count), "customer \(customer) received \(versions)")
                }
            }
        }
    }
}
