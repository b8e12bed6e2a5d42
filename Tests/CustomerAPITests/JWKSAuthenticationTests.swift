import CryptoExtras
import CustomerAPI
import Foundation
import Hummingbird
import JWTKit
import Logging
import Synchronization
import Testing

/// RS256 and ES256 tokens checked against public keys from a JWKS file or URL.
@Suite("Tokens signed with keys from a JWKS")
struct JWKSAuthenticationTests {
    /// A signing key and its public JWK.
    struct SigningKey: Sendable {
        let kid: String
        let keys: JWTKeyCollection
        let jwk: [String: String]

        static func ec(_ kid: String) async -> SigningKey {
            let key = ES256PrivateKey()
            let (x, y) = key.publicKey.parameters ?? ("", "")
            return SigningKey(
                kid: kid, keys: await JWTKeyCollection().add(ecdsa: key, kid: JWKIdentifier(string: kid)),
                jwk: ["kty": "EC", "crv": "P-256", "x": x, "y": y, "kid": kid, "alg": "ES256", "use": "sig"])
        }

        static func rsa(_ kid: String) async throws -> SigningKey {
            let key = try Insecure.RSA.PrivateKey(backing: _RSA.Signing.PrivateKey(keySize: .bits2048))
            let (modulus, exponent) = try key.publicKey.getKeyPrimitives()
            return SigningKey(
                kid: kid, keys: await JWTKeyCollection().add(rsa: key, digestAlgorithm: .sha256, kid: JWKIdentifier(string: kid)),
                jwk: ["kty": "RSA", "n": modulus.base64URL, "e": exponent.base64URL, "kid": kid, "alg": "RS256", "use": "sig"])
        }

        /// A token with the given claims, signed with this key and naming `kid` (another key's,
        /// to forge).
        func token(subject: String = "svc", kid: String? = nil, expiresIn: TimeInterval = 600) async throws -> String {
            let claims = AccessTokenClaims(
                subject: subject, scopes: ["customers:read"], issuer: "https://idp.test", audience: ["customerflow"],
                expiration: Date().addingTimeInterval(expiresIn))
            return try await keys.sign(claims, kid: JWKIdentifier(string: kid ?? self.kid))
        }
    }

    static func jwks(_ keys: [SigningKey]) throws -> String {
        String(decoding: try JSONSerialization.data(withJSONObject: ["keys": keys.map(\.jwk)]), as: UTF8.self)
    }

    static func verifier(_ keySet: JWKSKeySet) async -> AccessTokenVerifier {
        await AccessTokenVerifier(.init(jwks: keySet, issuer: "https://idp.test", audience: "customerflow"))
    }

    static func rejection(_ verifier: AccessTokenVerifier, _ token: String) async -> String? {
        do {
            _ = try await verifier.verify(token)
            return nil
        } catch let error as InvalidAccessToken {
            return error.reason
        } catch {
            return "\(error)"
        }
    }

    @Test("a JWKS file checks RS256 and ES256 tokens; a forged signature, an unknown key and an HS256 token are refused")
    func fileKeys() async throws {
        let ec = await SigningKey.ec("ec-1")
        let rsa = try await SigningKey.rsa("rsa-1")
        let forger = await SigningKey.ec("ec-1")
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("jwks-\(UUID().uuidString).json").path
        try Self.jwks([ec, rsa]).write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let verifier = await Self.verifier(JWKSKeySet(.file(path), logger: Logger(label: "test")))

        #expect(try await verifier.verify(try await ec.token(subject: "ec-service")).subject == "ec-service")
        #expect(try await verifier.verify(try await rsa.token(subject: "rsa-service")).subject == "rsa-service")
        #expect(await Self.rejection(verifier, try await forger.token()) == "the token's signature is invalid")
        #expect(await Self.rejection(verifier, try await ec.token(kid: "rsa-1")) != nil, "a key of another type must not verify it")
        #expect(await Self.rejection(verifier, try await ec.token(expiresIn: -3600)) == "the token has expired")
        let hs256 = try await DevelopmentTokenSigner(hs256Secret: "a-secret-that-is-at-least-32-bytes-long").sign(
            AccessTokenClaims(subject: "x", scopes: [], issuer: "https://idp.test", audience: ["customerflow"], expiration: Date().addingTimeInterval(600)))
        #expect(await Self.rejection(verifier, hs256) == "the token's algorithm is not accepted")
    }

