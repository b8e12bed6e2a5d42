/// Declares the rules of a ``Validator``; handed to its initializer.
public final class ValidatorBuilder<Subject> {
    var rules: [() -> Rule<Subject>] = []

    init() {}

    /// Starts the rules of a field. Checks after ``FieldRule/required()`` apply to present values
    /// only; a missing optional value fails nothing but `required`.
    @discardableResult
    public func field<Value>(_ name: String, _ keyPath: KeyPath<Subject, Value?>) -> FieldRule<Subject, Value> {
        let rule = FieldRule<Subject, Value>(name: name, value: { $0[keyPath: keyPath] })
        rules.append { rule.build() }
        return rule
    }

    /// Starts the rules of a non-optional field.
    @discardableResult
    public func field<Value>(_ name: String, _ keyPath: KeyPath<Subject, Value>) -> FieldRule<Subject, Value> {
        let rule = FieldRule<Subject, Value>(name: name, value: { Optional($0[keyPath: keyPath]) })
        rules.append { rule.build() }
        return rule
    }

    /// Validates a nested object with its own validator; failures are reported under
    /// `name.field`. Nothing is checked when the value is absent.
    public func nested<Value>(_ name: String, _ keyPath: KeyPath<Subject, Value?>, using validator: Validator<Value>) {
        rules.append {
            Rule { subject, prefix in
                guard let value = subject[keyPath: keyPath] else { return [] }
                return await validator.validate(value, at: joinPath(prefix, name))
            }
        }
    }

    /// Declares rules that apply only when `condition` holds for the subject.
    public func when(_ condition: @escaping (Subject) -> Bool, _ build: (ValidatorBuilder<Subject>) -> Void) {
        let inner = ValidatorBuilder<Subject>()
        build(inner)
        let innerRules = inner.rules
        rules.append {
            let built = innerRules.map { $0() }
            return Rule { subject, prefix in
                guard condition(subject) else { return [] }
                var failures: [ValidationFailure] = []
                for rule in built { failures += await rule.run(subject, prefix) }
                return failures
            }
        }
    }

    /// A rule over the whole subject, for checks that involve several fields; the failure is
    /// reported on `field`.
    public func rule(
        field: String,
        code: String,
        message: String,
        _ predicate: @escaping (Subject) -> Bool
    ) {
        rules.append {
            Rule { subject, prefix in
                predicate(subject) ? [] : [ValidationFailure(field: joinPath(prefix, field), code: code, message: message)]
            }
        }
    }
}
