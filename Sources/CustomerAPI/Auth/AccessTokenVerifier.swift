import Foundation
import JWTKit

/// Checks a bearer token and says who sent it: the signature (HS256 with the configured secret,
/// RS256 or ES256 with keys from a JWKS), then `exp`, `nbf`, `iss` and `aud`.
///
/// - Important: the algorithm in the token's header must be one the configuration allows: HS256
///   only with a secret, RS256/ES256 only with a JWKS. A token can never choose how it is checked
///   (no `none`, no HMAC keyed with a public key).
public struct AccessTokenVerifier: Sendable {
    public struct Configuration: Sendable {
        /// HS256 secret; its UTF-8 bytes are the key.
        public var hs256Secret: String?
        public var jwks: JWKSKeySet?
        /// Required `iss`, when set.
        public var issuer: String?
        /// An audience `aud` must include, when set.
        public var audience: String?
        /// Tolerance of `exp` and `nbf` for clocks that disagree a little.
        public var clockSkew: Duration

        public init(
            hs256Secret: String? = nil, jwks: JWKSKeySet? = nil, issuer: String? = nil, audience: String? = nil,
            clockSkew: Duration = .seconds(60)
        ) {
            self.hs256Secret = hs256Secret
            self.jwks = jwks
            self.issuer = issuer
            self.audience = audience
            self.clockSkew = clockSkew
        }
    }

    public let configuration: Configuration
    private let hmacKeys: JWTKeyCollection?
    private let now: @Sendable () -> Date
    private let cache = VerifiedTokenCache()

    /// - Parameter now: the clock tokens are checked against (tests pass their own).
    public init(_ configuration: Configuration, now: @escaping @Sendable () -> Date = { Date() }) async {
        self.configuration = configuration
        self.now = now
        if let secret = configuration.hs256Secret {
            hmacKeys = await JWTKeyCollection().add(hmac: HMACKey(from: Data(secret.utf8)), digestAlgorithm: .sha256)
        } else {
            hmacKeys = nil
        }
    }

    /// The caller a valid token names.
    ///
    /// - Throws: ``InvalidAccessToken`` with a short, client-safe reason; ``JWKSUnavailable`` when
    ///   the keys of an RS256/ES256 token cannot be read.
    public func verify(_ token: String) async throws -> Caller {
        // A client sends the same token with every request until it expires: its signature is
        // checked once, then its times on each use (no crypto, no hop to the key set's actor).
        let now = self.now()
        if let caller = cache.caller(for: token, at: now, skew: TimeInterval(configuration.clockSkew.components.seconds)) {
            return caller
        }
        let header = try Self.header(of: token)
        let keys: JWTKeyCollection
        switch header.alg {
        case "HS256":
            guard let hmacKeys else { throw InvalidAccessToken("the token's algorithm is not accepted") }
            keys = hmacKeys
        case "RS256", "ES256":
            guard let jwks = configuration.jwks else { throw InvalidAccessToken("the token's algorithm is not accepted") }
            // JWKSUnavailable passes through: the token may be fine; the service cannot tell (503).
            keys = try await jwks.keys(for: header.kid)
        default:
            throw InvalidAccessToken("the token's algorithm is not accepted")
        }
        let claims: AccessTokenClaims
        do {
            claims = try await keys.verify(token, as: AccessTokenClaims.self)
        } catch {
            throw InvalidAccessToken("the token's signature is invalid")
        }
        let caller = try check(claims)
        if let expiration = claims.expiration?.value {
            cache.store(caller, for: token, expiresAt: expiration, notBefore: claims.notBefore?.value, now: now)
        }
        return caller
    }

    /// The claims' checks, apart from the signature.
    func check(_ claims: AccessTokenClaims) throws -> Caller {
        let now = self.now()
        let skew = TimeInterval(configuration.clockSkew.components.seconds)
        guard let expiration = claims.expiration?.value else { throw InvalidAccessToken("the token has no expiry (exp)") }
        guard now.timeIntervalSince(expiration) < skew else { throw InvalidAccessToken("the token has expired") }
        if let notBefore = claims.notBefore?.value, notBefore.timeIntervalSince(now) > skew {
            throw InvalidAccessToken("the token is not valid yet")
        }
        if let issuer = configuration.issuer, claims.issuer?.value != issuer {
            throw InvalidAccessToken("the token's issuer is not accepted")
        }
        if let audience = configuration.audience, !(claims.audience?.value.contains(audience) ?? false) {
            throw InvalidAccessToken("the token is not meant for this service (aud)")
        }
        guard let subject = claims.subject?.value, !subject.isEmpty else { throw InvalidAccessToken("the token has no subject (sub)") }
        return Caller(subject: subject, scopes: Set(claims.scopeNames.compactMap(AccessScope.init(rawValue:))))
    }

    /// `alg` and `kid` of the token's header, read before anything is trusted.
    static func header(of token: String) throws -> (alg: String, kid: String?) {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let json = Data(unpaddedBase64URL: String(parts[0])),
              let object = (try? JSONSerialization.jsonObject(with: json)) as? [String: Any],
              let alg = object["alg"] as? String
        else { throw InvalidAccessToken("the token is malformed") }
        return (alg, object["kid"] as? String)
    }
}

/// A bearer token that does not let its bearer in; `reason` is safe to show the client.
public struct InvalidAccessToken: Error, Hashable, Sendable, CustomStringConvertible {
    public let reason: String
    public init(_ reason: String) { self.reason = reason }
    public var description: String { reason }
}

extension Data {
    /// Decodes base64url without padding (RFC 7515).
    init?(unpaddedBase64URL text: String) {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        self.init(base64Encoded: base64)
    }
}
