import CustomerDomain
import Foundation

/// Port: the current time. Tests pass a fixed clock; production uses ``SystemWallClock``.
public protocol WallClock: Sendable {
    /// Now, rounded to the microsecond (see `Timestamp`).
    func now() -> Date
}

/// The system's real-time clock.
public struct SystemWallClock: WallClock {
    public init() {}
    public func now() -> Date { Timestamp.truncated(Date()) }
}
