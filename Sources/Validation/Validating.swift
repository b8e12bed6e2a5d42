/// Checks a subject and returns every broken rule.
///
/// - Important: Validation never throws and never stops at the first failure of the subject:
///   the caller gets the whole list and decides. Within one field rule, checks may stop at their
///   first failure (see ``FieldRule/stopOnFirstFailure()``).
public protocol Validating<Subject>: Sendable {
    associatedtype Subject
    func validate(_ subject: Subject) async -> [ValidationFailure]
}

extension Validating {
    /// Validates and throws ``ValidationError`` when anything fails.
    public func check(_ subject: Subject) async throws {
        let failures = await validate(subject)
        if !failures.isEmpty { throw ValidationError(failures) }
    }
}
