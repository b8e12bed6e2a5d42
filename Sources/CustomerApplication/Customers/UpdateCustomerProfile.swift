import CustomerDomain
import Mediator
import Validation

/// Changes name, phone and birth date with merge-patch semantics: absent keeps, a value sets,
/// `null` clears (the name cannot be cleared).
public struct UpdateCustomerProfileCommand: ConditionalCommand {
    public typealias Response = CustomerDetails

    public var id: CustomerID
    public var name: FieldUpdate<String>
    public var phone: FieldUpdate<String>
    public var birthDate: FieldUpdate<String>
    public var expectedVersion: Int?

    public init(
        id: CustomerID, name: FieldUpdate<String> = .keep, phone: FieldUpdate<String> = .keep,
        birthDate: FieldUpdate<String> = .keep, expectedVersion: Int? = nil
    ) {
        self.id = id
        self.name = name
        self.phone = phone
        self.birthDate = birthDate
        self.expectedVersion = expectedVersion
    }

    var newName: String? { if case .set(let value) = name { value } else { nil } }
    var newPhone: String? { if case .set(let value) = phone { value } else { nil } }
    var newBirthDate: String? { if case .set(let value) = birthDate { value } else { nil } }
}

public enum UpdateCustomerProfileValidator {
    public static func make(clock: any WallClock) -> Validator<UpdateCustomerProfileCommand> {
        Validator { rules in
            rules.rule(field: "name", code: "required", message: "name cannot be null.") { $0.name != .clear }
            rules.field("name", \.newName).satisfies { _ = try PersonName($0) }
            rules.field("phone", \.newPhone).satisfies { _ = try PhoneNumber($0) }
            rules.field("birthDate", \.newBirthDate).satisfies { _ = try BirthDate($0, today: clock.now()) }
        }
    }
}

public struct UpdateCustomerProfileHandler: RequestHandler {
    let clock: any WallClock

    public init(clock: any WallClock) {
        self.clock = clock
    }

    public func handle(_ command: UpdateCustomerProfileCommand, context: MediatorContext) async throws -> CustomerDetails {
        let unitOfWork = try context.unitOfWork()
        var customer = try await unitOfWork.loadForChange(command.id, expectedVersion: command.expectedVersion)
        let now = clock.now()
        try customer.updateProfile(
            name: command.newName.map(PersonName.init),
            phone: try Self.update(command.phone) { try PhoneNumber($0) },
            birthDate: try Self.update(command.birthDate) { try BirthDate($0, today: now) },
            at: now
        )
        try await unitOfWork.customers.save(customer)
        return CustomerDetails(customer)
    }

    private static func update<T>(_ input: FieldUpdate<String>, _ make: (String) throws -> T) throws -> FieldUpdate<T> {
        switch input {
        case .keep: return .keep
        case .clear: return .clear
        case .set(let value): return .set(try make(value))
        }
    }
}
