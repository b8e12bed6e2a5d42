import Foundation

extension Customer {
    /// Deactivates an active customer, keeping the reason.
    public mutating func deactivate(reason input: String, at now: Date) throws {
        try ensureNotErased()
        let reason = try BoundedText.normalize(input, maxLength: Self.maxReasonLength, code: .invalidReason, what: "Reason")
        guard status == .active else {
            throw CustomerDomainError(.invalidState, "Only an active customer can be deactivated.")
        }
        setStatus(.inactive, reason: reason)
        record(CustomerDeactivated(metadata: advance(at: now), reason: reason))
    }

    /// Validates a deactivation reason without a customer, for validators that report every
    /// failure of a request at once.
    public static func validateReason(_ input: String) throws {
        _ = try BoundedText.normalize(input, maxLength: maxReasonLength, code: .invalidReason, what: "Reason")
    }

    /// Reactivates an inactive customer.
    public mutating func reactivate(at now: Date) throws {
        try ensureNotErased()
        guard status == .inactive else {
            throw CustomerDomainError(.invalidState, "Only an inactive customer can be reactivated.")
        }
        setStatus(.active, reason: nil)
        record(CustomerReactivated(metadata: advance(at: now)))
    }

    /// Erases the customer's personal data (LGPD/GDPR): name, e-mail, phone, document, birth
    /// date and addresses are gone; the identity, status and history skeleton remain.
    ///
    /// Erasure is final: every later behaviour throws ``CustomerDomainError/Code/customerErased``.
    public mutating func erase(at now: Date) throws {
        try ensureNotErased()
        clearPersonalData()
        setStatus(.erased, reason: nil)
        record(CustomerErased(metadata: advance(at: now)))
    }
}
