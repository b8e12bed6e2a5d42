/// Every migration of CustomerFlow's schema, oldest first.
enum Migrations {
    static let all: [Migration] = [createCustomerTables, createWebhookTables, addHistoryActor]

    /// Who made each change: the access token's subject (additive, nullable: older rows have none).
    static let addHistoryActor = Migration(version: 3, name: "add the actor to history") { d, n in
        ["ALTER TABLE \(n.history) ADD COLUMN actor TEXT NULL"]
    }

    static let createWebhookTables = Migration(version: 2, name: "create webhook subscriptions and deliveries") { d, n in
        [
            """
            CREATE TABLE \(n.webhookSubscriptions) (
                id \(d.uuid) PRIMARY KEY,
                url TEXT NOT NULL,
                event_types TEXT NOT NULL,
                secret TEXT NOT NULL,
                enabled \(d.boolean) NOT NULL,
                disabled_reason TEXT NULL,
                created_at \(d.timestamp) NOT NULL
            )\(d.tableOptions)
            """,
            """
            CREATE TABLE \(n.webhookDeliveries) (
                seq \(d.autoIncrementPrimaryKey),
                subscription_id \(d.uuid) NOT NULL,
                event_id \(d.keyText(255)) NOT NULL,
                subject \(d.keyText(255)) NOT NULL,
                sequence INTEGER NOT NULL,
                type TEXT NOT NULL,
                payload TEXT NOT NULL,
                status \(d.indexedText(16)) NOT NULL CHECK (status IN ('pending', 'delivered', 'failed')),
                attempts INTEGER NOT NULL DEFAULT 0,
                next_attempt_at \(d.timestamp) NOT NULL,
                first_attempt_at \(d.timestamp) NULL,
                last_status INTEGER NULL,
                last_error TEXT NULL,
                created_at \(d.timestamp) NOT NULL,
                delivered_at \(d.timestamp) NULL
            )\(d.tableOptions)
            """,
            // One delivery per event and subscription, whatever redeliveries the inbox sees.
            "CREATE UNIQUE INDEX \(n.prefix)webhook_deliveries_event_key ON \(n.webhookDeliveries) (subscription_id, event_id)",
            // Due deliveries, and the ordering check: a subject's earlier undelivered events.
            "CREATE INDEX \(n.prefix)webhook_deliveries_status_idx ON \(n.webhookDeliveries) (status, next_attempt_at)",
            "CREATE INDEX \(n.prefix)webhook_deliveries_subject_idx ON \(n.webhookDeliveries) (subscription_id, subject, sequence)",
        ]
    }

