/// Why migrations were refused. The message says what to do about it, in one line.
public struct MigrationError: Error, Hashable, Sendable, CustomStringConvertible {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        public let description: String

        /// An applied migration's SQL differs from this build's: someone edited a released migration.
        public static let checksumMismatch = Code(description: "checksum-mismatch")
        /// A pending migration is destructive and `--allow-destructive` was not given.
        public static let destructive = Code(description: "destructive")
        /// A migration not marked destructive drops, renames or rewrites something.
        public static let undeclaredDestructive = Code(description: "undeclared-destructive")
        /// `baseline` on a database that already has a schema history.
        public static let historyNotEmpty = Code(description: "history-not-empty")
        /// A version this build does not know.
        public static let unknownVersion = Code(description: "unknown-version")
        /// The database holds CustomerFlow's tables under another prefix.
        public static let otherPrefix = Code(description: "other-prefix")
        /// Another instance held the migration lock for too long.
        public static let lockTimeout = Code(description: "lock-timeout")
    }

    public let code: Code
    public let message: String

    init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
