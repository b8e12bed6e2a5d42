import CustomerDomain
import Validation

/// Reads the members of a JSON object into typed fields, collecting a failure for every member
/// of the wrong type instead of stopping at the first.
///
/// A missing member and `null` both read as `nil` for plain fields; ``update(_:)`` keeps them
/// apart, as JSON merge patch requires.
struct JSONFieldReader {
    private let members: [String: JSONValue]
    private let prefix: String
    private(set) var failures: [ValidationFailure] = []

    init(_ members: [String: JSONValue], prefix: String = "") {
        self.members = members
        self.prefix = prefix
    }

    /// Reads the request body as an object; anything else fails on the field `body`.
    static func body(_ value: JSONValue) -> JSONFieldReader {
        guard case .object(let members) = value else {
            var reader = JSONFieldReader([:])
            reader.fail("body", "must be a JSON object, not \(value.typeName).")
            return reader
        }
        return JSONFieldReader(members)
    }

    func path(_ name: String) -> String { prefix.isEmpty ? name : "\(prefix).\(name)" }

    mutating func fail(_ name: String, _ message: String, code: String = "invalid_type") {
        failures.append(ValidationFailure(field: path(name), code: code, message: message))
    }

    mutating func string(_ name: String) -> String? {
        switch members[name] {
        case nil, .null?: return nil
        case .string(let value)?: return value
        case let other?:
            fail(name, "\(name) must be a string, not \(other.typeName).")
            return nil
        }
    }

    /// An array of strings; any other element fails with its index.
    mutating func strings(_ name: String) -> [String]? {
        switch members[name] {
        case nil, .null?: return nil
        case .array(let elements)?:
            var values: [String] = []
            for (index, element) in elements.enumerated() {
                guard case .string(let value) = element else {
                    fail("\(name)[\(index)]", "\(name) items must be strings, not \(element.typeName).")
                    return nil
                }
                values.append(value)
            }
            return values
        case let other?:
            fail(name, "\(name) must be an array of strings, not \(other.typeName).")
            return nil
        }
    }

    mutating func bool(_ name: String) -> Bool? {
        switch members[name] {
        case nil, .null?: return nil
        case .bool(let value)?: return value
        case let other?:
            fail(name, "\(name) must be true or false, not \(other.typeName).")
            return nil
        }
    }

    /// A merge-patch member: absent keeps, `null` clears, a string sets.
    mutating func update(_ name: String) -> FieldUpdate<String> {
        switch members[name] {
        case nil: return .keep
        case .null?: return .clear
        case .string(let value)?: return .set(value)
        case let other?:
            fail(name, "\(name) must be a string or null, not \(other.typeName).")
            return .keep
        }
    }

    /// A nested object, read with its own reader whose failures carry `name.` in their path.
    mutating func object<T>(_ name: String, _ read: (inout JSONFieldReader) -> T) -> T? {
        switch members[name] {
        case nil, .null?: return nil
        case .object(let nested)?:
            var reader = JSONFieldReader(nested, prefix: path(name))
            let value = read(&reader)
            failures += reader.failures
            return value
        case let other?:
            fail(name, "\(name) must be an object, not \(other.typeName).")
            return nil
        }
    }

    /// An array of objects, each read with its own reader (`name[index].field`).
    mutating func objects<T>(_ name: String, _ read: (inout JSONFieldReader) -> T) -> [T]? {
        switch members[name] {
        case nil, .null?: return nil
        case .array(let elements)?:
            var result: [T] = []
            for (index, element) in elements.enumerated() {
                let elementPath = "\(path(name))[\(index)]"
                guard case .object(let nested) = element else {
                    failures.append(
                        ValidationFailure(field: elementPath, code: "invalid_type", message: "\(name) items must be objects, not \(element.typeName)."))
                    continue
                }
                var reader = JSONFieldReader(nested, prefix: elementPath)
                result.append(read(&reader))
                failures += reader.failures
            }
            return result
        case let other?:
            fail(name, "\(name) must be an array, not \(other.typeName).")
            return nil
        }
    }

    /// Fails every member not in `allowed`, for bodies where an ignored member would surprise
    /// the client (a merge patch of fields that cannot be patched).
    mutating func rejectMembers(otherThan allowed: Set<String>) {
        for name in members.keys.sorted() where !allowed.contains(name) {
            fail(name, "\(name) cannot be changed here.", code: "not_patchable")
        }
    }
}
