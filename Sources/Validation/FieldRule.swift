import Foundation

/// The checks of one field, declared by chaining: `.required().length(1...200).email()`.
///
/// Checks run in order. By default all of them run and each failure is reported;
/// ``stopOnFirstFailure()`` makes the rule stop at its first failure, which suits chains where a
/// later check is meaningless once an earlier one failed.
public final class FieldRule<Subject, Value> {
    typealias Check = (Value, Subject) async -> (code: String, message: String)?

    let name: String
    let value: (Subject) -> Value?
    private var checks: [Check] = []
    private var isRequired = false
    private var requiredMessage = "is required."
    private var stopsOnFirstFailure = false
    private var condition: ((Subject) -> Bool)?
    private var elementRule: ((Value, Subject, String) async -> [ValidationFailure])?

    init(name: String, value: @escaping (Subject) -> Value?) {
        self.name = name
        self.value = value
    }

    func build() -> Rule<Subject> {
        let name = self.name
        let value = self.value
        let checks = self.checks
        let isRequired = self.isRequired
        let requiredMessage = self.requiredMessage
        let stops = self.stopsOnFirstFailure
        let condition = self.condition
        let elementRule = self.elementRule
        return Rule { subject, prefix in
            if let condition, !condition(subject) { return [] }
            let path = joinPath(prefix, name)
            guard let current = value(subject) else {
                return isRequired ? [ValidationFailure(field: path, code: "required", message: "\(name) \(requiredMessage)")] : []
            }
            var failures: [ValidationFailure] = []
            for check in checks {
                if let failure = await check(current, subject) {
                    failures.append(ValidationFailure(field: path, code: failure.code, message: failure.message))
                    if stops { return failures }
                }
            }
            if let elementRule, !(stops && !failures.isEmpty) {
                failures += await elementRule(current, subject, path)
            }
            return failures
        }
    }

    // MARK: - Rule options

    /// Fails with code `required` when the value is absent (`nil`).
    @discardableResult
    public func required(message: String? = nil) -> Self {
        isRequired = true
        if let message { requiredMessage = message }
        return self
    }

    /// Stops at the first failing check of this rule.
    @discardableResult
    public func stopOnFirstFailure() -> Self {
        stopsOnFirstFailure = true
        return self
    }

    /// Applies this rule only when `condition` holds for the subject.
    @discardableResult
    public func when(_ condition: @escaping (Subject) -> Bool) -> Self {
        self.condition = condition
        return self
    }

    // MARK: - Generic checks

    /// A custom predicate over the value.
    @discardableResult
    public func must(code: String, message: String, _ predicate: @escaping (Value) -> Bool) -> Self {
        checks.append { value, _ in predicate(value) ? nil : (code, message) }
        return self
    }

    /// A custom predicate over the value and the whole subject.
    @discardableResult
    public func must(code: String, message: String, _ predicate: @escaping (Value, Subject) -> Bool) -> Self {
        checks.append { value, subject in predicate(value, subject) ? nil : (code, message) }
        return self
    }

    /// An asynchronous predicate, for rules that must ask something else (a lookup, a service).
    @discardableResult
    public func mustAsync(code: String, message: String, _ predicate: @escaping (Value) async -> Bool) -> Self {
        checks.append { value, _ in await predicate(value) ? nil : (code, message) }
        return self
    }

    /// Runs a throwing check, typically a value object's initializer, so that the rule and the
    /// model cannot disagree. A thrown ``ValidationFailureDescribing`` keeps its code and
    /// message; anything else fails with `code`.
    @discardableResult
    public func satisfies(code: String = "invalid", message: String = "is not valid.", _ check: @escaping (Value) throws -> Void) -> Self {
        checks.append { value, _ in
            do {
                try check(value)
                return nil
            } catch let error as any ValidationFailureDescribing {
                return (error.validationCode, error.validationMessage)
            } catch {
                return (code, message)
            }
        }
        return self
    }

    /// The value is one of the allowed values.
    @discardableResult
    public func oneOf(_ allowed: Set<Value>, message: String? = nil) -> Self where Value: Hashable {
        let list = allowed.map { "\($0)" }.sorted().joined(separator: ", ")
        return must(code: "not_allowed", message: message ?? "must be one of: \(list).") { allowed.contains($0) }
    }

    /// The value is within a closed range.
    @discardableResult
    public func range(_ bounds: ClosedRange<Value>, message: String? = nil) -> Self where Value: Comparable {
        must(code: "out_of_range", message: message ?? "must be between \(bounds.lowerBound) and \(bounds.upperBound).") {
            bounds.contains($0)
        }
    }

    // MARK: - Collections

    /// Validates each element with `validator`; failures are reported as `name[index].field`.
    @discardableResult
    public func each<Element>(using validator: Validator<Element>) -> Self where Value == [Element] {
        elementRule = { elements, _, path in
            var failures: [ValidationFailure] = []
            for (index, element) in elements.enumerated() {
                failures += await validator.validate(element, at: "\(path)[\(index)]")
            }
            return failures
        }
        return self
    }

    /// The number of elements is within `bounds`.
    @discardableResult
    public func count<Element>(_ bounds: ClosedRange<Int>, message: String? = nil) -> Self where Value == [Element] {
        must(code: "invalid_count", message: message ?? "must have between \(bounds.lowerBound) and \(bounds.upperBound) items.") {
            bounds.contains($0.count)
        }
    }
}

extension FieldRule where Value == String {
    /// Fails with `required` when the string is empty after trimming white space.
    @discardableResult
    public func notBlank(message: String? = nil) -> Self {
        must(code: "required", message: message ?? "must not be blank.") {
            !$0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
        }
    }

    /// The length in characters, after trimming, is within `bounds`.
    @discardableResult
    public func length(_ bounds: ClosedRange<Int>, message: String? = nil) -> Self {
        checks.append { value, _ in
            let count = value.trimmingCharacters(in: .whitespacesAndNewlines).count
            if count < bounds.lowerBound {
                return ("too_short", message ?? "must be at least \(bounds.lowerBound) characters long.")
            }
            if count > bounds.upperBound {
                return ("too_long", message ?? "must be at most \(bounds.upperBound) characters long.")
            }
            return nil
        }
        return self
    }

    /// The whole string matches a regular expression (ICU syntax).
    @discardableResult
    public func pattern(_ pattern: String, code: String = "invalid_format", message: String? = nil) -> Self {
        let expression = try? NSRegularExpression(pattern: "^(?:\(pattern))$")
        return must(code: code, message: message ?? "has an invalid format.") { value in
            guard let expression else { return false }
            let range = NSRange(value.startIndex..<value.endIndex, in: value)
            return expression.firstMatch(in: value, range: range) != nil
        }
    }

    /// A plausible e-mail address: one `@`, a local part, a domain with a dot, no spaces.
    @discardableResult
    public func email(message: String? = nil) -> Self {
        must(code: "invalid_email", message: message ?? "must be an e-mail address.") { value in
            let text = value.trimmingCharacters(in: .whitespacesAndNewlines)
            let parts = text.split(separator: "@", omittingEmptySubsequences: false)
            guard parts.count == 2, !parts[0].isEmpty, !text.contains(where: \.isWhitespace) else { return false }
            let domain = parts[1]
            return domain.contains(".") && !domain.hasPrefix(".") && !domain.hasSuffix(".")
        }
    }
}
