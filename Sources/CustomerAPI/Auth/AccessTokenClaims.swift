import Foundation
import JWTKit

/// The claims CustomerFlow reads from an access token.
///
/// Scopes come from `scope` (a space-separated string, OAuth 2.0) or `scp` (a string or an
/// array, as Azure AD and Okta issue them). Time claims are checked by ``AccessTokenVerifier``
/// against its own clock with a small skew, not here.
public struct AccessTokenClaims: JWTPayload, Equatable {
    public var subject: SubjectClaim?
    public var issuer: IssuerClaim?
    public var audience: AudienceClaim?
    public var expiration: ExpirationClaim?
    public var notBefore: NotBeforeClaim?
    /// `scope`, space-separated.
    public var scope: String?
    /// `scp`, a string or an array.
    public var scp: [String]?

    public init(
        subject: String, scopes: [String], issuer: String? = nil, audience: [String]? = nil,
        expiration: Date? = nil, notBefore: Date? = nil
    ) {
        self.subject = SubjectClaim(value: subject)
        self.scope = scopes.joined(separator: " ")
        self.issuer = issuer.map { IssuerClaim(value: $0) }
        self.audience = audience.map { AudienceClaim(value: $0) }
        self.expiration = expiration.map { ExpirationClaim(value: $0) }
        self.notBefore = notBefore.map { NotBeforeClaim(value: $0) }
    }

    enum CodingKeys: String, CodingKey {
        case subject = "sub", issuer = "iss", audience = "aud", expiration = "exp", notBefore = "nbf", scope, scp
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        subject = try container.decodeIfPresent(SubjectClaim.self, forKey: .subject)
        issuer = try container.decodeIfPresent(IssuerClaim.self, forKey: .issuer)
        audience = try container.decodeIfPresent(AudienceClaim.self, forKey: .audience)
        expiration = try container.decodeIfPresent(ExpirationClaim.self, forKey: .expiration)
        notBefore = try container.decodeIfPresent(NotBeforeClaim.self, forKey: .notBefore)
        scope = try container.decodeIfPresent(String.self, forKey: .scope)
        if let list = try? container.decodeIfPresent([String].self, forKey: .scp) {
            scp = list
        } else if let text = try container.decodeIfPresent(String.self, forKey: .scp) {
            scp = text.split(separator: " ").map(String.init)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeIfPresent(subject, forKey: .subject)
        try container.encodeIfPresent(issuer, forKey: .issuer)
        try container.encodeIfPresent(audience, forKey: .audience)
        try container.encodeIfPresent(expiration, forKey: .expiration)
        try container.encodeIfPresent(notBefore, forKey: .notBefore)
        try container.encodeIfPresent(scope, forKey: .scope)
        try container.encodeIfPresent(scp, forKey: .scp)
    }

    /// Every scope the token names, from `scope` and `scp` together.
    public var scopeNames: Set<String> {
        Set((scope?.split(separator: " ").map(String.init) ?? []) + (scp ?? []))
    }

    /// The signature was checked by jwt-kit; the claims are checked by ``AccessTokenVerifier``.
    public func verify(using algorithm: some JWTAlgorithm) async throws {}
}
