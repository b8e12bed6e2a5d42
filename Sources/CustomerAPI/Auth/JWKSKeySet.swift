import AsyncHTTPClient
import Foundation
import JWTKit
import Logging
import NIOCore
import Resilience

/// Public keys from a JWKS document (a file or an identity provider's URL), cached and refreshed.
///
/// The document is read on first use, again once it is older than ``refreshInterval``, and again
/// when a token names a key id the cached set does not hold (key rotation), but not more often
/// than ``minimumRefreshGap`` so that tokens with made-up key ids cannot make the service hammer
/// the provider. A refresh that fails keeps the keys already held.
public actor JWKSKeySet {
    /// Where the document comes from.
    public enum Location: Sendable, Hashable {
        case file(String)
        case url(String)
    }

    public let location: Location
    public let refreshInterval: Duration
    public let minimumRefreshGap: Duration
    private let fetch: @Sendable () async throws -> String
    private let logger: Logger
    private var keys: JWTKeyCollection?
    private var keyIDs: Set<String> = []
    private var loadedAt: ContinuousClock.Instant?
    private var lastAttempt: ContinuousClock.Instant?
    private var inFlight: Task<Void, Never>?

    public init(
        _ location: Location, refreshInterval: Duration = .seconds(300), minimumRefreshGap: Duration = .seconds(30),
        logger: Logger
    ) {
        self.location = location
        self.refreshInterval = refreshInterval
        self.minimumRefreshGap = minimumRefreshGap
        self.logger = logger
        switch location {
        case .file(let path):
            fetch = { try String(contentsOfFile: path, encoding: .utf8) }
        case .url(let url):
            // An identity provider is an external dependency: each fetch has a deadline and a
            // couple of retries; the pipeline's log lines say when it misbehaves.
            let pipeline = ResiliencePipeline(name: "jwks.fetch", strategies: [
                RetryStrategy(.init(maxAttempts: 3, backoff: .exponential(.milliseconds(200)), maxDelay: .seconds(2)),
                              telemetry: ResilienceTelemetry(pipeline: "jwks.fetch", logger: logger)),
                TimeoutStrategy(.seconds(5)),
            ])
            fetch = {
                try await pipeline.execute {
                    var request = HTTPClientRequest(url: url)
                    request.headers.add(name: "Accept", value: "application/json")
                    let response = try await HTTPClient.shared.execute(request, timeout: .seconds(5))
                    guard response.status == .ok else { throw JWKSUnavailable(reason: "the JWKS URL answered \(response.status.code)") }
                    let body = try await response.body.collect(upTo: 1 << 20)
                    return String(buffer: body)
                }
            }
        }
    }

    /// The keys to check a token signed with key `keyID` against.
    ///
    /// Concurrent callers share one fetch; after a failed one, the next waits out
    /// ``minimumRefreshGap`` even when no keys are held, so an identity provider that is down is
    /// asked at that pace, not once per request.
    ///
    /// - Throws: ``JWKSUnavailable`` when no document could be read yet.
    public func keys(for keyID: String?) async throws -> JWTKeyCollection {
        let now = ContinuousClock.now
        let stale = loadedAt.map { now - $0 >= refreshInterval } ?? true
        let unknownKey = keyID.map { !keyIDs.contains($0) } ?? false
        let mayFetch = lastAttempt.map { now - $0 >= minimumRefreshGap } ?? true
        // A routine refresh of keys already held happens behind the callers: a token signed with
        // a known key never waits for the identity provider.
        if let keys, !unknownKey {
            if stale, mayFetch, inFlight == nil { startRefresh(at: now) }
            return keys
        }
        if let inFlight {
            await inFlight.value
        } else if mayFetch {
            await startRefresh(at: now).value
        }
        guard let keys else { throw JWKSUnavailable(reason: "no JWKS document could be read") }
        return keys
    }

    @discardableResult
    private func startRefresh(at now: ContinuousClock.Instant) -> Task<Void, Never> {
        let fetch = Task {
            await refresh()
            inFlight = nil
        }
        inFlight = fetch
        lastAttempt = now
        return fetch
    }

    private func refresh() async {
        do {
            let json = try await fetch()
            let document = try JSONDecoder().decode(LenientJWKS.self, from: Data(json.utf8))
            let collection = JWTKeyCollection()
            var ids: Set<String> = []
            // A key this service cannot use (no `kid`, an unknown type or algorithm) is skipped,
            // not allowed to make the whole set unusable.
            for key in document.keys {
                guard let jwk = key.jwk, let kid = jwk.keyIdentifier?.string else {
                    logger.warning("skipping a JWKS key without a usable kid, type or algorithm")
                    continue
                }
                do {
                    try await collection.add(jwk: jwk)
                    ids.insert(kid)
                } catch {
                    logger.warning("skipping a JWKS key that cannot verify tokens", metadata: ["kid": "\(kid)", "error": "\(error)"])
                }
            }
            guard !ids.isEmpty else { throw JWKSUnavailable(reason: "the JWKS document holds no usable key") }
            keys = collection
            keyIDs = ids
            loadedAt = ContinuousClock.now
        } catch {
            logger.warning("cannot read the JWKS document; keeping the keys held", metadata: ["error": "\(error)"])
        }
    }
}

/// `{"keys": [...]}` where a key that does not decode as a JWK is kept as `nil`.
private struct LenientJWKS: Decodable {
    struct Key: Decodable {
        let jwk: JWK?
        init(from decoder: any Decoder) throws {
            jwk = try? JWK(from: decoder)
        }
    }

    let keys: [Key]
}

/// The JWKS document could not be read: tokens signed with its keys cannot be checked.
public struct JWKSUnavailable: Error, CustomStringConvertible, Sendable {
    public let reason: String
    public var description: String { reason }
}
