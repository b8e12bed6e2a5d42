import Foundation

/// Port: the inbox table, which makes a consumer group's handling of each message happen once.
///
/// - Important: ``process(_:group:now:work:)`` records the message as processed and runs `work`
///   in one transaction: if `work` throws, neither its writes nor the inbox row remain; if the
///   message was processed before, `work` does not run at all.
public protocol InboxStore: Sendable {
    func process(
        _ message: InboxMessage,
        group: String,
        now: Date,
        work: @Sendable (InboxContext) async throws -> Void
    ) async throws -> InboxOutcome

    /// Stores a message whose handling failed for good (payload included, for a later retry).
    func recordFailure(_ message: InboxMessage, group: String, error: String, attempts: Int, now: Date) async throws

    /// Takes up to `limit` messages of these groups that operators asked to retry; each is taken
    /// by one consumer only.
    func takeRetries(groups: [String], limit: Int) async throws -> [InboxRetry]

    /// Deletes up to `limit` processed rows older than `processedBefore` and failed rows older
    /// than `failedBefore`; returns how many went.
    func purge(processedBefore: Date, failedBefore: Date, limit: Int) async throws -> Int

    // MARK: Operators

    func stats(now: Date) async throws -> InboxStats
    func entries(status: InboxStatus?, group: String?, limit: Int, before position: Int64?) async throws -> [InboxEntry]
    /// Marks a failed message for another attempt; `false` when there is no failed message with
    /// this id.
    func retry(id: Int64) async throws -> Bool
    func retryFailed() async throws -> Int
}

/// What a consumer knows of a message before handling it.
public struct InboxMessage: Hashable, Sendable {
    /// The CloudEvent id (or, for a message that could not be read, a digest of its bytes).
    public let id: String
    public let type: String
    public let subject: String?
    /// The whole message, kept when handling fails so that it can be retried.
    public let payload: Data

    public init(id: String, type: String, subject: String?, payload: Data) {
        self.id = id
        self.type = type
        self.subject = subject
        self.payload = payload
    }
}

/// The transaction a handler runs in. `transaction` is the store's own handle (for the SQL
/// stores, an `SQLDatabase` bound to the transaction): handlers that write cast it.
public struct InboxContext: Sendable {
    public let transaction: any Sendable

    public init(transaction: any Sendable) {
        self.transaction = transaction
    }
}

public enum InboxOutcome: Hashable, Sendable {
    case processed
    /// Processed before; nothing ran.
    case duplicate
}

/// A failed message an operator asked to retry.
public struct InboxRetry: Hashable, Sendable {
    public let position: Int64
    public let group: String
    public let message: InboxMessage
    public let attempts: Int

    public init(position: Int64, group: String, message: InboxMessage, attempts: Int) {
        self.position = position
        self.group = group
        self.message = message
        self.attempts = attempts
    }
}

public enum InboxStatus: String, Hashable, Sendable, CaseIterable, Codable {
    case processed, failed, retrying
}

public struct InboxStats: Hashable, Sendable, Encodable {
    public let processed: Int
    public let failed: Int
    public let retrying: Int
    public let processedLastMinute: Int

    public init(processed: Int, failed: Int, retrying: Int, processedLastMinute: Int) {
        self.processed = processed
        self.failed = failed
        self.retrying = retrying
        self.processedLastMinute = processedLastMinute
    }
}

public struct InboxEntry: Hashable, Sendable {
    public let position: Int64
    public let group: String
    public let messageID: String
    public let type: String
    public let subject: String?
    public let status: InboxStatus
    public let attempts: Int
    public let lastError: String?
    public let receivedAt: Date
    public let processedAt: Date?

    public init(
        position: Int64, group: String, messageID: String, type: String, subject: String?, status: InboxStatus, attempts: Int,
        lastError: String?, receivedAt: Date, processedAt: Date?
    ) {
        self.position = position
        self.group = group
        self.messageID = messageID
        self.type = type
        self.subject = subject
        self.status = status
        self.attempts = attempts
        self.lastError = lastError
        self.receivedAt = receivedAt
        self.processedAt = processedAt
    }
}
