import CustomerDomain
import Validation

extension CustomerDomainError: ValidationFailureDescribing {
    public var validationCode: String { code.rawValue }
    public var validationMessage: String { message }
}
