import Mediator
import Validation

/// Runs the validator registered for the request type before its handler, and refuses the request
/// with every failure, merged with failures found while decoding the request.
///
/// A request with failures never reaches its handler, so it changes nothing.
public struct ValidationBehavior: PipelineBehavior {
    private let validators: [ObjectIdentifier: @Sendable (any Sendable) async -> [ValidationFailure]]

    public init(validators: ValidatorRegistry) {
        self.validators = validators.validators
    }

    public func handle<R: Request>(
        _ request: R,
        context: MediatorContext,
        next: @Sendable (R, MediatorContext) async throws -> R.Response
    ) async throws -> R.Response {
        let decoding = context[DecodingFailuresContextKey.self] ?? []
        var failures = decoding
        if let validator = validators[ObjectIdentifier(R.self)] {
            // A field that could not be decoded fails once, with its decoding failure.
            let decodedFields = Set(decoding.map(\.field))
            failures += await validator(request).filter { !decodedFields.contains($0.field) }
        }
        guard failures.isEmpty else { throw ValidationError(failures) }
        return try await next(request, context)
    }
}

/// The validators of request types, for the ``ValidationBehavior``.
public struct ValidatorRegistry: Sendable {
    var validators: [ObjectIdentifier: @Sendable (any Sendable) async -> [ValidationFailure]] = [:]

    public init() {}

    public mutating func register<R: Request>(_ validator: Validator<R>, for type: R.Type = R.self) {
        validators[ObjectIdentifier(type)] = { request in
            guard let request = request as? R else { return [] }
            return await validator.validate(request)
        }
    }

    /// Validates a request directly, outside the mediator.
    public func validate<R: Request>(_ request: R) async -> [ValidationFailure] {
        await validators[ObjectIdentifier(R.self)]?(request) ?? []
    }
}

/// Failures found while turning the raw input into the request (a missing field, a number where
/// text was expected). The ``ValidationBehavior`` reports them together with the validator's.
public enum DecodingFailuresContextKey: MediatorContextKey {
    public typealias Value = [ValidationFailure]
}
