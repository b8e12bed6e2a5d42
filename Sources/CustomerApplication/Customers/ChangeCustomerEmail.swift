import CustomerDomain
import Mediator
import Validation

/// Changes a customer's e-mail address.
public struct ChangeCustomerEmailCommand: ConditionalCommand {
    public typealias Response = CustomerDetails

    public var id: CustomerID
    public var email: String?
    public var expectedVersion: Int?

    public init(id: CustomerID, email: String?, expectedVersion: Int? = nil) {
        self.id = id
        self.email = email
        self.expectedVersion = expectedVersion
    }
}

public enum ChangeCustomerEmailValidator {
    public static let validator = Validator<ChangeCustomerEmailCommand> { rules in
        rules.field("email", \.email).required().satisfies { _ = try EmailAddress($0) }
    }
}

public struct ChangeCustomerEmailHandler: RequestHandler {
    let clock: any WallClock

    public init(clock: any WallClock) {
        self.clock = clock
    }

    public func handle(_ command: ChangeCustomerEmailCommand, context: MediatorContext) async throws -> CustomerDetails {
        let unitOfWork = try context.unitOfWork()
        var customer = try await unitOfWork.loadForChange(command.id, expectedVersion: command.expectedVersion)
        try customer.changeEmail(to: EmailAddress(command.email ?? ""), at: clock.now())
        try await unitOfWork.customers.save(customer)
        return CustomerDetails(customer)
    }
}
