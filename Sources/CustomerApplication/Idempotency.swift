import Foundation
import Mediator

/// Asks the ``UnitOfWorkBehavior`` to store the command's response under an idempotency key, in
/// the command's own transaction, so that the key exists if and only if the change committed.
public struct IdempotencyClaim: Sendable {
    public let scope: String
    public let key: String
    public let fingerprint: String
    /// How long the stored response is replayed.
    public let lifetime: Duration
    /// Turns the handler's response into the exact HTTP response to replay; the HTTP layer
    /// provides it, so the application never knows about headers or encodings.
    public let record: @Sendable (_ response: any Sendable, _ now: Date) throws -> IdempotencyRecord

    public init(
        scope: String,
        key: String,
        fingerprint: String,
        lifetime: Duration = .seconds(24 * 3600),
        record: @escaping @Sendable (any Sendable, Date) throws -> IdempotencyRecord
    ) {
        self.scope = scope
        self.key = key
        self.fingerprint = fingerprint
        self.lifetime = lifetime
        self.record = record
    }
}

/// The context key of the ``IdempotencyClaim`` of the current request.
public enum IdempotencyClaimContextKey: MediatorContextKey {
    public typealias Value = IdempotencyClaim
}
