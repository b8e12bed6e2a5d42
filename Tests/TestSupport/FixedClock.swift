import CustomerApplication
import CustomerDomain
import Foundation
import Synchronization

/// A clock that stands still until moved; each `now()` may advance by `step` so that events
/// and rows get distinct, ordered times.
public final class FixedClock: WallClock {
    private let current: Mutex<Date>
    private let step: TimeInterval

    public init(_ start: Date = Date(timeIntervalSince1970: 1_790_000_000), step: TimeInterval = 0) {
        self.current = Mutex(Timestamp.truncated(start))
        self.step = step
    }

    public func now() -> Date {
        current.withLock { date in
            let value = date
            date = Timestamp.truncated(date.addingTimeInterval(step))
            return value
        }
    }

    public func advance(by interval: TimeInterval) {
        current.withLock { $0 = Timestamp.truncated($0.addingTimeInterval(interval)) }
    }
}
