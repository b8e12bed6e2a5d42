import Foundation

/// Port: reads stored responses of idempotent requests.
public protocol IdempotencyStore: Sendable {
    /// The unexpired record of `key` within `scope`, or `nil`.
    func find(scope: String, key: String, now: Date) async throws -> IdempotencyRecord?
}

/// The stored outcome of a request made with an `Idempotency-Key`: enough to replay the exact
/// response.
public struct IdempotencyRecord: Hashable, Sendable {
    /// What the key is scoped to, e.g. `POST /v1/customers`.
    public let scope: String
    public let key: String
    /// A digest of the request body; the same key with another body is refused. After the
    /// customer is erased it is ``erasedFingerprint``: a digest of personal data could confirm a
    /// guess of it.
    public let fingerprint: String

    /// The fingerprint of a record whose customer was erased: any body with its key replays the
    /// (redacted) response, so a retried registration still does not register the person again.
    public static let erasedFingerprint = "erased"
    public let status: Int
    /// Response headers worth replaying (`Location`, `ETag`, `Content-Type`), in order.
    public let headers: [Header]
    public let body: Data
    public let createdAt: Date
    public let expiresAt: Date

    public struct Header: Hashable, Sendable {
        public let name: String
        public let value: String
        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    public init(
        scope: String, key: String, fingerprint: String, status: Int, headers: [Header], body: Data,
        createdAt: Date, expiresAt: Date
    ) {
        self.scope = scope
        self.key = key
        self.fingerprint = fingerprint
        self.status = status
        self.headers = headers
        self.body = body
        self.createdAt = createdAt
        self.expiresAt = expiresAt
    }
}

/// Another request with the same idempotency key committed first.
public struct IdempotencyKeyInUse: Error, Hashable, Sendable {
    public let scope: String
    public let key: String
    public init(scope: String, key: String) {
        self.scope = scope
        self.key = key
    }
}
