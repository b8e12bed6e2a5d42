import CustomerDomain
import Validation

/// A tax document as a client sends it.
public struct DocumentInput: Hashable, Sendable {
    public var type: String?
    public var number: String?

    public init(type: String? = nil, number: String? = nil) {
        self.type = type
        self.number = number
    }

    /// The rules of a document: a known type and a number valid for it. The number is checked
    /// by the model's own `TaxDocument`, so the two cannot disagree.
    public static let validator = Validator<DocumentInput> { rules in
        rules.field("type", \.type).required().oneOf(Set(TaxDocument.Kind.allCases.map(\.rawValue)))
        rules.field("number", \.number).required()
            .when { TaxDocument.Kind(rawValue: $0.type ?? "") != nil }
            .must(code: "invalid_document", message: "is not a valid document number.") { number, input in
                guard let kind = TaxDocument.Kind(rawValue: input.type ?? "") else { return true }
                return (try? TaxDocument(kind: kind, number: number)) != nil
            }
    }

    func document() throws -> TaxDocument {
        guard let kind = TaxDocument.Kind(rawValue: type ?? "") else {
            throw CustomerDomainError(.invalidDocument, "Document type must be cpf, cnpj or other.")
        }
        return try TaxDocument(kind: kind, number: number ?? "")
    }
}

/// An address as a client sends it, on registration or on its own.
public struct AddressInput: Hashable, Sendable {
    public var label: String?
    public var street: String?
    public var number: String?
    public var complement: String?
    public var district: String?
    public var city: String?
    public var state: String?
    public var postalCode: String?
    public var country: String?
    public var primary: Bool?

    public init(
        label: String? = nil, street: String? = nil, number: String? = nil, complement: String? = nil,
        district: String? = nil, city: String? = nil, state: String? = nil, postalCode: String? = nil,
        country: String? = nil, primary: Bool? = nil
    ) {
        self.label = label
        self.street = street
        self.number = number
        self.complement = complement
        self.district = district
        self.city = city
        self.state = state
        self.postalCode = postalCode
        self.country = country
        self.primary = primary
    }

    /// Each part checked by the model's own rules (`PostalAddress`), every failure reported.
    public static let validator = Validator<AddressInput> { rules in
        rules.field("label", \.label).satisfies { _ = try PostalAddress.label($0) }
        rules.field("street", \.street).required().satisfies { _ = try PostalAddress.street($0) }
        rules.field("number", \.number).required().satisfies { _ = try PostalAddress.number($0) }
        rules.field("complement", \.complement).satisfies { _ = try PostalAddress.complement($0) }
        rules.field("district", \.district).satisfies { _ = try PostalAddress.district($0) }
        rules.field("city", \.city).required().satisfies { _ = try PostalAddress.city($0) }
        rules.field("state", \.state).satisfies { _ = try PostalAddress.state($0) }
        rules.field("postalCode", \.postalCode).required().satisfies { _ = try PostalAddress.postalCode($0) }
        rules.field("country", \.country).required().satisfies { _ = try CountryCode($0) }
    }

    func postalAddress() throws -> PostalAddress {
        try PostalAddress(
            label: label, street: street ?? "", number: number ?? "", complement: complement, district: district,
            city: city ?? "", state: state, postalCode: postalCode ?? "", country: country ?? ""
        )
    }
}

extension UnitOfWork {
    /// Loads a customer to change it: not found → ``ApplicationError/Code/notFound``, erased →
    /// ``ApplicationError/Code/gone``, not at `expectedVersion` →
    /// ``ApplicationError/Code/preconditionFailed``.
    func loadForChange(_ id: CustomerID, expectedVersion: Int?) async throws -> Customer {
        guard let customer = try await customers.find(id) else { throw ApplicationError.customerNotFound() }
        guard customer.status != .erased else { throw ApplicationError.customerGone() }
        if let expectedVersion, expectedVersion != customer.version { throw ApplicationError.versionMismatch() }
        return customer
    }
}
