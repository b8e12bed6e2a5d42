import CustomerDomain
import EventBus
import Foundation

/// Port: opens the one database transaction a command runs in.
///
/// - Important: `work` runs inside a transaction that commits when it returns and rolls back
///   when it throws, on every path. Nothing `work` wrote is visible to others before the commit.
public protocol TransactionRunner: Sendable {
    func inTransaction<R: Sendable>(_ work: @Sendable (any WriteTransaction) async throws -> R) async throws -> R
}

/// Port: everything a command may write, all within its transaction.
public protocol WriteTransaction: Sendable {
    var customers: any CustomerRepository { get }

    /// Appends one history row per event.
    func appendHistory(_ entries: [CustomerHistoryEntry]) async throws

    /// Appends integration events to the outbox, to be relayed after the commit.
    func appendOutbox(_ messages: [OutboxMessage]) async throws

    /// Rewrites the stored payloads of the customer's history and outbox rows with `redact`,
    /// so that no personal data survives an erasure.
    func redactPersonalData(of customer: CustomerID, using redact: @Sendable (Data) throws -> Data) async throws

    /// Stores the response of an idempotent request. Throws ``IdempotencyKeyInUse`` when the
    /// key was stored meanwhile by a concurrent request.
    func saveIdempotencyRecord(_ record: IdempotencyRecord) async throws
}

/// A history row: a domain event, encoded.
public struct CustomerHistoryEntry: Hashable, Sendable {
    public let customerID: CustomerID
    public let version: Int
    public let type: String
    public let occurredAt: Date
    /// The event payload as JSON.
    public let data: Data
    /// Who made the change: the access token's subject; `nil` when the service runs without
    /// authentication or a tool (import) made it.
    public let actor: String?

    public init(customerID: CustomerID, version: Int, type: String, occurredAt: Date, data: Data, actor: String? = nil) {
        self.customerID = customerID
        self.version = version
        self.type = type
        self.occurredAt = occurredAt
        self.data = data
        self.actor = actor
    }
}
