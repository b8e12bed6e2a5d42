import CustomerDomain
import Mediator
import Validation

/// Replaces an address's content; `primary: true` moves the primary flag to it, an absent
/// `primary` keeps the flag as it is.
public struct UpdateCustomerAddressCommand: ConditionalCommand {
    public typealias Response = AddressChanged

    public var id: CustomerID
    public var addressID: AddressID
    public var address: AddressInput
    public var expectedVersion: Int?

    public init(id: CustomerID, addressID: AddressID, address: AddressInput, expectedVersion: Int? = nil) {
        self.id = id
        self.addressID = addressID
        self.address = address
        self.expectedVersion = expectedVersion
    }

    var optionalAddress: AddressInput? { address }
}

public enum UpdateCustomerAddressValidator {
    public static let validator = Validator<UpdateCustomerAddressCommand> { rules in
        rules.nested("", \.optionalAddress, using: AddressInput.validator)
    }
}

public struct UpdateCustomerAddressHandler: RequestHandler {
    let clock: any WallClock

    public init(clock: any WallClock) {
        self.clock = clock
    }

    public func handle(_ command: UpdateCustomerAddressCommand, context: MediatorContext) async throws -> AddressChanged {
        let unitOfWork = try context.unitOfWork()
        var customer = try await unitOfWork.loadForChange(command.id, expectedVersion: command.expectedVersion)
        guard let current = customer.addresses.first(where: { $0.id == command.addressID }) else {
            throw ApplicationError(.notFound, "The customer has no address with that id.")
        }
        let address = try customer.updateAddress(
            command.addressID,
            to: command.address.postalAddress(),
            primary: command.address.primary ?? current.isPrimary,
            at: clock.now()
        )
        try await unitOfWork.customers.save(customer)
        return AddressChanged(customer: CustomerDetails(customer), address: AddressDetails(address))
    }
}
