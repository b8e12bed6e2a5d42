import CustomerApplication
import CustomerDomain
import EventBus
import Foundation
import Logging
import Mediator
import CoreMetrics
import Persistence
import SQLKit
import TestSupport
import Testing

/// A real database (migrated, fresh prefix), a real transport, the application's mediator with
/// the relay's wake-up signal, and a `received` table that consumer handlers write to inside their
/// inbox transaction.
struct EventBusHarness: Sendable {
    let setup: EventBusSetup
    let client: any DatabaseClient
    let names: SchemaNames
    let transport: any Transport
    let signal: RelaySignal
    let mediator: Mediator
    let outbox: SQLOutboxStore
    let inbox: SQLInboxStore
    let url: DatabaseURL
    let exchange: String
    let brokerURL: String?

    var receivedTable: String { names.prefix + "received" }

    /// - Parameter brokerURL: another RabbitMQ node than the shared one (the outage node).
    static func with<R: Sendable>(_ setup: EventBusSetup, brokerURL: String? = nil, _ body: @Sendable (EventBusHarness) async throws -> R) async throws -> R {
        let url = try setup.database.url(file: true)
        let client = try await DatabaseClients.open(url, poolSize: 20, logger: .quiet)
        let names = try SchemaNames(prefix: TestDatabase.uniquePrefix())
        let exchange = "test." + UUID().uuidString.lowercased()
        let transport = try setup.broker.makeTransport(exchange: exchange, url: brokerURL)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await client.run() }
            defer { group.cancelAll() }
            do {
                try await MigrationRunner(client: client, names: names, logger: .quiet).migrate()
                let received = names.prefix + "received"
                let key = switch client.kind {
                case .postgres: "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY"
                case .mysql: "BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY"
                case .sqlite: "INTEGER PRIMARY KEY AUTOINCREMENT"
                }
                try await client.withConnection { database in
                    try await database.raw(
                        "CREATE TABLE \(ident: received) (seq \(unsafeRaw: key), group_name TEXT NOT NULL, subject TEXT NOT NULL, version INTEGER NOT NULL, message_id TEXT NOT NULL)"
                    ).run()
                }
                let signal = RelaySignal()
                let harness = EventBusHarness(
                    setup: setup, client: client, names: names, transport: transport, signal: signal,
                    mediator: try makeTestMediator(
                        client: client, names: names, clock: SystemWallClock(),
                        transactions: SQLTransactionRunner(client: client, names: names, afterOutboxCommit: signal.notify)
                    ),
                    outbox: SQLOutboxStore(client: client, names: names),
                    inbox: SQLInboxStore(client: client, names: names),
                    url: url,
                    exchange: exchange,
                    brokerURL: setup.broker == .rabbitmq ? try brokerURL ?? TestBroker.rabbitMQURL : nil
                )
                let result = try await body(harness)
                await transport.shutdown()
                await client.shutdown()
                return result
            } catch {
                await transport.shutdown()
                await client.shutdown()
                throw error
            }
        }
    }

    func relay(id: String = OutboxRelay.makeID(), batchSize: Int = 500, lease: Duration = .seconds(30), poll: Duration = .milliseconds(200), retry: RetryPolicy = RetryPolicy(), client: (any DatabaseClient)? = nil) -> OutboxRelay {
        OutboxRelay(
            id: id, store: SQLOutboxStore(client: client ?? self.client, names: names), transport: transport,
            configuration: .init(batchSize: batchSize, pollInterval: poll, lease: lease, retry: retry), signal: signal, logger: .quiet
        )
    }

    /// A subscription whose handler records each event in `received`, in its inbox transaction.
    func recordingSubscription(group: String = "recorder", patterns: [String] = ["customer.#"], failWhen: (@Sendable (CloudEvent) -> Bool)? = nil) -> Subscription {
        let table = receivedTable
        return Subscription(group: group, patterns: patterns) { event, context in
            if let failWhen, failWhen(event) { throw HandlerRefusal() }
            let database = try #require(context.transaction as? any SQLDatabase)
            let version = (try JSONSerialization.jsonObject(with: event.data) as? [String: Any])?["version"] as? Int ?? -1
            try await database.raw(
                "INSERT INTO \(ident: table) (group_name, subject, version, message_id) VALUES (\(bind: group), \(bind: event.subject), \(bind: version), \(bind: event.id))"
            ).run()
        }
    }

    func consumer(
        _ subscriptions: [Subscription], retry: RetryPolicy = RetryPolicy(quickRetries: 2, quickDelay: .milliseconds(20), maxAttempts: 3, baseDelay: .milliseconds(50)),
        metrics: any MetricsFactory = MetricsSystem.factory
    ) -> EventConsumer {
        EventConsumer(
            transport: transport, inbox: inbox, subscriptions: subscriptions,
            configuration: .init(prefetch: 50, handlerRetry: retry, retryPollInterval: .milliseconds(100)), logger: .quiet, metrics: metrics
        )
    }

    /// Rows of `received`, in handling order.
    func received(group: String = "recorder") async throws -> [(subject: String, version: Int, messageID: String)] {
        let table = receivedTable
        return try await client.withConnection { database in
            try await database.raw("SELECT subject, version, message_id FROM \(ident: table) WHERE group_name = \(bind: group) ORDER BY seq").all().map {
                (try $0.decode(column: "subject", as: String.self), try $0.decode(column: "version", as: Int.self), try $0.decode(column: "message_id", as: String.self))
            }
        }
    }

    func outboxCount(status: String) async throws -> Int {
        let table = names.outbox
        return try await client.withConnection { database in
            try await database.raw("SELECT COUNT(*) AS n FROM \(ident: table) WHERE status = \(bind: status)").first()?.decode(column: "n", as: Int.self) ?? -1
        }
    }

    /// Registers `customers` customers and changes each `changes` times; returns their ids.
    @discardableResult
    func writeEvents(customers: Int, changes: Int, tag: String = UUID().uuidString.prefix(8).lowercased()) async throws -> [CustomerID] {
        try await withThrowingTaskGroup(of: CustomerID.self) { group in
            for index in 0..<customers {
                group.addTask {
                    let customer = try await mediator.send(RegisterCustomerCommand(name: "Customer \(index)", email: "c\(index)-\(tag)@example.com"))
                    for change in 0..<changes {
                        _ = try await mediator.send(UpdateCustomerProfileCommand(id: customer.id, name: .set("Customer \(index) v\(change + 2)")))
                    }
                    return customer.id
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
    }

    /// Waits until `condition` holds, polling; fails the test after `timeout`.
    static func eventually(_ what: String, timeout: Duration = .seconds(60), _ condition: @Sendable () async throws -> Bool) async throws {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if try await condition() { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        Issue.record("timed out waiting until \(what)")
        throw TimedOut()
    }

    struct TimedOut: Error {}
    struct HandlerRefusal: Error, CustomStringConvertible { var description: String { "handler refused the event" } }
}

/// Each subject's versions arrive in increasing order, each exactly once, with nothing missing.
func expectCompleteAndOrdered(_ received: [(subject: String, version: Int, messageID: String)], subjects: [CustomerID], versions: Int, sourceLocation: SourceLocation = #_sourceLocation) {
    let bySubject = Dictionary(grouping: received, by: \.subject)
    #expect(bySubject.count == subjects.count, "events of \(bySubject.count) of \(subjects.count) customers arrived", sourceLocation: sourceLocation)
    for subject in subjects {
        let got = bySubject[subject.description]?.map(\.version) ?? []
        #expect(got == Array(1...versions), "customer \(subject) received versions \(got)", sourceLocation: sourceLocation)
    }
}
