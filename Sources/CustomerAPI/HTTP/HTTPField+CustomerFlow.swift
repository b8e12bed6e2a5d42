import HTTPTypes

extension HTTPField.Name {
    /// `Idempotency-Key` (IETF draft-ietf-httpapi-idempotency-key-header).
    static let idempotencyKey = HTTPField.Name("Idempotency-Key")!
    /// Marks a response replayed from an earlier request with the same idempotency key.
    static let idempotentReplayed = HTTPField.Name("Idempotent-Replayed")!
}
