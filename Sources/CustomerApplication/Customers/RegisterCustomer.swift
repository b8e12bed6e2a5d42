import CustomerDomain
import Mediator
import Validation

/// Registers a new customer.
public struct RegisterCustomerCommand: Command {
    public typealias Response = CustomerDetails

    public var name: String?
    public var email: String?
    public var phone: String?
    public var document: DocumentInput?
    public var birthDate: String?
    public var addresses: [AddressInput]?

    public init(
        name: String? = nil, email: String? = nil, phone: String? = nil, document: DocumentInput? = nil,
        birthDate: String? = nil, addresses: [AddressInput]? = nil
    ) {
        self.name = name
        self.email = email
        self.phone = phone
        self.document = document
        self.birthDate = birthDate
        self.addresses = addresses
    }
}

public enum RegisterCustomerValidator {
    public static func make(clock: any WallClock) -> Validator<RegisterCustomerCommand> {
        Validator { rules in
            rules.field("name", \.name).required().satisfies { _ = try PersonName($0) }
            rules.field("email", \.email).required().satisfies { _ = try EmailAddress($0) }
            rules.field("phone", \.phone).satisfies { _ = try PhoneNumber($0) }
            rules.field("birthDate", \.birthDate).satisfies { _ = try BirthDate($0, today: clock.now()) }
            rules.nested("document", \.document, using: DocumentInput.validator)
            rules.field("addresses", \.addresses)
                .must(code: CustomerDomainError.Code.tooManyAddresses.rawValue, message: "A customer has at most \(Customer.maxAddresses) addresses.") {
                    $0.count <= Customer.maxAddresses
                }
                .must(code: CustomerDomainError.Code.multiplePrimaryAddresses.rawValue, message: "At most one address may be marked primary.") {
                    $0.filter { $0.primary == true }.count <= 1
                }
                .each(using: AddressInput.validator)
        }
    }
}

public struct RegisterCustomerHandler: RequestHandler {
    let clock: any WallClock

    public init(clock: any WallClock) {
        self.clock = clock
    }

    public func handle(_ command: RegisterCustomerCommand, context: MediatorContext) async throws -> CustomerDetails {
        let unitOfWork = try context.unitOfWork()
        let now = clock.now()
        let customer = try Customer.register(
            id: .generate(at: now),
            name: PersonName(command.name ?? ""),
            email: EmailAddress(command.email ?? ""),
            phone: command.phone.map(PhoneNumber.init),
            document: command.document?.document(),
            birthDate: command.birthDate.map { try BirthDate($0, today: now) },
            addresses: (command.addresses ?? []).map { input in
                Customer.NewAddress(id: .generate(at: now), postal: try input.postalAddress(), primary: input.primary ?? false)
            },
            at: now
        )
        try await unitOfWork.customers.save(customer)
        return CustomerDetails(customer)
    }
}
