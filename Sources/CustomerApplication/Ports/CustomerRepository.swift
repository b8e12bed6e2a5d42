import CustomerDomain

/// Port: loads and stores the ``Customer`` aggregate inside one transaction.
///
/// - Important: ``update(_:expectedVersion:)`` is an optimistic-concurrency write: it succeeds
///   only while the stored version is still `expectedVersion`, and throws
///   ``ConcurrencyConflict`` otherwise. Uniqueness of e-mail and document is enforced by the
///   store (a unique index) and reported as ``ApplicationError/Code/emailTaken`` or
///   ``ApplicationError/Code/documentTaken``, never checked beforehand.
public protocol CustomerRepository: Sendable {
    /// The customer with its addresses, or `nil`. Erased customers are returned too (with their
    /// personal data already gone) so that callers can answer "gone" rather than "not found".
    func find(_ id: CustomerID) async throws -> Customer?
    func add(_ customer: Customer) async throws
    func update(_ customer: Customer, expectedVersion: Int) async throws
}

/// The stored customer is no longer at the version the writer loaded: someone else wrote first.
public struct ConcurrencyConflict: Error, Hashable, Sendable {
    public let customerID: CustomerID
    public let expectedVersion: Int

    public init(customerID: CustomerID, expectedVersion: Int) {
        self.customerID = customerID
        self.expectedVersion = expectedVersion
    }
}

/// A failure after which the whole command may simply be run again: a deadlock, a serialization
/// failure, a busy database. Stores mark their errors with it; the unit of work retries them a
/// bounded number of times.
public protocol TransientFailure: Error {}
