import CustomerDomain
import Mediator

/// Reactivates an inactive customer.
public struct ReactivateCustomerCommand: ConditionalCommand {
    public typealias Response = CustomerDetails

    public var id: CustomerID
    public var expectedVersion: Int?

    public init(id: CustomerID, expectedVersion: Int? = nil) {
        self.id = id
        self.expectedVersion = expectedVersion
    }
}

public struct ReactivateCustomerHandler: RequestHandler {
    let clock: any WallClock

    public init(clock: any WallClock) {
        self.clock = clock
    }

    public func handle(_ command: ReactivateCustomerCommand, context: MediatorContext) async throws -> CustomerDetails {
        let unitOfWork = try context.unitOfWork()
        var customer = try await unitOfWork.loadForChange(command.id, expectedVersion: command.expectedVersion)
        try customer.reactivate(at: clock.now())
        try await unitOfWork.customers.save(customer)
        return CustomerDetails(customer)
    }
}
