import Synchronization

/// Where flag definitions come from.
///
/// - Important: ``flags`` is read on every gate: it must be cheap (a snapshot, not a file read)
///   and may change at any time (a configuration reload).
public protocol FeatureFlagSource: Sendable {
    var flags: [String: FeatureFlag] { get }
}

/// Definitions held in memory and replaced as a whole: what a configuration reload swaps.
public final class FeatureFlagSnapshot: FeatureFlagSource {
    private let current: Mutex<[String: FeatureFlag]>

    public init(_ flags: [String: FeatureFlag] = [:]) {
        current = Mutex(flags)
    }

    public var flags: [String: FeatureFlag] { current.withLock { $0 } }

    public func replace(with flags: [String: FeatureFlag]) {
        current.withLock { $0 = flags }
    }
}
