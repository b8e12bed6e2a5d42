import Foundation

/// Port: where webhook subscriptions and their deliveries are kept (the service's database).
///
/// - Important: ``enqueue(_:in:now:)`` runs inside the inbox transaction of the consumer that
///   received the event: the deliveries exist if and only if the event counts as processed.
///   ``due(now:limit:)`` returns, per subscription and subject, only the earliest undelivered
///   event, and only when it is due: an event never goes out while an earlier event of the same
///   customer for the same subscription is pending or failed.
public protocol WebhookStore: Sendable {
    func create(url: String, eventTypes: [String], secret: String, now: Date) async throws -> WebhookSubscription
    func subscriptions() async throws -> [WebhookSubscription]
    func subscription(_ id: UUID) async throws -> WebhookSubscription?
    /// The signing secret (`whsec_…`) of a subscription.
    func secret(of id: UUID) async throws -> String?
    /// Deletes the subscription and its deliveries; `false` when there was none.
    func delete(_ id: UUID) async throws -> Bool
    func disable(_ id: UUID, reason: String) async throws

    /// Queues `event` for every enabled subscription whose patterns match its type.
    func enqueue(_ event: CloudEvent, in context: InboxContext, now: Date) async throws
    /// Due deliveries of enabled subscriptions, at most `perSubscription` of each, leaving out
    /// the subscriptions in `excluding` (served right now, or paused by their breaker) so that
    /// they never crowd the others out.
    func due(now: Date, limit: Int, perSubscription: Int, excluding: Set<UUID>) async throws -> [WebhookDelivery]
    /// Takes a due delivery for one attempt by pushing its next attempt to `until`; `false` when
    /// another instance took it first or it is no longer due.
    func claim(_ position: Int64, until: Date, now: Date) async throws -> Bool
    func markDelivered(_ position: Int64, status: Int, now: Date) async throws
    /// Records a failed attempt: retried at `retryAt`, or `failed` for good when it is `nil`.
    func recordFailure(_ position: Int64, status: Int?, error: String, retryAt: Date?, now: Date) async throws
    /// Puts a failed delivery back to pending, due now, its schedule started over; `false` when it
    /// is not failed.
    func retry(_ position: Int64, now: Date) async throws -> Bool
    func deliveries(of subscription: UUID, status: WebhookDelivery.Status?, limit: Int) async throws -> [WebhookDelivery]
    func failedDeliveries(limit: Int) async throws -> [WebhookDelivery]
}
