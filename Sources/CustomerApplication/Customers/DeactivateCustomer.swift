import CustomerDomain
import Mediator
import Validation

/// Deactivates an active customer with a reason.
public struct DeactivateCustomerCommand: ConditionalCommand {
    public typealias Response = CustomerDetails

    public var id: CustomerID
    public var reason: String?
    public var expectedVersion: Int?

    public init(id: CustomerID, reason: String?, expectedVersion: Int? = nil) {
        self.id = id
        self.reason = reason
        self.expectedVersion = expectedVersion
    }
}

public enum DeactivateCustomerValidator {
    public static let validator = Validator<DeactivateCustomerCommand> { rules in
        rules.field("reason", \.reason).required().satisfies { try Customer.validateReason($0) }
    }
}

public struct DeactivateCustomerHandler: RequestHandler {
    let clock: any WallClock

    public init(clock: any WallClock) {
        self.clock = clock
    }

    public func handle(_ command: DeactivateCustomerCommand, context: MediatorContext) async throws -> CustomerDetails {
        let unitOfWork = try context.unitOfWork()
        var customer = try await unitOfWork.loadForChange(command.id, expectedVersion: command.expectedVersion)
        try customer.deactivate(reason: command.reason ?? "", at: clock.now())
        try await unitOfWork.customers.save(customer)
        return CustomerDetails(customer)
    }
}
