import CustomerDomain
import FeatureFlags
import Validation

/// How a mediator request ended, in the words metrics and traces share: `success`, `invalid`
/// (validation failed), `rejected` (a business rule or a missing customer refused it) or `error`
/// (anything else, the database being unavailable included).
enum RequestOutcome: String, Sendable {
    case success, invalid, rejected, error

    init(_ error: any Error) {
        self = switch error {
        case is ValidationError: .invalid
        case is FeatureDisabled: .rejected
        case let error as ApplicationError where error.code == .unavailable: .error
        case is ApplicationError, is CustomerDomainError: .rejected
        default: .error
        }
    }
}
