/// Which new spans are recorded: `OTEL_TRACES_SAMPLER` and `OTEL_TRACES_SAMPLER_ARG`, with the
/// specification's names and its default, `parentbased_always_on`.
///
/// The parent-based samplers follow the caller's `sampled` flag when there is a parent and apply
/// the root sampler otherwise; the ratio sampler decides from the trace id as the specification's
/// consistent sampling does, so every service that samples the same ratio keeps the same traces.
struct TraceSampler: Sendable, Equatable {
    enum Root: Sendable, Equatable {
        case alwaysOn
        case alwaysOff
        /// Keeps this fraction of the traces, `0`…`1`.
        case ratio(Double)
    }

    var root: Root
    /// Follow the parent's decision when there is a parent.
    var isParentBased: Bool

    static let `default` = TraceSampler(root: .alwaysOn, isParentBased: true)

    /// Reads the two variables; a clear error for a name or ratio the specification does not know.
    init(name: String?, argument: String?) throws {
        func ratio() throws -> Double {
            guard let argument, !argument.isEmpty else { return 1 }
            guard let value = Double(argument), value >= 0, value <= 1 else {
                throw ConfigurationError("OTEL_TRACES_SAMPLER_ARG=\(argument): expected a ratio between 0 and 1")
            }
            return value
        }
        switch name?.lowercased() ?? "parentbased_always_on" {
        case "always_on": self.init(root: .alwaysOn, isParentBased: false)
        case "always_off": self.init(root: .alwaysOff, isParentBased: false)
        case "traceidratio": self.init(root: .ratio(try ratio()), isParentBased: false)
        case "parentbased_always_on": self.init(root: .alwaysOn, isParentBased: true)
        case "parentbased_always_off": self.init(root: .alwaysOff, isParentBased: true)
        case "parentbased_traceidratio": self.init(root: .ratio(try ratio()), isParentBased: true)
        case let other:
            throw ConfigurationError("OTEL_TRACES_SAMPLER=\(other): expected always_on, always_off, traceidratio, parentbased_always_on, parentbased_always_off or parentbased_traceidratio")
        }
    }

    init(root: Root, isParentBased: Bool) {
        self.root = root
        self.isParentBased = isParentBased
    }

    /// Whether a span of `traceID` under `parent` is recorded.
    func samples(_ traceID: TraceID, parent: TraceContext?) -> Bool {
        if isParentBased, let parent { return parent.isSampled }
        switch root {
        case .alwaysOn: return true
        case .alwaysOff: return false
        case .ratio(let ratio):
            // The specification's consistent sampling: the low 56 bits of the id are its
            // randomness (W3C trace context level 2), and a trace is kept when they reach the
            // rejection threshold (1 - ratio) · 2^56, so that every SDK keeping the same ratio
            // keeps the same traces.
            if ratio >= 1 { return true }
            let threshold = UInt64((1 - ratio) * Double(UInt64(1) << 56))
            return traceID.low & ((UInt64(1) << 56) - 1) >= threshold
        }
    }
}
