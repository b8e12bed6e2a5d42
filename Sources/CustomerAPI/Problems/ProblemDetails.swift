import Foundation
import Validation

/// An RFC 9457 problem: the body of every error response, served as
/// `application/problem+json`.
public struct ProblemDetails: Hashable, Sendable, Encodable {
    /// The problem kinds of the contract; `type` ends in the slug.
    public enum Kind: String, Hashable, Sendable, CaseIterable {
        case malformedRequest = "malformed-request"
        /// No access token, or one that proves nothing (401, with `WWW-Authenticate: Bearer`).
        case unauthorized
        /// The access token lacks the scope the route needs (403).
        case forbidden
        /// The client's request budget is spent; `Retry-After` says for how long (429).
        case tooManyRequests = "too-many-requests"
        case validation
        case notFound = "not-found"
        /// A feature flag is off for the caller: the feature does not exist for them.
        case featureDisabled = "feature-disabled"
        case methodNotAllowed = "method-not-allowed"
        case gone
        case conflict
        case preconditionFailed = "precondition-failed"
        case unsupportedMediaType = "unsupported-media-type"
        case payloadTooLarge = "payload-too-large"
        case unavailable
        case `internal`

        public var status: Int {
            switch self {
            case .malformedRequest: 400
            case .unauthorized: 401
            case .forbidden: 403
            case .tooManyRequests: 429
            case .validation: 422
            case .notFound, .featureDisabled: 404
            case .methodNotAllowed: 405
            case .gone: 410
            case .conflict: 409
            case .preconditionFailed: 412
            case .unsupportedMediaType: 415
            case .payloadTooLarge: 413
            case .unavailable: 503
            case .internal: 500
            }
        }

        public var title: String {
            switch self {
            case .malformedRequest: "Malformed request"
            case .unauthorized: "Unauthorized"
            case .forbidden: "Forbidden"
            case .tooManyRequests: "Too many requests"
            case .validation: "Validation failed"
            case .notFound: "Not found"
            case .featureDisabled: "Feature disabled"
            case .methodNotAllowed: "Method not allowed"
            case .gone: "Gone"
            case .conflict: "Conflict"
            case .preconditionFailed: "Precondition failed"
            case .unsupportedMediaType: "Unsupported media type"
            case .payloadTooLarge: "Payload too large"
            case .unavailable: "Service unavailable"
            case .internal: "Internal error"
            }
        }
    }

    /// The prefix of every problem `type`: an absolute URI that needs no server of its own.
    public static let typePrefix = "urn:customerflow:problem:"

    public let kind: Kind
    public let detail: String
    public let instance: String
    /// A stable code for conflicts (`email_taken`, …) and other problems clients branch on.
    public let code: String?
    /// Every failing field, for `validation`.
    public let errors: [ValidationFailure]?

    public init(_ kind: Kind, detail: String, instance: String, code: String? = nil, errors: [ValidationFailure]? = nil) {
        self.kind = kind
        self.detail = detail
        self.instance = instance
        self.code = code
        self.errors = errors
    }

    public var status: Int { kind.status }

    enum CodingKeys: String, CodingKey { case type, title, status, detail, instance, code, errors }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(Self.typePrefix + kind.rawValue, forKey: .type)
        try container.encode(kind.title, forKey: .title)
        try container.encode(status, forKey: .status)
        try container.encode(detail, forKey: .detail)
        try container.encode(instance, forKey: .instance)
        try container.encodeIfPresent(code, forKey: .code)
        try container.encodeIfPresent(errors, forKey: .errors)
    }
}

/// An error the HTTP layer raises itself, before any use case runs.
public struct HTTPProblem: Error, Hashable, Sendable {
    public let kind: ProblemDetails.Kind
    public let detail: String
    public let code: String?
    public let errors: [ValidationFailure]?
    /// Extra response headers (`Allow` on 405).
    public let headers: [String: String]

    public init(_ kind: ProblemDetails.Kind, _ detail: String, code: String? = nil, errors: [ValidationFailure]? = nil, headers: [String: String] = [:]) {
        self.kind = kind
        self.detail = detail
        self.code = code
        self.errors = errors
        self.headers = headers
    }
}
