import Benchmark
import CustomerApplication
import CustomerDomain
import Foundation
import Logging
import Mediator
import Persistence

/// What the mediator pipeline (logging → validation → unit of work, with domain event dispatch,
/// history and outbox rows) costs over calling the same handler directly in a bare transaction,
/// both on an in-memory SQLite database so that disk I/O does not hide the difference.
///
/// Pairs, each measured in the same run:
/// - query:   `SQLCustomerQueries.customer(id)` vs `mediator.send(GetCustomerQuery)`
/// - command: `ChangeCustomerEmailHandler.handle` inside `TransactionRunner.inTransaction` (state
///            only) vs `mediator.send(ChangeCustomerEmailCommand)` (state + history + outbox)
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .mallocCountTotal, .throughput],
        warmupIterations: 50,
        maxDuration: .seconds(5),
        maxIterations: 20_000
    )

    Benchmark("query: direct read") { benchmark in
        let fixture = try await Fixture.shared()
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            blackHole(try await fixture.queries.customer(fixture.customerID))
        }
    }

    Benchmark("query: mediator pipeline") { benchmark in
        let fixture = try await Fixture.shared()
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            blackHole(try await fixture.mediator.send(GetCustomerQuery(id: fixture.customerID)))
        }
    }

    Benchmark("command: handler in a bare transaction") { benchmark in
        let fixture = try await Fixture.shared()
        let handler = ChangeCustomerEmailHandler(clock: SystemWallClock())
        var flip = false
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            flip.toggle()
            let command = ChangeCustomerEmailCommand(id: fixture.customerID, email: flip ? "a@example.com" : "b@example.com")
            blackHole(
                try await fixture.transactions.inTransaction { transaction in
                    var context = MediatorContext()
                    context[UnitOfWorkContextKey.self] = UnitOfWork(transaction: transaction)
                    return try await handler.handle(command, context: context)
                }
            )
        }
    }

    Benchmark("command: mediator pipeline") { benchmark in
        let fixture = try await Fixture.shared()
        var flip = false
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            flip.toggle()
            blackHole(
                try await fixture.mediator.send(
                    ChangeCustomerEmailCommand(id: fixture.customerID, email: flip ? "c@example.com" : "d@example.com"))
            )
        }
    }
}

/// One in-memory database with one customer, shared by every benchmark of the run.
actor Fixture {
    static let instance = Fixture()
    private var ready: Ready?

    struct Ready: Sendable {
        let mediator: Mediator
        let queries: SQLCustomerQueries
        let transactions: SQLTransactionRunner
        let customerID: CustomerID
    }

    static func shared() async throws -> Ready { try await instance.make() }

    func make() async throws -> Ready {
        if let ready { return ready }
        var logger = Logger(label: "bench")
        logger.logLevel = .error
        let client = try await DatabaseClients.open(.sqliteMemory, logger: logger)
        let names = try SchemaNames()
        try await MigrationRunner(client: client, names: names, logger: logger).migrate()
        let queries = SQLCustomerQueries(client: client, names: names)
        let transactions = SQLTransactionRunner(client: client, names: names)
        let mediator = try CustomerUseCases.mediator(
            .init(transactions: transactions, queries: queries, cursors: .init(secret: "bench"), logger: logger)
        )
        let customer = try await mediator.send(
            RegisterCustomerCommand(name: "Bench Mark", email: "bench@example.com", phone: "+5511987654321"))
        let ready = Ready(mediator: mediator, queries: queries, transactions: transactions, customerID: customer.id)
        self.ready = ready
        return ready
    }
}
