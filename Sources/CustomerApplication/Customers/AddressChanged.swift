import CustomerDomain

/// The answer to an address command: the address as it is now, and the customer it belongs to
/// (whose version is the new ETag).
public struct AddressChanged: Hashable, Sendable {
    public let customer: CustomerDetails
    public let address: AddressDetails

    public init(customer: CustomerDetails, address: AddressDetails) {
        self.customer = customer
        self.address = address
    }
}
