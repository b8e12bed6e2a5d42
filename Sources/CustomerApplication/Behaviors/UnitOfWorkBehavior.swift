import CustomerDomain
import EventBus
import Foundation
import Logging
import Mediator

/// Runs each ``Command`` in one transaction: begin → handler → dispatch the domain events to
/// in-process handlers → write history and outbox rows (and the idempotent response) → commit.
/// Any error rolls everything back. Queries pass through untouched.
///
/// A command that loses an optimistic-concurrency race is run again from the start, up to
/// ``maxAttempts`` times, unless it carried an expected version (`If-Match`): then the loss means
/// the precondition failed. Transient store failures (deadlocks, busy databases) are retried too.
public struct UnitOfWorkBehavior: PipelineBehavior {
    public let transactions: any TransactionRunner
    public let clock: any WallClock
    public let maxAttempts: Int
    let logger: Logger

    public init(transactions: any TransactionRunner, clock: any WallClock, maxAttempts: Int = 3, logger: Logger) {
        self.transactions = transactions
        self.clock = clock
        self.maxAttempts = max(1, maxAttempts)
        self.logger = logger
    }

    public func handle<R: Request>(
        _ request: R,
        context: MediatorContext,
        next: @Sendable (R, MediatorContext) async throws -> R.Response
    ) async throws -> R.Response {
        guard R.self is any Command.Type else {
            return try await next(request, context)
        }
        let conditional = (request as? any ConditionalCommand)?.expectedVersion != nil
        var attempt = 1
        while true {
            do {
                return try await runOnce(request, context: context, next: next)
            } catch let conflict as ConcurrencyConflict {
                if conditional { throw ApplicationError.versionMismatch() }
                guard attempt < maxAttempts else {
                    throw ApplicationError(.concurrentModification, "The customer was changed by another request meanwhile; try again.")
                }
                logger.debug("retrying after a concurrent write", metadata: ["customer": .stringConvertible(conflict.customerID)])
            } catch let error as any TransientFailure {
                guard attempt < maxAttempts else { throw error }
                logger.debug("retrying after a transient failure", metadata: ["error": .string("\(error)")])
            }
            attempt += 1
            try await Task.sleep(for: .milliseconds(Int.random(in: 1...(5 * attempt))))
        }
    }

    private func runOnce<R: Request>(
        _ request: R,
        context: MediatorContext,
        next: @Sendable (R, MediatorContext) async throws -> R.Response
    ) async throws -> R.Response {
        let clock = self.clock
        return try await transactions.inTransaction { transaction in
            let unitOfWork = UnitOfWork(transaction: transaction)
            var context = context
            context[UnitOfWorkContextKey.self] = unitOfWork
            let response = try await next(request, context)

            // Domain event handlers may save customers again; dispatch until nothing new arrives.
            var history: [any CustomerEvent] = []
            var batch = unitOfWork.customers.takeEvents()
            while !batch.isEmpty {
                for event in batch {
                    try await context.mediator?.publish(CustomerEventNotification(event: event), context: context)
                }
                history += batch
                batch = unitOfWork.customers.takeEvents()
            }
            if !history.isEmpty {
                try await transaction.appendHistory(try history.map { try CustomerHistoryEntry(encoding: $0, actor: context.actor) })
            }
            let outbox = unitOfWork.takeOutbox()
            if !outbox.isEmpty {
                try await transaction.appendOutbox(outbox)
            }
            if let claim = context[IdempotencyClaimContextKey.self] {
                try await transaction.saveIdempotencyRecord(try claim.record(response, clock.now()))
            }
            return response
        }
    }
}

/// A command that may carry the version its sender expects the customer to be at (`If-Match`).
public protocol ConditionalCommand: Command {
    var expectedVersion: Int? { get }
}

extension CustomerHistoryEntry {
    /// Encodes a domain event as a history row.
    init(encoding event: any CustomerEvent, actor: String?) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        self.init(
            customerID: event.customerID,
            version: event.version,
            type: event.eventType,
            occurredAt: event.occurredAt,
            data: try encoder.encode(event),
            actor: actor
        )
    }
}
