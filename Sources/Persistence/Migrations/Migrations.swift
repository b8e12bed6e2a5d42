/// Every migration of CustomerFlow's schema, oldest first.
enum Migrations {
    static let all: [Migration] = [createCustomerTables]

    static let createCustomerTables = Migration(version: 1, name: "create customers, addresses, history, outbox, inbox, idempotency keys") { d, n in
        [
            """
            CREATE TABLE \(n.customers) (
                id \(d.uuid) PRIMARY KEY,
                name TEXT NULL,
                search_name \(d.binaryText) NULL,
                email \(d.binaryText) NULL,
                phone TEXT NULL,
                document_type TEXT NULL,
                document_number \(d.binaryText) NULL,
                birth_date \(d.day) NULL,
                status TEXT NOT NULL CHECK (status IN ('active', 'inactive', 'erased')),
                deactivation_reason TEXT NULL,
                version INTEGER NOT NULL CHECK (version >= 1),
                created_at \(d.timestamp) NOT NULL,
                updated_at \(d.timestamp) NOT NULL,
                CHECK (status = 'erased' OR (name IS NOT NULL AND email IS NOT NULL AND search_name IS NOT NULL))
            )
            """,
            "CREATE UNIQUE INDEX \(n.customersEmailKey) ON \(n.customers) (email)",
            "CREATE UNIQUE INDEX \(n.customersDocumentKey) ON \(n.customers) (document_number, document_type)",
            "CREATE INDEX \(n.prefix)customers_created_idx ON \(n.customers) (created_at, id)",
            "CREATE INDEX \(n.prefix)customers_status_created_idx ON \(n.customers) (status, created_at, id)",
            "CREATE INDEX \(n.prefix)customers_search_name_idx ON \(n.customers) (search_name)",
            """
            CREATE TABLE \(n.addresses) (
                id \(d.uuid) PRIMARY KEY,
                customer_id \(d.uuid) NOT NULL REFERENCES \(n.customers) (id) ON DELETE CASCADE,
                ordinal INTEGER NOT NULL,
                label TEXT NULL,
                street TEXT NOT NULL,
                number TEXT NOT NULL,
                complement TEXT NULL,
                district TEXT NULL,
                city TEXT NOT NULL,
                state TEXT NULL,
                postal_code TEXT NOT NULL,
                country TEXT NOT NULL,
                is_primary \(d.boolean) NOT NULL
            )
            """,
            "CREATE INDEX \(n.prefix)customer_addresses_customer_idx ON \(n.addresses) (customer_id, ordinal)",
            "CREATE UNIQUE INDEX \(n.prefix)customer_addresses_primary_key ON \(n.addresses) (customer_id) WHERE is_primary = \(d.trueLiteral)",
            """
            CREATE TABLE \(n.history) (
                customer_id \(d.uuid) NOT NULL REFERENCES \(n.customers) (id),
                version INTEGER NOT NULL,
                type TEXT NOT NULL,
                occurred_at \(d.timestamp) NOT NULL,
                data \(d.json) NOT NULL,
                PRIMARY KEY (customer_id, version)
            )
            """,
            """
            CREATE TABLE \(n.outbox) (
                seq \(d.autoIncrementPrimaryKey),
                id TEXT NOT NULL,
                subject TEXT NOT NULL,
                sequence INTEGER NOT NULL,
                type TEXT NOT NULL,
                payload TEXT NOT NULL,
                created_at \(d.timestamp) NOT NULL,
                headers TEXT NULL,
                status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'published', 'failed')),
                attempts INTEGER NOT NULL DEFAULT 0,
                claimed_by TEXT NULL,
                claimed_until \(d.timestamp) NULL,
                next_attempt_at \(d.timestamp) NULL,
                last_attempt_at \(d.timestamp) NULL,
                published_at \(d.timestamp) NULL,
                last_error TEXT NULL
            )
            """,
            "CREATE UNIQUE INDEX \(n.prefix)outbox_id_key ON \(n.outbox) (id)",
            // Ordering checks: a subject's earlier events.
            "CREATE UNIQUE INDEX \(n.prefix)outbox_subject_sequence_key ON \(n.outbox) (subject, sequence)",
            // Claims: pending rows in table order; also failed rows (few) for blocking and retention.
            "CREATE INDEX \(n.prefix)outbox_status_idx ON \(n.outbox) (status, seq)",
            // Retention and the last minute's throughput: published rows by age.
            "CREATE INDEX \(n.prefix)outbox_published_idx ON \(n.outbox) (status, published_at)",
            // Subjects blocked by an event waiting for a retry: partial, so it holds only those rows.
            "CREATE INDEX \(n.prefix)outbox_retry_idx ON \(n.outbox) (next_attempt_at) WHERE next_attempt_at IS NOT NULL",
        ] + d.outboxStorageTuning(n) + [
            """
            CREATE TABLE \(n.inbox) (
                seq \(d.autoIncrementPrimaryKey),
                group_name TEXT NOT NULL,
                message_id TEXT NOT NULL,
                type TEXT NOT NULL,
                subject TEXT NULL,
                status TEXT NOT NULL CHECK (status IN ('processed', 'failed', 'retrying')),
                attempts INTEGER NOT NULL DEFAULT 0,
                last_error TEXT NULL,
                payload TEXT NULL,
                received_at \(d.timestamp) NOT NULL,
                processed_at \(d.timestamp) NULL,
                updated_at \(d.timestamp) NOT NULL
            )
            """,
            // Deduplication: one row per message and consumer group.
            "CREATE UNIQUE INDEX \(n.inboxMessageKey) ON \(n.inbox) (group_name, message_id)",
            // Retries, statistics and retention by status and age.
            "CREATE INDEX \(n.prefix)inbox_status_idx ON \(n.inbox) (status, updated_at)",
            """
            CREATE TABLE \(n.idempotencyKeys) (
                scope TEXT NOT NULL,
                idempotency_key TEXT NOT NULL,
                fingerprint TEXT NOT NULL,
                status INTEGER NOT NULL,
                headers \(d.json) NOT NULL,
                body TEXT NOT NULL,
                created_at \(d.timestamp) NOT NULL,
                expires_at \(d.timestamp) NOT NULL,
                CONSTRAINT \(n.idempotencyPrimaryKey) PRIMARY KEY (scope, idempotency_key)
            )
            """,
            "CREATE INDEX \(n.prefix)idempotency_keys_expires_idx ON \(n.idempotencyKeys) (expires_at)",
        ]
    }
}
