import Foundation

/// Something that happened to a customer, recorded by the ``Customer`` aggregate when one of its
/// behaviours changes state.
///
/// - Important: Every event carries the customer's ``version`` after the change, so events of one
///   customer are totally ordered and gapless. Encoding an event writes only its payload (the
///   `data` of a history item); the identity, version and time travel beside it.
public protocol CustomerEvent: Sendable, Encodable {
    /// The stable name of the event in history and, suffixed with a version, on the bus
    /// (`customer.registered` → `customer.registered.v1`).
    static var eventType: String { get }
    var customerID: CustomerID { get }
    var version: Int { get }
    var occurredAt: Date { get }
}

extension CustomerEvent {
    public var eventType: String { Self.eventType }
}

/// The facts every event shares.
public struct EventMetadata: Hashable, Sendable {
    public let customerID: CustomerID
    public let version: Int
    public let occurredAt: Date

    public init(customerID: CustomerID, version: Int, occurredAt: Date) {
        self.customerID = customerID
        self.version = version
        self.occurredAt = occurredAt
    }
}
