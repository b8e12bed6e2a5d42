import CustomerApplication
import CustomerDomain
import Foundation
import Logging
import Mediator
import Testing
import Validation

@Suite("Unit of work behaviour")
struct UnitOfWorkBehaviorTests {
    let store = InMemoryTransactionRunner()

    func mediator(customize: (inout MediatorBuilder) -> Void = { _ in }) throws -> Mediator {
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        return try CustomerUseCases.mediator(
            .init(
                transactions: store, queries: InMemoryQueries(runner: store), clock: SystemWallClock(),
                cursors: CustomerListCursorCodec(secret: "k"), logger: logger
            ),
            customize: customize
        )
    }

    func register(_ mediator: Mediator) async throws -> CustomerDetails {
        try await mediator.send(RegisterCustomerCommand(name: "Ana", email: "ana@example.com"))
    }

    @Test("a command commits its state with one history entry and one outbox message per event")
    func commitsHistoryAndOutbox() async throws {
        let mediator = try mediator()
        let customer = try await register(mediator)
        _ = try await mediator.send(DeactivateCustomerCommand(id: customer.id, reason: "pause"))
        let state = store.state.withLock { $0 }
        #expect(state.history.map(\.type) == ["customer.registered", "customer.deactivated"])
        #expect(state.outbox.map(\.event.type) == ["customer.registered.v1", "customer.deactivated.v1"])
        #expect(state.outbox.map(\.sequence) == [1, 2])
        #expect(state.customers[customer.id]?.status == .inactive)
    }

    @Test("an unconditional command that loses a race is run again and succeeds")
    func retriesConflicts() async throws {
        let mediator = try mediator()
        let customer = try await register(mediator)
        store.conflictsToRaise.withLock { $0 = 2 }
        let before = store.transactionsStarted.withLock { $0 }
        let changed = try await mediator.send(ChangeCustomerEmailCommand(id: customer.id, email: "new@example.com"))
        #expect(changed.email == "new@example.com")
        #expect(store.transactionsStarted.withLock { $0 } - before == 3)
        #expect(store.state.withLock { $0.history.count } == 2)
    }

    @Test("after the last attempt a lost race is a concurrent_modification conflict")
    func givesUpAfterMaxAttempts() async throws {
        let mediator = try mediator()
        let customer = try await register(mediator)
        store.conflictsToRaise.withLock { $0 = 5 }
        await #expect { try await mediator.send(ChangeCustomerEmailCommand(id: customer.id, email: "new@example.com")) } throws: {
            ($0 as? ApplicationError)?.code == .concurrentModification
        }
        #expect(store.state.withLock { $0.customers[customer.id]?.email.value } == "ana@example.com")
    }

    @Test("a conditional command that loses a race fails its precondition without retrying")
    func conditionalConflictIsPreconditionFailure() async throws {
        let mediator = try mediator()
        let customer = try await register(mediator)
        store.conflictsToRaise.withLock { $0 = 1 }
        let before = store.transactionsStarted.withLock { $0 }
        await #expect {
            try await mediator.send(ChangeCustomerEmailCommand(id: customer.id, email: "new@example.com", expectedVersion: 1))
        } throws: {
            ($0 as? ApplicationError)?.code == .preconditionFailed
        }
        #expect(store.transactionsStarted.withLock { $0 } - before == 1)
    }

    @Test("transient store failures are retried")
    func retriesTransientFailures() async throws {
        let mediator = try mediator()
        store.transientFailuresToRaise.withLock { $0 = 2 }
        let customer = try await register(mediator)
        #expect(store.state.withLock { $0.customers[customer.id] } != nil)
    }

    @Test("queries do not open a transaction")
    func queriesBypassTransactions() async throws {
        let mediator = try mediator()
        let customer = try await register(mediator)
        let before = store.transactionsStarted.withLock { $0 }
        _ = try await mediator.send(GetCustomerQuery(id: customer.id))
        #expect(store.transactionsStarted.withLock { $0 } == before)
    }

    @Test("decoding failures and validator failures are reported together, once per field, and the handler never runs")
    func validationMergesDecodingFailures() async throws {
        let mediator = try mediator()
        var context = MediatorContext()
        context[DecodingFailuresContextKey.self] = [ValidationFailure(field: "name", code: "invalid_type", message: "name must be a string")]
        do {
            _ = try await mediator.send(RegisterCustomerCommand(name: nil, email: "bad"), context: context)
            Issue.record("an invalid command was handled")
        } catch let error as ValidationError {
            #expect(error.failures.map(\.field) == ["name", "email"])
            #expect(error.failures.first?.code == "invalid_type")
        }
        #expect(store.transactionsStarted.withLock { $0 } == 0)
    }

    @Test("the idempotent response is stored in the command's own transaction")
    func storesIdempotentResponse() async throws {
        let mediator = try mediator()
        var context = MediatorContext()
        context[IdempotencyClaimContextKey.self] = IdempotencyClaim(scope: "POST /v1/customers", key: "k1", fingerprint: "f") { response, now in
            let customer = response as? CustomerDetails
            return IdempotencyRecord(
                scope: "POST /v1/customers", key: "k1", fingerprint: "f", status: 201, headers: [],
                body: Data((customer?.id.description ?? "").utf8), createdAt: now, expiresAt: now.addingTimeInterval(60))
        }
        let customer = try await mediator.send(RegisterCustomerCommand(name: "Ana", email: "ana@example.com"), context: context)
        let records = store.state.withLock { $0.idempotency }
        #expect(records.map(\.key) == ["k1"])
        #expect(records.first?.body == Data(customer.id.description.utf8))
    }
}
