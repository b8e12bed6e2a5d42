import Foundation

extension UUID {
    /// Makes a version 7 UUID (RFC 9562): 48 bits of Unix milliseconds, then 12 bits of
    /// sub-millisecond precision (method 3 of the RFC), then random bits.
    ///
    /// Identifiers made this way sort by creation time, which keeps B-tree inserts append-only
    /// and lets keyset pagination break ties on the id.
    public static func version7(at date: Date = Date()) -> UUID {
        let seconds = date.timeIntervalSince1970
        let totalMicros = UInt64(max(0, (seconds * 1_000_000).rounded(.down)))
        let millis = totalMicros / 1000
        let subMilli = UInt64((Double(totalMicros % 1000) / 1000.0) * 4096.0) & 0x0FFF
        var rng = SystemRandomNumberGenerator()
        let random: UInt64 = rng.next()
        let high = (millis << 16) | (0x7 << 12) | subMilli
        let low = (random & 0x3FFF_FFFF_FFFF_FFFF) | 0x8000_0000_0000_0000
        var bytes: [UInt8] = []
        bytes.reserveCapacity(16)
        for shift in stride(from: 56, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: high >> UInt64(shift))) }
        for shift in stride(from: 56, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: low >> UInt64(shift))) }
        return UUID(uuid: (
            bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
            bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]
        ))
    }

    /// The version nibble of this UUID (7 for ids made by ``version7(at:)``).
    public var version: Int { Int(uuid.6 >> 4) }
}
