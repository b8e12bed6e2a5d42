import CustomerDomain
import EventBus
import Mediator
import Synchronization

/// The work of one command: its transaction, the customers it loaded and saved, the domain
/// events they recorded and the integration events waiting for the outbox.
///
/// The ``UnitOfWorkBehavior`` opens it and puts it in the ``MediatorContext``; handlers reach it
/// with `context.unitOfWork()`.
public final class UnitOfWork: Sendable {
    public let transaction: any WriteTransaction
    /// The repository to use inside the command: it remembers the version each customer was
    /// loaded at and collects the events of every customer it saves.
    public let customers: TrackingCustomerRepository

    private let outbox = Mutex<[OutboxMessage]>([])

    /// Opens the unit of work of one transaction. The ``UnitOfWorkBehavior`` does this for every
    /// command; benchmarks and tools that call a handler directly do it themselves.
    public init(transaction: any WriteTransaction) {
        self.transaction = transaction
        self.customers = TrackingCustomerRepository(inner: transaction.customers)
    }

    /// Queues an integration event for the outbox of this transaction.
    public func enqueue(_ message: OutboxMessage) {
        outbox.withLock { $0.append(message) }
    }

    func takeOutbox() -> [OutboxMessage] {
        outbox.withLock { queued in
            defer { queued.removeAll() }
            return queued
        }
    }
}

/// Wraps the store's ``CustomerRepository`` with change tracking, the way an ORM's context does.
public final class TrackingCustomerRepository: Sendable {
    private struct State {
        var loadedVersions: [CustomerID: Int] = [:]
        var events: [any CustomerEvent] = []
    }

    private let inner: any CustomerRepository
    private let state = Mutex(State())

    init(inner: any CustomerRepository) {
        self.inner = inner
    }

    /// Loads a customer for change and remembers its version for the optimistic check.
    public func find(_ id: CustomerID) async throws -> Customer? {
        guard let customer = try await inner.find(id) else { return nil }
        state.withLock { $0.loadedVersions[id] = customer.version }
        return customer
    }

    /// Inserts a customer never saved before, or updates one loaded through ``find(_:)``; then
    /// takes the customer's new events for dispatch. Saving a customer with no new event writes
    /// nothing.
    public func save(_ customer: Customer) async throws {
        let known = state.withLock { $0.loadedVersions[customer.id] }
        let newEvents = customer.pendingEvents.filter { $0.version > (known ?? 0) }
        guard !newEvents.isEmpty else { return }
        if let known {
            try await inner.update(customer, expectedVersion: known)
        } else {
            try await inner.add(customer)
        }
        state.withLock {
            $0.loadedVersions[customer.id] = customer.version
            $0.events += newEvents
        }
    }

    /// The events saved since the last call, oldest first.
    func takeEvents() -> [any CustomerEvent] {
        state.withLock { state in
            defer { state.events.removeAll() }
            return state.events
        }
    }
}

/// The context key under which the ``UnitOfWorkBehavior`` publishes the current unit of work.
public enum UnitOfWorkContextKey: MediatorContextKey {
    public typealias Value = UnitOfWork
}

extension MediatorContext {
    /// The unit of work of the command being handled.
    ///
    /// - Throws: when no ``UnitOfWorkBehavior`` wraps the handler: a wiring mistake, reported
    ///   as an error rather than a crash.
    public func unitOfWork() throws -> UnitOfWork {
        guard let unitOfWork = self[UnitOfWorkContextKey.self] else {
            throw UnitOfWorkMissing()
        }
        return unitOfWork
    }
}

/// A command handler ran without a ``UnitOfWorkBehavior`` around it.
public struct UnitOfWorkMissing: Error, Hashable, Sendable {}