    @Test("a JWKS URL is fetched once and cached, fetched again when a token names a new key (rotation), and kept when the provider fails")
    func urlKeysRotate() async throws {
        let first = await SigningKey.ec("2026-a")
        let second = await SigningKey.ec("2026-b")
        let served = Mutex<(document: String?, fetches: Int)>((try Self.jwks([first]), 0))
        let router = Router()
        router.get("/.well-known/jwks.json") { _, _ -> Response in
            let document = served.withLock { state -> String? in
                state.fetches += 1
                return state.document
            }
            guard let document else { return Response(status: .serviceUnavailable) }
            return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: document)))
        }
        try await LocalHTTPServer.run(router, name: "idp") { base async throws in
            let keySet = JWKSKeySet(.url("\(base)/.well-known/jwks.json"), minimumRefreshGap: .zero, logger: Logger(label: "test"))
            let verifier = await Self.verifier(keySet)
            #expect(try await verifier.verify(try await first.token()).subject == "svc")
            #expect(try await verifier.verify(try await first.token()).subject == "svc")
            #expect(served.withLock { $0.fetches } == 1, "the keys are cached")

            // The provider rotates: the new key appears, and a token signed with it is accepted.
            served.withLock { $0.document = try? Self.jwks([first, second]) }
            #expect(try await verifier.verify(try await second.token()).subject == "svc")
            #expect(served.withLock { $0.fetches } == 2)

            // The provider fails: the keys held still work; an unknown key is refused.
            served.withLock { $0.document = nil }
            #expect(await Self.rejection(verifier, try await SigningKey.ec("2026-c").token()) == "the token's signature is invalid")
            #expect(try await verifier.verify(try await second.token()).subject == "svc")
        }
    }

    @Test("tokens naming unknown keys cannot make the service hammer the provider")
    func unknownKeysAreThrottled() async throws {
        let known = await SigningKey.ec("known")
        let fetches = Mutex(0)
        let document = try Self.jwks([known])
        let router = Router()
        router.get("/jwks") { _, _ -> Response in
            fetches.withLock { $0 += 1 }
            return Response(status: .ok, body: .init(byteBuffer: ByteBuffer(string: document)))
        }
        try await LocalHTTPServer.run(router, name: "idp") { base async throws in
            let verifier = await Self.verifier(JWKSKeySet(.url("\(base)/jwks"), minimumRefreshGap: .seconds(30), logger: Logger(label: "test")))
            for index in 0..<20 {
                _ = await Self.rejection(verifier, try await SigningKey.ec("made-up-\(index)").token())
            }
            #expect(fetches.withLock { $0 } == 1)
        }
    }

    @Test("while the provider is down, requests share one fetch and wait out the refresh gap instead of each asking it again")
    func outageIsThrottled() async throws {
        let key = await SigningKey.ec("k")
        let hits = Mutex(0)
        let router = Router()
        router.get("/jwks") { _, _ -> Response in
            hits.withLock { $0 += 1 }
            return Response(status: .serviceUnavailable)
        }
        try await LocalHTTPServer.run(router, name: "idp") { base async throws in
            let verifier = await Self.verifier(JWKSKeySet(.url("\(base)/jwks"), minimumRefreshGap: .seconds(30), logger: Logger(label: "test")))
            let token = try await key.token()
            let reasons = await withTaskGroup(of: String?.self) { group in
                for _ in 0..<20 { group.addTask { await Self.rejection(verifier, token) } }
                return await group.reduce(into: [String?]()) { $0.append($1) }
            }
            #expect(reasons.allSatisfy { $0 == "no JWKS document could be read" }, "\(Set(reasons.map { $0 ?? "accepted" }))")
            // One fetch: its first attempt and two retries.
            #expect(hits.withLock { $0 } == 3)
        }
    }

    /// A clock tests move by hand.
    final class ManualDate: Sendable {
        private let value = Mutex(Date())
        func advance(_ seconds: TimeInterval) { value.withLock { $0 += seconds } }
        @Sendable func now() -> Date { value.withLock { $0 } }
    }

    @Test("a verified token is remembered for its next uses, but not past its expiry")
    func verifiedTokensExpireFromTheCache() async throws {
        let clock = ManualDate()
        let secret = "a-secret-that-is-at-least-32-bytes-long"
        let verifier = await AccessTokenVerifier(.init(hs256Secret: secret, clockSkew: .seconds(5)), now: clock.now)
        let token = try await DevelopmentTokenSigner(hs256Secret: secret).sign(
            AccessTokenClaims(subject: "alice", scopes: ["customers:read"], expiration: clock.now().addingTimeInterval(60)))
        #expect(try await verifier.verify(token).subject == "alice")
        clock.advance(50)
        #expect(try await verifier.verify(token).subject == "alice")
        clock.advance(20)
        #expect(await Self.rejection(verifier, token) == "the token has expired")
    }
}

extension Data {
    fileprivate var base64URL: String {
        base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }
}
