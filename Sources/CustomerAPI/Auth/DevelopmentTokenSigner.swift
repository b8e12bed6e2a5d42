import Foundation
import JWTKit

/// Signs HS256 access tokens with the configured secret: `customerflow token` for development,
/// and tests. Production tokens come from an identity provider.
public struct DevelopmentTokenSigner: Sendable {
    let keys: JWTKeyCollection

    public init(hs256Secret: String) async {
        keys = await JWTKeyCollection().add(hmac: HMACKey(from: Data(hs256Secret.utf8)), digestAlgorithm: .sha256)
    }

    /// A signed token carrying `claims`.
    public func sign(_ claims: AccessTokenClaims) async throws -> String {
        try await keys.sign(claims)
    }
}
