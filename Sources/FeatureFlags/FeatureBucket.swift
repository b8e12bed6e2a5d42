import Crypto
import Foundation

/// A stable position in [0, 100) for an identity under a flag: the first 32 bits of
/// SHA-256(`seed:flag:identity`). The same identity always lands in the same place (sticky
/// rollouts), across processes and restarts; different flags spread identities independently.
///
/// - Important: Changing the seed reshuffles every rollout.
public enum FeatureBucket {
    public static func position(seed: String, flag: String, identity: String) -> Double {
        let digest = SHA256.hash(data: Data("\(seed):\(flag):\(identity)".utf8))
        var value: UInt32 = 0
        for byte in digest.prefix(4) { value = value << 8 | UInt32(byte) }
        return Double(value) / 4_294_967_296 * 100
    }
}
