import CustomerDomain
import Mediator
import Validation

/// Adds an address to a customer; `primary: true` moves the primary flag to it.
public struct AddCustomerAddressCommand: ConditionalCommand {
    public typealias Response = AddressChanged

    public var id: CustomerID
    public var address: AddressInput
    public var expectedVersion: Int?

    public init(id: CustomerID, address: AddressInput, expectedVersion: Int? = nil) {
        self.id = id
        self.address = address
        self.expectedVersion = expectedVersion
    }
}

public enum AddCustomerAddressValidator {
    public static let validator = Validator<AddCustomerAddressCommand> { rules in
        rules.nested("", \.optionalAddress, using: AddressInput.validator)
    }
}

extension AddCustomerAddressCommand {
    var optionalAddress: AddressInput? { address }
}

public struct AddCustomerAddressHandler: RequestHandler {
    let clock: any WallClock

    public init(clock: any WallClock) {
        self.clock = clock
    }

    public func handle(_ command: AddCustomerAddressCommand, context: MediatorContext) async throws -> AddressChanged {
        let unitOfWork = try context.unitOfWork()
        var customer = try await unitOfWork.loadForChange(command.id, expectedVersion: command.expectedVersion)
        let now = clock.now()
        let address = try customer.addAddress(
            .init(id: .generate(at: now), postal: command.address.postalAddress(), primary: command.address.primary ?? false),
            at: now
        )
        try await unitOfWork.customers.save(customer)
        return AddressChanged(customer: CustomerDetails(customer), address: AddressDetails(address))
    }
}
