// Relay throughput and lag against a real database (PostgreSQL or MariaDB) and RabbitMQ: the relay
// scenario of bench/run, also run alone by bench/relay-throughput. Product customerflow-relay-bench;
// it needs the trait RabbitMQ.
//
// 1. Raw publishing: the same CloudEvents the relay will send, published with the same client
//    (RabbitMQTransport, confirms per batch of 500), no database involved: the ceiling.
// 2. Relay throughput: the same number of events seeded in the outbox, drained by one relay
//    (claim → order check → publish in waves → mark), events/s.
// 3. Lag at a steady write rate: customers changed through the real mediator pipeline at a fixed
//    rate while the relay runs; lag = published_at − created_at of each row (commit → broker confirm).
#if RabbitMQ
import CustomerApplication
import CustomerDomain
import EventBus
import Foundation
import Logging
import Mediator
import Persistence
import SQLKit
import Synchronization

@main
struct RelayThroughput {
    static func main() async throws {
        let environment = ProcessInfo.processInfo.environment
        guard let databaseText = environment["BENCH_DATABASE_URL"], let brokerURL = environment["BENCH_RABBITMQ_URL"] else {
            print("set BENCH_DATABASE_URL and BENCH_RABBITMQ_URL (bench/run and bench/relay-throughput do)")
            return
        }
        let events = Int(environment["BENCH_EVENTS"] ?? "") ?? 20_000
        let rate = Int(environment["BENCH_WRITE_RATE"] ?? "") ?? 1_000
        let lagSeconds = Int(environment["BENCH_LAG_SECONDS"] ?? "") ?? 10
        var logger = Logger(label: "bench")
        logger.logLevel = .error

        let client = try await DatabaseClients.open(try DatabaseURL(parsing: databaseText), poolSize: 24, logger: logger)
        let names = try SchemaNames(prefix: "b" + UUID().uuidString.prefix(8).lowercased() + "_")
        let exchange = "bench." + UUID().uuidString.lowercased()
        let transport = try RabbitMQTransport(url: brokerURL, exchange: exchange, logger: logger)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await client.run() }
            // A queue bound to every event, so that nothing comes back unroutable; it acknowledges at once.
            let delivered = Atomic<Int>(0)
            group.addTask {
                try await transport.consume(group: "bench", bindings: ["#"], prefetch: 1000) { delivery in
                    await delivery.ack()
                    delivered.add(1, ordering: .relaxed)
                }
            }
            defer { group.cancelAll() }
            try await MigrationRunner(client: client, names: names, logger: logger).migrate()
            try await Task.sleep(for: .seconds(1))

            let messages = makeEvents(count: events, customers: max(1, events / 10))

            // 1. Raw publishing.
            let outbound = messages.map { message in
                OutboundMessage(id: message.event.id, routingKey: message.event.type, body: message.event.jsonData(), headers: message.headers)
            }
            let rawStart = ContinuousClock.now
            for batch in stride(from: 0, to: outbound.count, by: 500) {
                let results = try await transport.publish(Array(outbound[batch..<min(batch + 500, outbound.count)]))
                precondition(results.allSatisfy { $0 == .confirmed }, "raw publishing was refused")
            }
            let rawSeconds = seconds(ContinuousClock.now - rawStart)

            // 2. Relay throughput.
            let runner = SQLTransactionRunner(client: client, names: names)
            for batch in stride(from: 0, to: messages.count, by: 1000) {
                let slice = Array(messages[batch..<min(batch + 1000, messages.count)])
                try await runner.inTransaction { try await $0.appendOutbox(slice) }
            }
            let store = SQLOutboxStore(client: client, names: names)
            var relayLogger = logger
            if environment["BENCH_PROFILE"] != nil { relayLogger.logLevel = .debug }
            let relay = OutboxRelay(store: store, transport: transport, logger: relayLogger)
            // The relay service as `serve` runs it (pipelined rounds), until the outbox is drained.
            let relayStart = ContinuousClock.now
            let drainTask = Task { try await relay.run() }
            // Drained when the bound queue has received every event twice (raw, then relayed) and
            // the relay has written its last outcome.
            let drainDeadline = ContinuousClock.now + .seconds(300)
            while delivered.load(ordering: .relaxed) < 2 * events {
                guard ContinuousClock.now < drainDeadline else {
                    print("error: the relay did not publish \(events) events within 300 s")
                    exit(1)
                }
                try await Task.sleep(for: .milliseconds(2))
            }
            let relaySeconds = seconds(ContinuousClock.now - relayStart)
            drainTask.cancel()
            _ = await drainTask.result
            let published = try await store.stats(now: Date()).published
            precondition(published == events, "the relay published \(published) of \(events)")

