import Foundation

/// An address of a customer: an entity inside the ``Customer`` aggregate, identified by
/// ``AddressID`` and changed only through the aggregate.
public struct Address: Hashable, Sendable, Identifiable {
    public let id: AddressID
    public internal(set) var postal: PostalAddress
    public internal(set) var isPrimary: Bool

    public init(id: AddressID, postal: PostalAddress, isPrimary: Bool) {
        self.id = id
        self.postal = postal
        self.isPrimary = isPrimary
    }
}
