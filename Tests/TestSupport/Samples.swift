import CustomerApplication
import CustomerDomain
import Foundation

/// Sample inputs that pass every rule; tests change the one field they are about.
public enum Samples {
    /// A valid CPF (check digits correct).
    public static let cpf = "529.982.247-25"
    public static let cpfDigits = "52998224725"
    /// A valid CNPJ.
    public static let cnpj = "11.222.333/0001-81"

    public static func address(city: String = "São Paulo", primary: Bool? = nil) -> AddressInput {
        AddressInput(
            label: "home", street: "Avenida Paulista", number: "1000", complement: "ap 12", district: "Bela Vista",
            city: city, state: "SP", postalCode: "01310-100", country: "BR", primary: primary
        )
    }

    public static func register(
        name: String = "Ana Souza",
        email: String = "ana@example.com",
        document: DocumentInput? = nil,
        addresses: [AddressInput]? = nil
    ) -> RegisterCustomerCommand {
        RegisterCustomerCommand(
            name: name, email: email, phone: "+55 (11) 98765-4321", document: document, birthDate: "1990-05-17",
            addresses: addresses ?? [address()]
        )
    }

    public static func postal(city: String = "São Paulo") throws -> PostalAddress {
        try PostalAddress(
            label: nil, street: "Rua Augusta", number: "500", complement: nil, district: nil, city: city, state: "SP",
            postalCode: "01305-000", country: "BR"
        )
    }

    public static func customer(
        email: String = "ana@example.com",
        document: String? = cpf,
        at now: Date = Date(timeIntervalSince1970: 1_790_000_000)
    ) throws -> Customer {
        try Customer.register(
            id: .generate(at: now),
            name: PersonName("Ana Souza"),
            email: EmailAddress(email),
            phone: PhoneNumber("+5511987654321"),
            document: document.map { try TaxDocument(kind: .cpf, number: $0) },
            birthDate: BirthDate("1990-05-17", today: now),
            addresses: [Customer.NewAddress(id: .generate(at: now), postal: postal(), primary: false)],
            at: now
        )
    }
}
