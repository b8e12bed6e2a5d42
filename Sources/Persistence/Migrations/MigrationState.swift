import Foundation

/// One migration as `migrate status` shows it: what this build knows next to what the
/// schema-history table recorded.
public struct MigrationState: Hashable, Sendable {
    public enum Status: String, Hashable, Sendable {
        /// Applied by `migrate`.
        case applied
        /// Recorded by `migrate baseline`: the schema already had it.
        case baseline
        /// Not applied yet.
        case pending
        /// Applied, but this build's SQL for it differs from what ran.
        case checksumChanged = "checksum-changed"
        /// Applied by a newer build; this build does not know it.
        case unknown
    }

    public let version: Int
    public let description: String
    public let status: Status
    public let destructive: Bool
    public let appliedAt: Date?
    public let durationMilliseconds: Int?
}
