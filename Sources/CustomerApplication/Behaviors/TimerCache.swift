import CoreMetrics
import Synchronization

/// The timers of one metric, one per combination of dimension values, each made once.
///
/// `Timer(label:dimensions:factory:)` asks the factory every time; the Prometheus factory then
/// sanitizes the names, takes its registry's lock and looks the labels up, for two timers per
/// request (bench/RESULTS.md, telemetry overhead); a lookup here is a lock and a hash.
///
/// - Important: The values must come from a bounded set (known methods, route templates,
///   request types, outcomes), never from what a client sends: each combination stays for good.
public final class TimerCache: Sendable {
    private let label: String
    private let dimensionNames: [String]
    private let factory: any MetricsFactory
    private let timers = Mutex<[[String]: CoreMetrics.Timer]>([:])

    public init(label: String, dimensionNames: [String], factory: any MetricsFactory) {
        self.label = label
        self.dimensionNames = dimensionNames
        self.factory = factory
    }

    /// The timer for `values`, in the order of the dimension names.
    public func timer(_ values: [String]) -> CoreMetrics.Timer {
        if let timer = timers.withLock({ $0[values] }) { return timer }
        // Made outside the lock: the factory takes locks of its own.
        let made = CoreMetrics.Timer(label: label, dimensions: Array(zip(dimensionNames, values)), factory: factory)
        return timers.withLock { timers in
            if let existing = timers[values] { return existing }
            timers[values] = made
            return made
        }
    }
}