            // 3. Lag at a steady write rate through the whole write path.
            let signal = RelaySignal()
            let mediator = try CustomerUseCases.mediator(
                .init(
                    transactions: SQLTransactionRunner(client: client, names: names, afterOutboxCommit: signal.notify),
                    queries: SQLCustomerQueries(client: client, names: names),
                    cursors: .init(secret: "bench"),
                    logger: logger
                )
            )
            var customers: [CustomerID] = []
            for index in 0..<2000 {
                customers.append(try await mediator.send(RegisterCustomerCommand(name: "Lag \(index)", email: "lag\(index)@example.com")).id)
            }
            while try await relay.runRound().claimed > 0 {}
            let firstLagRow = try await client.withConnection { database in
                try await database.raw("SELECT MAX(seq) AS last FROM \(ident: names.outbox)").first()?.decode(column: "last", as: Int64.self) ?? 0
            }
            let steadyRelay = OutboxRelay(store: store, transport: transport, signal: signal, logger: relayLogger)
            let relayTask = Task { try await steadyRelay.run() }
            let lagStart = ContinuousClock.now
            let commits = try await writeSteadily(mediator: mediator, customers: customers, rate: rate, seconds: lagSeconds)
            let achievedRate = Double(commits.count) / seconds(ContinuousClock.now - lagStart)
            try await Task.sleep(for: .seconds(2))
            relayTask.cancel()
            _ = await relayTask.result
            let lags = try await lagMilliseconds(client: client, names: names, after: firstLagRow, commits: commits)

            let raw = Double(events) / rawSeconds
            let throughput = Double(events) / relaySeconds
            print("events=\(events)")
            print("raw_publish_events_per_second=\(Int(raw))")
            print("relay_events_per_second=\(Int(throughput))")
            print("relay_to_raw_ratio=\(String(format: "%.2f", throughput / raw))")
            print("lag_writes_per_second_target=\(rate)")
            print("lag_writes_per_second_achieved=\(Int(achievedRate))")
            print("lag_events=\(lags.count)")
            print("lag_p50_ms=\(String(format: "%.1f", percentile(lags, 0.50)))")
            print("lag_p99_ms=\(String(format: "%.1f", percentile(lags, 0.99)))")
            print("lag_max_ms=\(String(format: "%.1f", lags.last ?? 0))")
            await transport.shutdown()
            await client.shutdown()
        }
    }

    /// Events of `customers` customers, ten each, in an order where each customer's events keep
    /// their version order but customers interleave at random, as concurrent commits do.
    static func makeEvents(count: Int, customers: Int) -> [OutboxMessage] {
        var versions = [Int](repeating: 0, count: customers)
        let ids = (0..<customers).map { _ in CustomerID.generate().description }
        var order = (0..<count).map { $0 % customers }
        order.shuffle()
        let data = Data(#"{"changed":["name"],"name":"Someone Else"}"#.utf8)
        return order.map { customer in
            versions[customer] += 1
            let event = CloudEvent(
                id: UUID().uuidString.lowercased(), source: "/customerflow", type: "customer.profile_updated.v1",
                subject: ids[customer], time: Timestamp.rfc3339(Date()), data: data)
            return OutboxMessage(event: event, sequence: versions[customer], createdAt: Date())
        }
    }

    /// When each change committed: (customer, version) → the moment `send` returned.
    typealias Commits = [String: Date]

    /// Changes random customers at `rate` per second for `seconds`, from 16 concurrent writers.
    static func writeSteadily(mediator: Mediator, customers: [CustomerID], rate: Int, seconds: Int) async throws -> Commits {
        let writers = 16
        let interval = Duration.seconds(Double(writers) / Double(rate))
        return try await withThrowingTaskGroup(of: Commits.self) { group in
            for writer in 0..<writers {
                group.addTask {
                    let clock = ContinuousClock()
                    let end = clock.now + .seconds(seconds)
                    var next = clock.now + interval * Double(writer) / Double(writers)
                    var count = 0
                    var commits: Commits = [:]
                    while next < end {
                        try await clock.sleep(until: next)
                        let customer = customers[(writer + count * writers) % customers.count]
                        let changed = try await mediator.send(UpdateCustomerProfileCommand(id: customer, name: .set("Name \(count)")))
                        commits["\(changed.id)/\(changed.version)"] = Date()
                        count += 1
                        next += interval
                    }
                    return commits
                }
            }
            return try await group.reduce(into: Commits()) { $0.merge($1) { first, _ in first } }
        }
    }

    /// For each change written during the lag phase: its broker confirm (`published_at`, set when
    /// the batch's confirms arrived) minus the moment its command returned (the commit), sorted.
    static func lagMilliseconds(client: any DatabaseClient, names: SchemaNames, after first: Int64, commits: Commits) async throws -> [Double] {
        let sql: SQLQueryString = client.kind == .postgres
            ? "SELECT subject, sequence, EXTRACT(EPOCH FROM published_at)::float8 AS published FROM \(ident: names.outbox) WHERE seq > \(bind: first)"
            : "SELECT subject, sequence, UNIX_TIMESTAMP(published_at) AS published FROM \(ident: names.outbox) WHERE seq > \(bind: first)"
        let rows = try await client.withConnection { database in try await database.raw(sql).all() }
        var lags: [Double] = []
        for row in rows {
            let key = "\(try row.decode(column: "subject", as: String.self))/\(try row.decode(column: "sequence", as: Int.self))"
            guard let committed = commits[key] else { continue }
            // Never published counts as lagging until now.
            let published = try row.decode(column: "published", as: Double?.self) ?? Date().timeIntervalSince1970
            lags.append((published - committed.timeIntervalSince1970) * 1000)
        }
        return lags.sorted()
    }

    static func percentile(_ sorted: [Double], _ p: Double) -> Double {
        guard !sorted.isEmpty else { return 0 }
        return sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))]
    }

    static func seconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
#else
@main
struct RelayThroughput {
    static func main() {
        print("customerflow-relay-bench publishes to RabbitMQ: build it with --traits RabbitMQ")
    }
}
#endif
