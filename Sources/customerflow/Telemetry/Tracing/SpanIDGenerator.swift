import Synchronization

/// Random trace and span ids from xoshiro256**, seeded from the system's generator.
///
/// The ids must be unique, not secret; the system generator would make a system call for each of
/// the several ids every traced request needs.
final class SpanIDGenerator: Sendable {
    private let state: Mutex<(UInt64, UInt64, UInt64, UInt64)>

    init() {
        var system = SystemRandomNumberGenerator()
        var seed = (system.next() as UInt64, system.next() as UInt64, system.next() as UInt64, system.next() as UInt64)
        if seed == (0, 0, 0, 0) { seed.0 = 1 }
        state = Mutex(seed)
    }

    /// Never all zero.
    func nextTraceID() -> TraceID {
        while true {
            let id = state.withLock { state in TraceID(high: Self.next(&state), low: Self.next(&state)) }
            if id.high != 0 || id.low != 0 { return id }
        }
    }

    /// Never zero.
    func nextSpanID() -> UInt64 {
        while true {
            let id = state.withLock { Self.next(&$0) }
            if id != 0 { return id }
        }
    }

    private static func next(_ s: inout (UInt64, UInt64, UInt64, UInt64)) -> UInt64 {
        let result = (s.1 &* 5).rotatedLeft(7) &* 9
        let t = s.1 << 17
        s.2 ^= s.0
        s.3 ^= s.1
        s.1 ^= s.2
        s.0 ^= s.3
        s.2 ^= t
        s.3 = s.3.rotatedLeft(45)
        return result
    }
}

private extension UInt64 {
    func rotatedLeft(_ count: UInt64) -> UInt64 { self << count | self >> (64 - count) }
}
