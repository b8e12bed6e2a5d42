import CustomerAPI
import Logging

/// How the router protects itself: token checks and scopes (off without a verifier: anonymous
/// callers may do everything), the rate limit, CORS and the body limit.
struct RouterSecurity: Sendable {
    var verifier: AccessTokenVerifier?
    var policy = AccessPolicy()
    var rateLimiter: TokenBucketRateLimiter?
    var corsAllowedOrigins: [String] = []
    var maxBodyBytes = CustomerFlowRequestContext.defaultMaxBodySize
}

extension RouterSecurity {
    /// The protections `configuration` asks for.
    init(_ configuration: CustomerFlowConfiguration, logger: Logger) async throws {
        let auth = configuration.auth
        if auth.isConfigured {
            if auth.jwksFile != nil, auth.jwksURL != nil {
                throw ConfigurationError("set auth.jwt.jwksFile or auth.jwt.jwksUrl, not both")
            }
            let location: JWKSKeySet.Location? = auth.jwksFile.map { .file($0) } ?? auth.jwksURL.map { .url($0) }
            verifier = await AccessTokenVerifier(.init(
                hs256Secret: auth.hs256Secret,
                jwks: location.map { JWKSKeySet($0, refreshInterval: auth.jwksRefresh, logger: logger) },
                issuer: auth.issuer, audience: auth.audience, clockSkew: auth.clockSkew))
        }
        policy = AccessPolicy(metricsPublic: auth.metricsPublic)
        if let rate = configuration.limits.requestsPerSecond {
            rateLimiter = TokenBucketRateLimiter(.init(requestsPerSecond: rate, burst: configuration.limits.burst ?? 2 * rate))
        }
        corsAllowedOrigins = configuration.corsAllowedOrigins
        maxBodyBytes = configuration.limits.maxBodyBytes
    }
}
