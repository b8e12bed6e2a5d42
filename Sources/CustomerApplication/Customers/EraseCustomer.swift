import CustomerDomain
import Mediator

/// Erases a customer's personal data (LGPD/GDPR right to erasure). The row stays as a tombstone
/// so that later requests answer 410 Gone; history and outbox payloads are redacted in the same
/// transaction by ``RedactPersonalDataOnErasure``.
public struct EraseCustomerCommand: ConditionalCommand {
    public typealias Response = CustomerDetails

    public var id: CustomerID
    public var expectedVersion: Int?

    public init(id: CustomerID, expectedVersion: Int? = nil) {
        self.id = id
        self.expectedVersion = expectedVersion
    }
}

public struct EraseCustomerHandler: RequestHandler {
    let clock: any WallClock

    public init(clock: any WallClock) {
        self.clock = clock
    }

    public func handle(_ command: EraseCustomerCommand, context: MediatorContext) async throws -> CustomerDetails {
        let unitOfWork = try context.unitOfWork()
        var customer = try await unitOfWork.loadForChange(command.id, expectedVersion: command.expectedVersion)
        try customer.erase(at: clock.now())
        try await unitOfWork.customers.save(customer)
        return CustomerDetails(customer)
    }
}
