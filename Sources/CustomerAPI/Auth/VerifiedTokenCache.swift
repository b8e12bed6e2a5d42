import Foundation
import Synchronization

/// Tokens whose signature and claims were checked, with the times that still decide whether they
/// are valid at each use.
///
/// - Important: an entry is kept at most ``maximumAge`` (5 minutes), so a key withdrawn from the
///   JWKS stops its tokens within that time; and never past the token's `exp`. The table holds at
///   most ``capacity`` tokens and is emptied when full: a burst of distinct tokens costs their
///   verification again, never unbounded memory.
final class VerifiedTokenCache: Sendable {
    private struct Entry {
        let caller: Caller
        let expiresAt: Date
        let notBefore: Date?
        let storedAt: Date
    }

    let capacity: Int
    let maximumAge: TimeInterval
    private let entries = Mutex<[String: Entry]>([:])

    init(capacity: Int = 10_000, maximumAge: TimeInterval = 300) {
        self.capacity = capacity
        self.maximumAge = maximumAge
    }

    /// The caller of `token` if it was verified and is valid at `now`.
    func caller(for token: String, at now: Date, skew: TimeInterval) -> Caller? {
        guard let entry = entries.withLock({ $0[token] }) else { return nil }
        guard now.timeIntervalSince(entry.storedAt) < maximumAge,
              now.timeIntervalSince(entry.expiresAt) < skew,
              entry.notBefore.map({ $0.timeIntervalSince(now) <= skew }) ?? true
        else { return nil }
        return entry.caller
    }

    func store(_ caller: Caller, for token: String, expiresAt: Date, notBefore: Date?, now: Date) {
        entries.withLock { entries in
            if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
            entries[token] = Entry(caller: caller, expiresAt: expiresAt, notBefore: notBefore, storedAt: now)
        }
    }
}