    static let createCustomerTables = Migration(version: 1, name: "create customers, addresses, history, outbox, inbox, idempotency keys") { d, n in
        [
            """
            CREATE TABLE \(n.customers) (
                id \(d.uuid) PRIMARY KEY,
                name TEXT NULL,
                search_name \(d.binaryText(400)) NULL,
                email \(d.binaryText(254)) NULL,
                phone TEXT NULL,
                document_type \(d.indexedText(16)) NULL,
                document_number \(d.binaryText(40)) NULL,
                birth_date \(d.day) NULL,
                status \(d.indexedText(16)) NOT NULL CHECK (status IN ('active', 'inactive', 'erased')),
                deactivation_reason TEXT NULL,
                version INTEGER NOT NULL CHECK (version >= 1),
                created_at \(d.timestamp) NOT NULL,
                updated_at \(d.timestamp) NOT NULL,
                CHECK (status = 'erased' OR (name IS NOT NULL AND email IS NOT NULL AND search_name IS NOT NULL))
            )\(d.tableOptions)
            """,
            "CREATE UNIQUE INDEX \(n.customersEmailKey) ON \(n.customers) (email)",
            "CREATE UNIQUE INDEX \(n.customersDocumentKey) ON \(n.customers) (document_number, document_type)",
            "CREATE INDEX \(n.prefix)customers_created_idx ON \(n.customers) (created_at, id)",
            "CREATE INDEX \(n.prefix)customers_status_created_idx ON \(n.customers) (status, created_at, id)",
            "CREATE INDEX \(n.prefix)customers_search_name_idx ON \(n.customers) (search_name)",
            """
            CREATE TABLE \(n.addresses) (
                id \(d.uuid) PRIMARY KEY,
                customer_id \(d.uuid) NOT NULL\(d.inlineReference(to: n.customers, onDeleteCascade: true)),
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
                is_primary \(d.boolean) NOT NULL\(d.kind == .mysql ? primaryAddressColumn : "")\(d.tableReference("customer_id", to: n.customers))
            )\(d.tableOptions)
            """,
            "CREATE INDEX \(n.prefix)customer_addresses_customer_idx ON \(n.addresses) (customer_id, ordinal)",
            // One primary address per customer. MySQL has no partial indexes: a generated column
            // holds the customer id of primary addresses only, and NULLs never collide.
            d.kind == .mysql
                ? "CREATE UNIQUE INDEX \(n.prefix)customer_addresses_primary_key ON \(n.addresses) (primary_customer_id)"
                : "CREATE UNIQUE INDEX \(n.prefix)customer_addresses_primary_key ON \(n.addresses) (customer_id) WHERE is_primary = \(d.trueLiteral)",
            """
            CREATE TABLE \(n.history) (
                customer_id \(d.uuid) NOT NULL\(d.inlineReference(to: n.customers)),
                version INTEGER NOT NULL,
                type TEXT NOT NULL,
                occurred_at \(d.timestamp) NOT NULL,
                data \(d.json) NOT NULL,
                PRIMARY KEY (customer_id, version)\(d.tableReference("customer_id", to: n.customers))
            )\(d.tableOptions)
            """,
            """
            CREATE TABLE \(n.outbox) (
                seq \(d.autoIncrementPrimaryKey),
                id \(d.keyText(255)) NOT NULL,
                subject \(d.keyText(255)) NOT NULL,
                sequence INTEGER NOT NULL,
                type TEXT NOT NULL,
                payload TEXT NOT NULL,
                created_at \(d.timestamp) NOT NULL,
                headers TEXT NULL,
                status \(d.indexedText(16)) NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'published', 'failed')),
                attempts INTEGER NOT NULL DEFAULT 0,
                claimed_by TEXT NULL,
                claimed_until \(d.timestamp) NULL,
                next_attempt_at \(d.timestamp) NULL,
                last_attempt_at \(d.timestamp) NULL,
                published_at \(d.timestamp) NULL,
                last_error TEXT NULL
            )\(d.tableOptions)
            """,
            "CREATE UNIQUE INDEX \(n.prefix)outbox_id_key ON \(n.outbox) (id)",
            // Ordering checks: a subject's earlier events.
            "CREATE UNIQUE INDEX \(n.prefix)outbox_subject_sequence_key ON \(n.outbox) (subject, sequence)",
            // Claims: pending rows in table order; also failed rows (few) for blocking and retention.
            "CREATE INDEX \(n.prefix)outbox_status_idx ON \(n.outbox) (status, seq)",
            // Retention and the last minute's throughput: published rows by age.
            "CREATE INDEX \(n.prefix)outbox_published_idx ON \(n.outbox) (status, published_at)",
            // Subjects blocked by an event waiting for a retry: partial, so it holds only those rows.
        ] + d.partialIndex("\(n.prefix)outbox_retry_idx", on: n.outbox, columns: "next_attempt_at", where: "next_attempt_at IS NOT NULL")
            + d.outboxStorageTuning(n) + [
            """
            CREATE TABLE \(n.inbox) (
                seq \(d.autoIncrementPrimaryKey),
                group_name \(d.keyText(200)) NOT NULL,
                message_id \(d.keyText(512)) NOT NULL,
                type TEXT NOT NULL,
                subject TEXT NULL,
                status \(d.indexedText(16)) NOT NULL CHECK (status IN ('processed', 'failed', 'retrying')),
                attempts INTEGER NOT NULL DEFAULT 0,
                last_error TEXT NULL,
                payload TEXT NULL,
                received_at \(d.timestamp) NOT NULL,
                processed_at \(d.timestamp) NULL,
                updated_at \(d.timestamp) NOT NULL
            )\(d.tableOptions)
            """,
            // Deduplication: one row per message and consumer group.
            "CREATE UNIQUE INDEX \(n.inboxMessageKey) ON \(n.inbox) (group_name, message_id)",
            // Retries, statistics and retention by status and age.
            "CREATE INDEX \(n.prefix)inbox_status_idx ON \(n.inbox) (status, updated_at)",
            """
            CREATE TABLE \(n.idempotencyKeys) (
                scope \(d.keyText(100)) NOT NULL,
                idempotency_key \(d.keyText(255)) NOT NULL,
                fingerprint TEXT NOT NULL,
                status INTEGER NOT NULL,
                headers \(d.json) NOT NULL,
                body TEXT NOT NULL,
                created_at \(d.timestamp) NOT NULL,
                expires_at \(d.timestamp) NOT NULL,
                CONSTRAINT \(n.idempotencyPrimaryKey) PRIMARY KEY (scope, idempotency_key)
            )\(d.tableOptions)
            """,
            "CREATE INDEX \(n.prefix)idempotency_keys_expires_idx ON \(n.idempotencyKeys) (expires_at)",
        ]
    }

    /// MySQL only: the customer id of a primary address, NULL otherwise, for the unique index.
    /// (`VARCHAR`: MariaDB refuses generated columns over `CHAR`, whose padding depends on the
    /// SQL mode.) MySQL refuses a generated column over a column whose foreign key cascades, so there the
    /// address's reference does not cascade; customers are never deleted (erasure keeps the row).
    private static let primaryAddressColumn = ",\n    primary_customer_id VARCHAR(36) CHARACTER SET ascii COLLATE ascii_bin GENERATED ALWAYS AS (CASE WHEN is_primary THEN customer_id END) STORED"
}
