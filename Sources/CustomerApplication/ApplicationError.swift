/// An outcome of a use case that is not a success and not a broken business rule of the model:
/// the customer does not exist, is gone, changed meanwhile, or collides with another.
///
/// The HTTP layer maps each code to one status; the codes are stable and part of the contract.
public struct ApplicationError: Error, Hashable, Sendable, CustomStringConvertible {
    public struct Code: Hashable, Sendable, RawRepresentable, CustomStringConvertible {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// No customer (or address of the customer) has that id.
        public static let notFound = Code(rawValue: "not_found")
        /// The customer was erased.
        public static let gone = Code(rawValue: "gone")
        /// `If-Match` named a version that is not the current one.
        public static let preconditionFailed = Code(rawValue: "precondition_failed")
        /// Another customer has that e-mail.
        public static let emailTaken = Code(rawValue: "email_taken")
        /// Another customer has that document.
        public static let documentTaken = Code(rawValue: "document_taken")
        /// A concurrent write changed the customer and retrying did not get through.
        public static let concurrentModification = Code(rawValue: "concurrent_modification")
        /// An idempotency key came back with a different request.
        public static let idempotencyKeyReused = Code(rawValue: "idempotency_key_reused")
        /// A list cursor was not made by this service or was altered.
        public static let malformedCursor = Code(rawValue: "malformed_cursor")
        /// The request holds text the database cannot store (a NUL character on PostgreSQL).
        public static let unstorableText = Code(rawValue: "unstorable_text")
        /// The database is unreachable or keeps failing; try again later.
        public static let unavailable = Code(rawValue: "unavailable")
    }

    public let code: Code
    /// A sentence for humans, free of personal data.
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code): \(message)" }

    public static func customerNotFound() -> ApplicationError {
        ApplicationError(.notFound, "No customer has that id.")
    }

    public static func customerGone() -> ApplicationError {
        ApplicationError(.gone, "The customer was erased.")
    }

    public static func versionMismatch() -> ApplicationError {
        ApplicationError(.preconditionFailed, "The customer is not at the version given in If-Match.")
    }
}
