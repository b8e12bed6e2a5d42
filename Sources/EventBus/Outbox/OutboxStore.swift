import Foundation

/// Port: the outbox table, as the relay and operators use it.
///
/// - Important: Claims are exclusive: a row claimed by one relay is not claimable by another
///   until the claim is released or its lease expires, so that several relays on one database do
///   not publish the same row under normal operation. Every method that changes claimed rows
///   touches only rows still claimed by the given relay.
public protocol OutboxStore: Sendable {
    /// Claims up to `limit` rows that may be published now, oldest first: pending, not claimed by a
    /// live lease, not waiting for a retry, not of a subject blocked by a failed or backing-off
    /// event, and not of the `excluding` subjects (those the relay has in flight). In the same
    /// transaction it finds, for each claimed subject, the earliest unpublished event that precedes
    /// a claimed one without being claimed itself, so the relay can check the batch against the
    /// table.
    func claim(relay: String, limit: Int, now: Date, leaseUntil: Date, excluding: Set<String>) async throws -> OutboxClaim

    /// Returns how many rows were still this relay's to mark: after a lease takeover another
    /// relay may have marked some first.
    @discardableResult
    func markPublished(_ positions: [Int64], relay: String, at: Date) async throws -> Int

    /// Records failed attempts: each row's attempt count grows by one; a row with a retry time goes
    /// back to pending until then, a row without one becomes `failed`.
    func recordFailures(_ failures: [OutboxFailure], relay: String, at: Date) async throws

    /// Gives claims back without counting an attempt.
    func release(_ positions: [Int64], relay: String) async throws

    /// Deletes up to `limit` published rows older than `publishedBefore` and failed rows older than
    /// `failedBefore`; returns how many went. Callers repeat until it returns less than `limit`.
    func purge(publishedBefore: Date, failedBefore: Date, limit: Int) async throws -> Int

    // MARK: Operators

    func stats(now: Date) async throws -> OutboxStats
    /// What is waiting and failed, and the age of the oldest pending row: the cheap part of
    /// ``stats(now:)`` (it does not count published rows), for probes and scrapes that run often.
    func backlog(now: Date) async throws -> OutboxBacklog
    func entries(status: OutboxStatus?, type: String?, subject: String?, limit: Int, before position: Int64?) async throws -> [OutboxEntry]
    /// Puts a failed (or backing-off) row back to pending for an immediate attempt; `false` when no
    /// such row exists or it was published.
    func retry(id: String, now: Date) async throws -> Bool
    func retryFailed(now: Date) async throws -> Int
}

/// The rows a relay claimed, and what stands in their way.
public struct OutboxClaim: Hashable, Sendable {
    public let records: [OutboxRecord]
    /// Per subject, the sequence of the earliest unpublished event that precedes a claimed event of
    /// the subject but is not in this claim (held by another relay, or skipped while locked).
    /// Claimed events from that sequence on must wait. Usually empty.
    public let blockedFrom: [String: Int]

    public init(records: [OutboxRecord], blockedFrom: [String: Int]) {
        self.records = records
        self.blockedFrom = blockedFrom
    }
}

/// A row claimed for publishing.
public struct OutboxRecord: Hashable, Sendable {
    /// The row's position in the table (insertion order).
    public let position: Int64
    /// The CloudEvent id.
    public let id: String
    public let subject: String
    /// The subject's version this event brought.
    public let sequence: Int
    public let type: String
    /// The CloudEvent, structured JSON.
    public let payload: Data
    /// Attempts made before this one.
    public let attempts: Int
    /// Transport headers stored with the event: CloudEvents attributes, trace context.
    public let headers: [String: String]

    public init(
        position: Int64, id: String, subject: String, sequence: Int, type: String, payload: Data, attempts: Int,
        headers: [String: String] = [:]
    ) {
        self.headers = headers
        self.position = position
        self.id = id
        self.subject = subject
        self.sequence = sequence
        self.type = type
        self.payload = payload
        self.attempts = attempts
    }
}

