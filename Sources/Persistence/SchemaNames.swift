/// The names of CustomerFlow's tables and indexes, all carrying one configurable prefix so that
/// CustomerFlow can move into a database that already has tables of its own.
public struct SchemaNames: Hashable, Sendable {
    /// The prefix, empty by default (`database.tablePrefix`). Letters, digits and underscores only.
    public let prefix: String

    /// No prefix: the names as released migrations spell them (their checksums use these).
    public static let unprefixed = SchemaNames(validated: "")

    private init(validated prefix: String) { self.prefix = prefix }

    public init(prefix: String = "") throws {
        guard prefix.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }), prefix.count <= 30 else {
            throw DatabaseURLError("the table prefix may hold only letters, digits and underscores (at most 30)")
        }
        self.prefix = prefix
    }

    /// Which migrations ran, with their checksums and durations.
    public var schemaHistory: String { prefix + "schema_history" }
    /// The history table of builds before checksums, adopted by the first run of a newer build.
    public var legacyMigrations: String { prefix + "schema_migrations" }
    public var customers: String { prefix + "customers" }
    public var addresses: String { prefix + "customer_addresses" }
    public var history: String { prefix + "customer_history" }
    public var outbox: String { prefix + "outbox" }
    public var inbox: String { prefix + "inbox" }
    public var idempotencyKeys: String { prefix + "idempotency_keys" }
    public var webhookSubscriptions: String { prefix + "webhook_subscriptions" }
    public var webhookDeliveries: String { prefix + "webhook_deliveries" }

    public var customersEmailKey: String { prefix + "customers_email_key" }
    public var customersDocumentKey: String { prefix + "customers_document_key" }
    public var idempotencyPrimaryKey: String { prefix + "idempotency_keys_pkey" }
    public var inboxMessageKey: String { prefix + "inbox_message_key" }

    /// Whether a unique violation was raised by the e-mail index. PostgreSQL names the index;
    /// SQLite names the columns (`UNIQUE constraint failed: cf_customers.email`).
    func isEmailViolation(_ violation: UniqueViolation) -> Bool {
        violation.constraint == customersEmailKey || violation.detail.contains("\(customers).email")
    }

    func isDocumentViolation(_ violation: UniqueViolation) -> Bool {
        violation.constraint == customersDocumentKey || violation.detail.contains("\(customers).document_number")
    }

    /// MySQL names every primary key `PRIMARY`; callers ask this only about the idempotency insert.
    func isIdempotencyViolation(_ violation: UniqueViolation) -> Bool {
        violation.constraint == idempotencyPrimaryKey || violation.constraint == "PRIMARY"
            || violation.detail.contains("\(idempotencyKeys).scope")
    }
}
