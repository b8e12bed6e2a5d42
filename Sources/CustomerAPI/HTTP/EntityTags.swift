import HTTPTypes

/// ETags of customers: the version in quotes (`"3"`). Versions are gapless integers, so the tag
/// is strong and comparisons are exact.
enum EntityTags {
    static func make(version: Int) -> String { "\"\(version)\"" }

    /// The parsed value of an `If-Match` / `If-None-Match` header.
    enum Condition: Equatable {
        case any
        case versions([Int])
    }

    /// Parses `*`, `"3"`, `W/"3"` or a comma-separated list of them. Tags not made by this
    /// service (not a quoted integer) can never match; they parse as no version.
    static func parse(_ header: String) throws -> Condition {
        let trimmed = header.trimmingCharacters(in: .whitespaces)
        if trimmed == "*" { return .any }
        var versions: [Int] = []
        for part in trimmed.split(separator: ",") {
            var tag = part.trimmingCharacters(in: .whitespaces)
            if tag.hasPrefix("W/") { tag.removeFirst(2) }
            guard tag.count >= 2, tag.hasPrefix("\""), tag.hasSuffix("\"") else {
                throw HTTPProblem(.malformedRequest, "Entity tags are quoted, e.g. If-Match: \"3\".")
            }
            if let version = Int(tag.dropFirst().dropLast()) { versions.append(version) }
        }
        return .versions(versions)
    }

    /// The version a write must find, from `If-Match`; `nil` without the header or with `*`.
    static func expectedVersion(_ fields: HTTPFields) throws -> Int? {
        guard let header = fields[.ifMatch] else { return nil }
        switch try parse(header) {
        case .any: return nil
        case .versions(let versions):
            guard versions.count <= 1 else {
                throw HTTPProblem(.malformedRequest, "If-Match may name one version of a customer.")
            }
            // A tag this service never issued cannot match any version.
            return versions.first ?? -1
        }
    }

    /// Whether `If-None-Match` matches the current version (→ 304).
    static func noneMatchHits(_ fields: HTTPFields, version: Int) -> Bool {
        guard let header = fields[.ifNoneMatch], let condition = try? parse(header) else { return false }
        switch condition {
        case .any: return true
        case .versions(let versions): return versions.contains(version)
        }
    }
}

import Foundation
