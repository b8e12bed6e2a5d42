import CustomerDomain
import Mediator

/// Removes an address; removing the primary one makes the oldest remaining address primary.
public struct RemoveCustomerAddressCommand: ConditionalCommand {
    public typealias Response = CustomerDetails

    public var id: CustomerID
    public var addressID: AddressID
    public var expectedVersion: Int?

    public init(id: CustomerID, addressID: AddressID, expectedVersion: Int? = nil) {
        self.id = id
        self.addressID = addressID
        self.expectedVersion = expectedVersion
    }
}

public struct RemoveCustomerAddressHandler: RequestHandler {
    let clock: any WallClock

    public init(clock: any WallClock) {
        self.clock = clock
    }

    public func handle(_ command: RemoveCustomerAddressCommand, context: MediatorContext) async throws -> CustomerDetails {
        let unitOfWork = try context.unitOfWork()
        var customer = try await unitOfWork.loadForChange(command.id, expectedVersion: command.expectedVersion)
        guard customer.addresses.contains(where: { $0.id == command.addressID }) else {
            throw ApplicationError(.notFound, "The customer has no address with that id.")
        }
        try customer.removeAddress(command.addressID, at: clock.now())
        try await unitOfWork.customers.save(customer)
        return CustomerDetails(customer)
    }
}
