/// Bounds how long an operation may take: after `duration` it is cancelled (structured
/// concurrency: the operation sees `Task.isCancelled` and its awaits throw) and the caller gets
/// ``TimeoutRejected``.
///
/// - Important: The operation must honour cancellation for the bound to hold: the caller waits
///   for the cancelled operation to return (structured concurrency), so one that ignores
///   cancellation delays the ``TimeoutRejected`` until it does.
public struct TimeoutStrategy: ResilienceStrategy {
    public let duration: Duration
    let clock: any ResilienceClock
    let telemetry: ResilienceTelemetry?

    public init(_ duration: Duration, clock: any ResilienceClock = SystemResilienceClock(), telemetry: ResilienceTelemetry? = nil) {
        self.duration = duration
        self.clock = clock
        self.telemetry = telemetry
    }

    public func execute<T: Sendable>(_ operation: @escaping @Sendable () async throws -> T) async throws -> T {
        try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask { try await operation() }
            group.addTask {
                try await clock.sleep(for: duration)
                return nil
            }
            defer { group.cancelAll() }
            guard let first = try await group.next() else { throw CancellationError() }
            guard let result = first else {
                telemetry?.record("timeout", "timed_out", ["after": "\(duration)"])
                throw TimeoutRejected(after: duration)
            }
            return result
        }
    }
}

/// The operation took longer than its timeout and was cancelled.
public struct TimeoutRejected: Error, Hashable, Sendable, CustomStringConvertible {
    public let after: Duration
    public var description: String { "timed out after \(after)" }
}
