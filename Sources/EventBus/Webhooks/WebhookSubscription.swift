import Foundation

/// An HTTP endpoint that receives the integration events whose type matches one of its patterns.
public struct WebhookSubscription: Hashable, Sendable {
    public let id: UUID
    public let url: String
    /// Topic patterns over event types, as for consumer groups: `*` one word, `#` any number.
    public let eventTypes: [String]
    public let enabled: Bool
    /// Why it was disabled (the endpoint answered 410 Gone), if it was.
    public let disabledReason: String?
    public let createdAt: Date

    public init(id: UUID, url: String, eventTypes: [String], enabled: Bool, disabledReason: String?, createdAt: Date) {
        self.id = id
        self.url = url
        self.eventTypes = eventTypes
        self.enabled = enabled
        self.disabledReason = disabledReason
        self.createdAt = createdAt
    }

    public func matches(_ eventType: String) -> Bool {
        eventTypes.contains { TopicPattern($0).matches(eventType) }
    }
}

/// An event on its way to one subscription.
public struct WebhookDelivery: Hashable, Sendable {
    public enum Status: String, Hashable, Sendable, CaseIterable {
        case pending, delivered, failed
    }

    public let position: Int64
    public let subscriptionID: UUID
    public let eventID: String
    public let subject: String
    public let sequence: Int
    public let type: String
    /// The structured CloudEvents JSON, posted as is.
    public let payload: Data
    public let status: Status
    /// Attempts made so far.
    public let attempts: Int
    public let nextAttemptAt: Date
    public let firstAttemptAt: Date?
    /// The HTTP status of the last answer, if there was one.
    public let lastStatus: Int?
    /// The last failure: the error, or the start of the answer's body.
    public let lastError: String?
    public let deliveredAt: Date?

    public init(
        position: Int64, subscriptionID: UUID, eventID: String, subject: String, sequence: Int, type: String, payload: Data, status: Status,
        attempts: Int, nextAttemptAt: Date, firstAttemptAt: Date?, lastStatus: Int?, lastError: String?, deliveredAt: Date?
    ) {
        self.position = position
        self.subscriptionID = subscriptionID
        self.eventID = eventID
        self.subject = subject
        self.sequence = sequence
        self.type = type
        self.payload = payload
        self.status = status
        self.attempts = attempts
        self.nextAttemptAt = nextAttemptAt
        self.firstAttemptAt = firstAttemptAt
        self.lastStatus = lastStatus
        self.lastError = lastError
        self.deliveredAt = deliveredAt
    }
}
