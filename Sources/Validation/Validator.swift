/// A set of rules over one subject type, built with key paths.
///
/// ```swift
/// let validator = Validator<RegisterCustomerCommand> { rules in
///     rules.field("name", \.name).required().length(1...200)
///     rules.field("email", \.email).required().email()
///     rules.field("addresses", \.addresses).count(0...10).each(using: addressValidator)
///     rules.when({ $0.document != nil }) { rules in
///         rules.field("document.number", \.document?.number).required()
///     }
/// }
/// ```
///
/// Every rule runs, in declaration order, and every failure is reported.
public struct Validator<Subject>: Validating, @unchecked Sendable {
    // @unchecked: rules are built once from key paths and closures that capture no mutable
    // state; they are only read afterwards.
    let rules: [Rule<Subject>]

    public init(_ build: (ValidatorBuilder<Subject>) -> Void) {
        let builder = ValidatorBuilder<Subject>()
        build(builder)
        self.rules = builder.rules.map { $0() }
    }

    public func validate(_ subject: Subject) async -> [ValidationFailure] {
        await validate(subject, at: "")
    }

    /// Validates with every field path prefixed by `prefix` (`addresses[1]`), for nesting.
    public func validate(_ subject: Subject, at prefix: String) async -> [ValidationFailure] {
        var failures: [ValidationFailure] = []
        for rule in rules {
            failures += await rule.run(subject, prefix)
        }
        return failures
    }
}

struct Rule<Subject> {
    let run: (Subject, String) async -> [ValidationFailure]
}

/// Joins a path prefix and a field name: `""` + `name` → `name`, `addresses[1]` + `city` →
/// `addresses[1].city`.
func joinPath(_ prefix: String, _ field: String) -> String {
    if prefix.isEmpty { return field }
    if field.isEmpty { return prefix }
    return field.hasPrefix("[") ? prefix + field : prefix + "." + field
}
