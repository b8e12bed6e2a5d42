import CustomerApplication
import CustomerDomain
import EventBus
import Foundation
import Synchronization

/// An in-memory stand-in for the database, for unit tests of the application layer only: each
/// transaction works on a copy and publishes it on success, so a failed command leaves nothing.
final class InMemoryTransactionRunner: TransactionRunner {
    struct State: Sendable {
        var customers: [CustomerID: Customer] = [:]
        var history: [CustomerHistoryEntry] = []
        var outbox: [OutboxMessage] = []
        var idempotency: [IdempotencyRecord] = []
    }

    let state = Mutex(State())
    /// Conflicts to raise on the next updates, to exercise retries.
    let conflictsToRaise = Mutex(0)
    let transientFailuresToRaise = Mutex(0)
    let transactionsStarted = Mutex(0)

    struct Transient: TransientFailure {}

    func inTransaction<R: Sendable>(_ work: @Sendable (any WriteTransaction) async throws -> R) async throws -> R {
        transactionsStarted.withLock { $0 += 1 }
        let transaction = Transaction(snapshot: state.withLock { $0 }, runner: self)
        let result = try await work(transaction)
        if transientFailuresToRaise.withLock({ count in defer { count = max(0, count - 1) }; return count > 0 }) {
            throw Transient()
        }
        state.withLock { $0 = transaction.working.withLock { $0 } }
        return result
    }

    final class Transaction: WriteTransaction, CustomerRepository {
        let working: Mutex<State>
        let runner: InMemoryTransactionRunner
        var customers: any CustomerRepository { self }

        init(snapshot: State, runner: InMemoryTransactionRunner) {
            self.working = Mutex(snapshot)
            self.runner = runner
        }

        func find(_ id: CustomerID) async throws -> Customer? {
            working.withLock { $0.customers[id] }
        }

        func add(_ customer: Customer) async throws {
            try working.withLock { state in
                if state.customers.values.contains(where: { $0.email == customer.email && $0.status != .erased }) {
                    throw ApplicationError(.emailTaken, "taken")
                }
                var stored = customer
                _ = stored.dequeueEvents()
                state.customers[customer.id] = stored
            }
        }

        func update(_ customer: Customer, expectedVersion: Int) async throws {
            if runner.conflictsToRaise.withLock({ count in defer { count = max(0, count - 1) }; return count > 0 }) {
                throw ConcurrencyConflict(customerID: customer.id, expectedVersion: expectedVersion)
            }
            try working.withLock { state in
                guard state.customers[customer.id]?.version == expectedVersion else {
                    throw ConcurrencyConflict(customerID: customer.id, expectedVersion: expectedVersion)
                }
                var stored = customer
                _ = stored.dequeueEvents()
                state.customers[customer.id] = stored
            }
        }

        func appendHistory(_ entries: [CustomerHistoryEntry]) async throws { working.withLock { $0.history += entries } }
        func appendOutbox(_ messages: [OutboxMessage]) async throws { working.withLock { $0.outbox += messages } }

        func redactPersonalData(of customer: CustomerID, using redact: @Sendable (Data) throws -> Data) async throws {
            try working.withLock { state in
                state.history = try state.history.map { entry in
                    guard entry.customerID == customer else { return entry }
                    return CustomerHistoryEntry(
                        customerID: entry.customerID, version: entry.version, type: entry.type, occurredAt: entry.occurredAt,
                        data: try redact(entry.data))
                }
            }
        }

        func saveIdempotencyRecord(_ record: IdempotencyRecord) async throws {
            try working.withLock { state in
                if state.idempotency.contains(where: { $0.scope == record.scope && $0.key == record.key }) {
                    throw IdempotencyKeyInUse(scope: record.scope, key: record.key)
                }
                state.idempotency.append(record)
            }
        }
    }
}

/// Queries over the in-memory state, enough for handlers that read.
struct InMemoryQueries: CustomerQueries {
    let runner: InMemoryTransactionRunner

    func customer(_ id: CustomerID) async throws -> CustomerDetails? {
        runner.state.withLock { $0.customers[id] }.map(CustomerDetails.init)
    }

    func customers(matching filter: CustomerFilter, after position: CustomerListPosition?, limit: Int) async throws -> [CustomerSummary] {
        []
    }

    func history(of id: CustomerID) async throws -> [CustomerHistoryItem]? {
        let entries = runner.state.withLock { $0.history.filter { $0.customerID == id } }
        return entries.map { CustomerHistoryItem(type: $0.type, version: $0.version, occurredAt: $0.occurredAt, data: $0.data) }
    }
}
