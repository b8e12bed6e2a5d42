/// The time the strategies read and wait on. Production uses ``SystemResilienceClock``; tests
/// inject a virtual clock so that a schedule of minutes runs in microseconds, without sleeps.
///
/// - Important: ``sleep(for:)`` must throw `CancellationError` when its task is cancelled, so that
///   a timeout or a shutdown ends a wait at once.
public protocol ResilienceClock: Sendable {
    /// Time elapsed since a fixed point of this clock.
    var now: Duration { get }
    func sleep(for duration: Duration) async throws
}

/// `ContinuousClock`: keeps counting while the machine sleeps.
public struct SystemResilienceClock: ResilienceClock {
    private let origin = ContinuousClock.now

    public init() {}

    public var now: Duration { ContinuousClock.now - origin }

    public func sleep(for duration: Duration) async throws {
        try await Task.sleep(for: duration)
    }
}
