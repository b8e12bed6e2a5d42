/// How long to wait before the next attempt, by attempt number: a few quick retries, then
/// exponential growth to a cap, with jitter so that many failing instances do not retry in step.
public struct RetryPolicy: Hashable, Sendable {
    /// Attempts made one after the other at `quickDelay` before the exponential part begins.
    public var quickRetries: Int
    public var quickDelay: Duration
    /// Attempts in total, the first included; after the last the message is `failed`.
    public var maxAttempts: Int
    /// The first delay of the exponential part; it doubles with each later attempt.
    public var baseDelay: Duration
    public var maxDelay: Duration

    public init(quickRetries: Int = 3, quickDelay: Duration = .seconds(1), maxAttempts: Int = 10, baseDelay: Duration = .seconds(5), maxDelay: Duration = .seconds(300)) {
        self.quickRetries = quickRetries
        self.quickDelay = quickDelay
        self.maxAttempts = max(1, maxAttempts)
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
    }

    /// The delay before the attempt that follows failed attempt number `attempt` (1-based), or
    /// `nil` when no attempt is left.
    public func delay(afterAttempt attempt: Int) -> Duration? {
        guard attempt < maxAttempts else { return nil }
        let raw: Duration
        if attempt <= quickRetries {
            raw = quickDelay
        } else {
            let exponent = min(attempt - quickRetries - 1, 30)
            raw = min(baseDelay * (1 << exponent), maxDelay)
        }
        return Self.jittered(raw)
    }

    /// `delay` scaled by a random factor in [0.8, 1.2]: spreads retries without making them late.
    public static func jittered(_ delay: Duration) -> Duration {
        delay * Double.random(in: 0.8...1.2)
    }
}

/// Backoff for a dependency that is down: doubles from `initial` to `cap`, with jitter, and starts
/// over after a success.
public struct ReconnectBackoff: Sendable {
    public let initial: Duration
    public let cap: Duration
    private var current: Duration

    public init(initial: Duration = .milliseconds(100), cap: Duration = .seconds(30)) {
        self.initial = initial
        self.cap = cap
        self.current = initial
    }

    /// The next wait, growing towards the cap.
    public mutating func next() -> Duration {
        defer { current = min(current * 2, cap) }
        return RetryPolicy.jittered(current)
    }

    public mutating func reset() {
        current = initial
    }
}

extension ReconnectBackoff {
    /// Waits out `wait`, but asks `isBack` every `every` and returns as soon as it answers true:
    /// a dependency that comes back is used again within seconds, not at the end of a backoff that
    /// grew to its cap while it was down. Also returns when the task is cancelled.
    ///
    /// - Important: `isBack` should be cheap for the dependency (one connection attempt); it runs
    ///   at most once per `every` per caller.
    public static func wait(_ wait: Duration, checkingEvery every: Duration = .seconds(2), until isBack: @Sendable () async -> Bool) async {
        let clock = ContinuousClock()
        let end = clock.now + wait
        while !Task.isCancelled {
            let step = min(every, end - clock.now)
            guard step > .zero else { return }
            try? await Task.sleep(for: step)
            if clock.now >= end || Task.isCancelled { return }
            if await isBack() { return }
        }
    }
}

