import Foundation
import Synchronization

/// Per-client token buckets: each client may send `burst` requests at once, refilled at
/// `requestsPerSecond`. In memory, per process: with N replicas a client gets N budgets, which
/// is what a per-instance limit in front of each replica gives too.
///
/// - Important: the clock is injected (seconds on any monotonic scale), so tests drive time.
///   Buckets that have refilled completely are dropped when the table grows, so memory stays
///   bounded by the clients active within one refill period.
public final class TokenBucketRateLimiter: Sendable {
    public struct Configuration: Sendable, Hashable {
        public var requestsPerSecond: Double
        public var burst: Double

        public init(requestsPerSecond: Double, burst: Double) {
            self.requestsPerSecond = requestsPerSecond
            self.burst = max(1, burst)
        }
    }

    /// What the limiter decided for one request.
    public enum Decision: Hashable, Sendable {
        case allowed(remaining: Int)
        /// Refused; a token is back after this many seconds (rounded up).
        case limited(retryAfterSeconds: Int)
    }

    private struct Bucket {
        var tokens: Double
        var updatedAt: Double
    }

    public let configuration: Configuration
    private let now: @Sendable () -> Double
    private struct State {
        var buckets: [String: Bucket] = [:]
        var lastSweep = -Double.infinity
    }

    private let state = Mutex(State())
    /// Above this many buckets, full ones are swept.
    private let sweepThreshold: Int

    public init(_ configuration: Configuration, sweepThreshold: Int = 10_000, now: @escaping @Sendable () -> Double = TokenBucketRateLimiter.monotonicSeconds) {
        self.configuration = configuration
        self.sweepThreshold = sweepThreshold
        self.now = now
    }

    /// Takes one token from `client`'s bucket, if there is one.
    public func acquire(for client: String) -> Decision {
        let now = self.now()
        let rate = configuration.requestsPerSecond
        let burst = configuration.burst
        return state.withLock { state in
            // At most once a second: with more active clients than the threshold, sweeping on
            // every request would cost each request a pass over all of them.
            if state.buckets.count >= sweepThreshold, now - state.lastSweep >= 1 {
                state.buckets = state.buckets.filter { _, bucket in bucket.tokens + (now - bucket.updatedAt) * rate < burst }
                state.lastSweep = now
            }
            var bucket = state.buckets[client] ?? Bucket(tokens: burst, updatedAt: now)
            bucket.tokens = min(burst, bucket.tokens + max(0, now - bucket.updatedAt) * rate)
            bucket.updatedAt = now
            guard bucket.tokens >= 1 else {
                state.buckets[client] = bucket
                let wait = rate > 0 ? (1 - bucket.tokens) / rate : 3600
                return .limited(retryAfterSeconds: max(1, Int(wait.rounded(.up))))
            }
            bucket.tokens -= 1
            state.buckets[client] = bucket
            return .allowed(remaining: Int(bucket.tokens))
        }
    }

    /// How many clients have a bucket now.
    public var trackedClients: Int { state.withLock { $0.buckets.count } }

    /// Seconds since boot: monotonic, unaffected by wall-clock changes.
    @Sendable public static func monotonicSeconds() -> Double {
        ProcessInfo.processInfo.systemUptime
    }
}