/// A failed attempt to publish a row.
public struct OutboxFailure: Hashable, Sendable {
    public let position: Int64
    public let error: String
    /// When to try again; `nil` when attempts are exhausted and the row becomes `failed`.
    public let retryAt: Date?

    public init(position: Int64, error: String, retryAt: Date?) {
        self.position = position
        self.error = error
        self.retryAt = retryAt
    }
}

public enum OutboxStatus: String, Hashable, Sendable, CaseIterable, Codable {
    case pending, published, failed
}

/// The outbox at a glance, for `GET /admin/outbox/stats` and `customerflow outbox status`.
/// The unpublished part of the outbox.
public struct OutboxBacklog: Hashable, Sendable {
    public let pending: Int
    public let failed: Int
    /// Age of the oldest pending row; `nil` when nothing is pending.
    public let oldestPendingAgeSeconds: Double?

    public init(pending: Int, failed: Int, oldestPendingAgeSeconds: Double?) {
        self.pending = pending
        self.failed = failed
        self.oldestPendingAgeSeconds = oldestPendingAgeSeconds
    }
}

public struct OutboxStats: Hashable, Sendable, Encodable {
    public let pending: Int
    /// Pending rows claimed by a relay right now.
    public let inFlight: Int
    public let failed: Int
    public let published: Int
    /// Age of the oldest pending row; `nil` when nothing is pending.
    public let oldestPendingAgeSeconds: Double?
    public var publishedLastMinute: Int { publishedPerMinute.first ?? 0 }
    /// Events published in each of the last ``rateMinutes`` minutes, the latest minute first:
    /// the publish rate over time, for the dashboard.
    public let publishedPerMinute: [Int]

    /// How many minutes ``publishedPerMinute`` covers.
    public static let rateMinutes = 10

    public init(pending: Int, inFlight: Int, failed: Int, published: Int, oldestPendingAgeSeconds: Double?, publishedPerMinute: [Int]) {
        self.pending = pending
        self.inFlight = inFlight
        self.failed = failed
        self.published = published
        self.oldestPendingAgeSeconds = oldestPendingAgeSeconds
        self.publishedPerMinute = publishedPerMinute
    }

    enum CodingKeys: String, CodingKey { case pending, inFlight, failed, published, oldestPendingAgeSeconds, publishedLastMinute, publishedPerMinute }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(pending, forKey: .pending)
        try container.encode(inFlight, forKey: .inFlight)
        try container.encode(failed, forKey: .failed)
        try container.encode(published, forKey: .published)
        try container.encode(oldestPendingAgeSeconds, forKey: .oldestPendingAgeSeconds)
        try container.encode(publishedLastMinute, forKey: .publishedLastMinute)
        try container.encode(publishedPerMinute, forKey: .publishedPerMinute)
    }
}

/// A row as operators see it.
public struct OutboxEntry: Hashable, Sendable {
    public let position: Int64
    public let id: String
    public let subject: String
    public let sequence: Int
    public let type: String
    public let status: OutboxStatus
    public let attempts: Int
    public let lastError: String?
    public let createdAt: Date
    public let publishedAt: Date?
    public let nextAttemptAt: Date?
    public let claimedUntil: Date?

    public init(
        position: Int64, id: String, subject: String, sequence: Int, type: String, status: OutboxStatus, attempts: Int,
        lastError: String?, createdAt: Date, publishedAt: Date?, nextAttemptAt: Date?, claimedUntil: Date?
    ) {
        self.position = position
        self.id = id
        self.subject = subject
        self.sequence = sequence
        self.type = type
        self.status = status
        self.attempts = attempts
        self.lastError = lastError
        self.createdAt = createdAt
        self.publishedAt = publishedAt
        self.nextAttemptAt = nextAttemptAt
        self.claimedUntil = claimedUntil
    }
}

extension OutboxStore {
    /// ``entries(status:type:subject:limit:before:)`` of every subject.
    public func entries(status: OutboxStatus?, type: String?, limit: Int, before position: Int64?) async throws -> [OutboxEntry] {
        try await entries(status: status, type: type, subject: nil, limit: limit, before: position)
    }
}
