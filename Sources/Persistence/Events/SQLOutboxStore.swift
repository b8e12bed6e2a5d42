import EventBus
import Foundation
import SQLKit

/// The outbox table for the relay and for operators.
///
/// Claims lock candidate rows with `FOR UPDATE SKIP LOCKED` on PostgreSQL, so concurrent relays
/// never wait for each other and never take the same row; every database also writes a lease
/// (`claimed_by`, `claimed_until`), which is what keeps SQLite's single writer correct and what
/// lets another relay take over the claims of one that died. Query plans: claims walk
/// `(status, seq)`, predecessor checks `(subject, sequence)`, retention `(status, published_at)` and
/// `(status, seq)` (failed rows are few); blocked subjects `(status, seq)` and the partial retry
/// index.
public struct SQLOutboxStore: OutboxStore {
    public let client: any DatabaseClient
    public let names: SchemaNames

    public init(client: any DatabaseClient, names: SchemaNames) {
        self.client = client
        self.names = names
    }

    public func claim(relay: String, limit: Int, now: Date, leaseUntil: Date, excluding: Set<String>) async throws -> OutboxClaim {
        let candidates = Self.claimCandidatesStatement(limit: limit, now: now, excluding: excluding, names: names, kind: client.kind)
        let kind = client.kind
        let names = self.names
        let postgres = client.kind == .postgres
        return try await client.withTransaction { database in
            try await Self.relaxDurability(database, kind: kind)
            if postgres {
                // Right after a burst the table's statistics lag behind, and the planner then
                // prefers fetching every pending row and sorting them (tens of ms, spilling to
                // disk) to walking (status, seq) in order and stopping after `limit` rows.
                try await database.raw("SET LOCAL enable_sort = off").run()
            }
            let rows = try await database.raw(candidates).all()
            guard !rows.isEmpty else { return OutboxClaim(records: [], blockedFrom: [:]) }
            let records = try rows.map(Self.record(from:))
            try await database.raw(
                """
                UPDATE \(ident: names.outbox) SET claimed_by = \(bind: relay), claimed_until = \(bind: DatabaseTimestamp(leaseUntil))
                WHERE \(Self.oneOf("seq", records.map(\.position), kind: kind))
                """
            ).run()
            // Unpublished events that come before a claimed event of the same subject but are not
            // claimed here: usually none.
            let foreign = try await database.raw(Self.predecessorsStatement(of: records, names: names, kind: kind)).all()
            var blockedFrom: [String: Int] = [:]
            for row in foreign {
                blockedFrom[try row.decode(column: "subject", as: String.self)] = try row.decode(column: "first_sequence", as: Int.self)
            }
            return OutboxClaim(records: records, blockedFrom: blockedFrom)
        }
    }

    @discardableResult
    public func markPublished(_ positions: [Int64], relay: String, at: Date) async throws -> Int {
        guard !positions.isEmpty else { return 0 }
        let names = self.names
        let kind = client.kind
        return try await client.withTransaction { database in
            try await Self.relaxDurability(database, kind: kind)
            return try await database.matchedRows(
                """
                UPDATE \(ident: names.outbox) SET status = 'published', published_at = \(bind: DatabaseTimestamp(at)),
                    attempts = attempts + 1, claimed_by = NULL, claimed_until = NULL, next_attempt_at = NULL
                WHERE \(Self.oneOf("seq", positions, kind: kind)) AND claimed_by = \(bind: relay)
                """
            )
        }
    }

    public func recordFailures(_ failures: [OutboxFailure], relay: String, at: Date) async throws {
        guard !failures.isEmpty else { return }
        let names = self.names
        try await client.withTransaction { database in
            for failure in failures {
                let status = failure.retryAt == nil ? "failed" : "pending"
                try await database.raw(
                    """
                    UPDATE \(ident: names.outbox) SET status = \(bind: status), attempts = attempts + 1,
                        last_error = \(bind: String(failure.error.prefix(2000))), last_attempt_at = \(bind: DatabaseTimestamp(at)),
                        next_attempt_at = \(nullable(failure.retryAt.map(DatabaseTimestamp.init))),
                        claimed_by = NULL, claimed_until = NULL
                    WHERE seq = \(bind: failure.position) AND claimed_by = \(bind: relay)
                    """
                ).run()
            }
        }
    }

    public func release(_ positions: [Int64], relay: String) async throws {
        guard !positions.isEmpty else { return }
        let names = self.names
        let kind = client.kind
        try await client.withTransaction { database in
            try await Self.relaxDurability(database, kind: kind)
            try await database.raw(
                """
                UPDATE \(ident: names.outbox) SET claimed_by = NULL, claimed_until = NULL
                WHERE \(Self.oneOf("seq", positions, kind: kind)) AND claimed_by = \(bind: relay)
                """
            ).run()
        }
    }

    public func purge(publishedBefore: Date, failedBefore: Date, limit: Int) async throws -> Int {
        let statements = [
            Self.purgeStatement(status: "published", column: "published_at", before: publishedBefore, limit: limit, names: names, kind: client.kind),
            Self.purgeStatement(status: "failed", column: "last_attempt_at", before: failedBefore, limit: limit, names: names, kind: client.kind),
        ]
        var deleted = 0
        for statement in statements where deleted < limit {
            deleted += try await client.withTransaction { database in
                try await database.matchedRows(statement)
            }
        }
        return deleted
    }

    // MARK: - Operators

    public func stats(now: Date) async throws -> OutboxStats {
        let names = self.names
        let table = SQLIdentifier(names.outbox)
        let nowValue = DatabaseTimestamp(now)
        return try await client.withConnection { database in
            guard let row = try await database.raw(
                """
                SELECT
                    (SELECT COUNT(*) FROM \(table) WHERE status = 'pending') AS pending,
                    (SELECT COUNT(*) FROM \(table) WHERE status = 'pending' AND claimed_until >= \(bind: nowValue)) AS in_flight,
                    (SELECT COUNT(*) FROM \(table) WHERE status = 'failed') AS failed,
                    (SELECT COUNT(*) FROM \(table) WHERE status = 'published') AS published,
                    (SELECT created_at FROM \(table) WHERE status = 'pending' ORDER BY seq LIMIT 1) AS oldest_pending
                """
            ).first() else {
                return OutboxStats(pending: 0, inFlight: 0, failed: 0, published: 0, oldestPendingAgeSeconds: nil, publishedPerMinute: [])
            }
            let oldest = try row.decodeOptional(column: "oldest_pending", as: DatabaseTimestamp.self)
            return OutboxStats(
                pending: try row.decode(column: "pending", as: Int.self),
                inFlight: try row.decode(column: "in_flight", as: Int.self),
                failed: try row.decode(column: "failed", as: Int.self),
                published: try row.decode(column: "published", as: Int.self),
                oldestPendingAgeSeconds: oldest.map { max(0, now.timeIntervalSince($0.date)) },
                publishedPerMinute: try await Self.publishedPerMinute(database, table: table, now: now)
            )
        }
    }

    /// One pass over the published rows of the last minutes (the `(status, published_at)` index),
    /// counted per minute; COUNT rather than SUM, which MySQL would answer as a DECIMAL.
    private static func publishedPerMinute(_ database: any SQLDatabase, table: SQLIdentifier, now: Date) async throws -> [Int] {
        let minutes = OutboxStats.rateMinutes
        var columns: [SQLQueryString] = []
        for minute in 0..<minutes {
            let from = DatabaseTimestamp(now.addingTimeInterval(-60 * Double(minute + 1)))
            let until = DatabaseTimestamp(now.addingTimeInterval(-60 * Double(minute)))
            columns.append("COUNT(CASE WHEN published_at >= \(bind: from) AND published_at < \(bind: until) THEN 1 END) AS \(ident: "m\(minute)")")
        }
        let since = DatabaseTimestamp(now.addingTimeInterval(-60 * Double(minutes)))
        guard let row = try await database.raw(
            "SELECT \(columns.joined(separator: ", ")) FROM \(table) WHERE status = 'published' AND published_at >= \(bind: since)"
        ).first() else { return Array(repeating: 0, count: minutes) }
        return try (0..<minutes).map { try row.decode(column: "m\($0)", as: Int.self) }
    }

    public func backlog(now: Date) async throws -> OutboxBacklog {
        let table = SQLIdentifier(names.outbox)
        return try await client.withConnection { database in
            guard let row = try await database.raw(
                """
                SELECT
                    (SELECT COUNT(*) FROM \(table) WHERE status = 'pending') AS pending,
                    (SELECT COUNT(*) FROM \(table) WHERE status = 'failed') AS failed,
                    (SELECT created_at FROM \(table) WHERE status = 'pending' ORDER BY seq LIMIT 1) AS oldest_pending
                """
            ).first() else { return OutboxBacklog(pending: 0, failed: 0, oldestPendingAgeSeconds: nil) }
            let oldest = try row.decodeOptional(column: "oldest_pending", as: DatabaseTimestamp.self)
            return OutboxBacklog(
                pending: try row.decode(column: "pending", as: Int.self),
                failed: try row.decode(column: "failed", as: Int.self),
                oldestPendingAgeSeconds: oldest.map { max(0, now.timeIntervalSince($0.date)) }
            )
        }
    }

    public func entries(status: OutboxStatus?, type: String?, subject: String?, limit: Int, before position: Int64?) async throws -> [OutboxEntry] {
        var conditions: [SQLQueryString] = ["1 = 1"]
        if let status { conditions.append("status = \(bind: status.rawValue)") }
        if let type { conditions.append("type = \(bind: type)") }
        if let subject { conditions.append("subject = \(bind: subject)") }
        if let position { conditions.append("seq < \(bind: position)") }
        let query: SQLQueryString = """
            SELECT seq, id, subject, sequence, type, status, attempts, last_error, created_at, published_at, next_attempt_at, claimed_until
            FROM \(ident: names.outbox) WHERE \(conditions.joined(separator: " AND ")) ORDER BY seq DESC LIMIT \(literal: limit)
            """
        return try await client.withConnection { database in
            try await database.raw(query).all().map { row in
                OutboxEntry(
                    position: try row.decode(column: "seq", as: Int64.self),
                    id: try row.decode(column: "id", as: String.self),
                    subject: try row.decode(column: "subject", as: String.self),
                    sequence: try row.decode(column: "sequence", as: Int.self),
                    type: try row.decode(column: "type", as: String.self),
                    status: OutboxStatus(rawValue: try row.decode(column: "status", as: String.self)) ?? .pending,
                    attempts: try row.decode(column: "attempts", as: Int.self),
                    lastError: try row.decodeOptional(column: "last_error"),
                    createdAt: try row.decode(column: "created_at", as: DatabaseTimestamp.self).date,
                    publishedAt: try row.decodeOptional(column: "published_at", as: DatabaseTimestamp.self)?.date,
                    nextAttemptAt: try row.decodeOptional(column: "next_attempt_at", as: DatabaseTimestamp.self)?.date,
                    claimedUntil: try row.decodeOptional(column: "claimed_until", as: DatabaseTimestamp.self)?.date
                )
            }
        }
    }

    public func retry(id: String, now: Date) async throws -> Bool {
        let names = self.names
        return try await client.withTransaction { database in
            try await database.matchedRows(
                """
                UPDATE \(ident: names.outbox) SET status = 'pending', attempts = 0, next_attempt_at = NULL, claimed_by = NULL, claimed_until = NULL
                WHERE id = \(bind: id) AND status <> 'published'
                """
            ) > 0
        }
    }

    public func retryFailed(now: Date) async throws -> Int {
        let names = self.names
        return try await client.withTransaction { database in
            try await database.matchedRows(
                """
                UPDATE \(ident: names.outbox) SET status = 'pending', attempts = 0, next_attempt_at = NULL, claimed_by = NULL, claimed_until = NULL
                WHERE status = 'failed'
                """
            )
        }
    }

    // MARK: - Statements (internal so that tests can EXPLAIN them)

    /// Pending rows that may be published now, oldest first, skipping subjects blocked by an
    /// event that failed or waits for a retry, and the `excluding` subjects.
    ///
    /// The blocked subjects are few, each found through its own index, and checked as a hashed set
    /// while the pending rows are walked in `seq` order, so the statement stops after `limit` rows.
    /// Rows behind an event another relay holds are not filtered here (that would need an index
    /// on the lease, and claims would stop being heap-only updates); the relay's check of the batch
    /// against the table gives them back.
    static func claimCandidatesStatement(limit: Int, now: Date, excluding: Set<String>, names: SchemaNames, kind: DatabaseKind) -> SQLQueryString {
        let nowValue = DatabaseTimestamp(now)
        let table = SQLIdentifier(names.outbox)
        let excluded: SQLQueryString = excluding.isEmpty ? "" : "AND NOT (\(oneOf("o.subject", excluding.sorted(), kind: kind)))"
        return """
            SELECT o.seq, o.id, o.subject, o.sequence, o.type, o.payload, o.attempts, o.headers
            FROM \(table) o
            WHERE o.status = 'pending'
              AND (o.claimed_until IS NULL OR o.claimed_until < \(bind: nowValue))
              AND (o.next_attempt_at IS NULL OR o.next_attempt_at <= \(bind: nowValue))
              AND o.subject NOT IN (
                  SELECT f.subject FROM \(table) f WHERE f.status = 'failed'
                  UNION ALL
                  SELECT r.subject FROM \(table) r WHERE r.next_attempt_at > \(bind: nowValue)
              )
              \(excluded)
            ORDER BY o.seq
            LIMIT \(literal: limit)
            \(unsafeRaw: claimLock(kind))
            """
    }

    /// Per subject of a claimed batch, the first unpublished event before its last claimed event
    /// that the batch does not hold (rows `subject`, `first_sequence`; subjects without one are left
    /// out).
    ///
    /// A correlated subquery per subject, so that each is answered by a short walk of
    /// `(subject, sequence)` whatever the statistics say. Written as a join, PostgreSQL planned a
    /// parallel scan of the whole table when its statistics still counted a burst's rows as
    /// pending: 20 to 130 ms per claim after a burst, the larger part of the relay's lag.
    static func predecessorsStatement(of records: [OutboxRecord], names: SchemaNames, kind: DatabaseKind) -> SQLQueryString {
        var last: [String: OutboxRecord] = [:]
        for record in records where record.sequence > last[record.subject]?.sequence ?? Int.min {
            last[record.subject] = record
        }
        let table = SQLIdentifier(names.outbox)
        return """
            SELECT x.subject, x.first_sequence FROM (
                SELECT c.subject, (
                    SELECT MIN(p.sequence) FROM \(table) p
                    WHERE p.subject = c.subject AND p.sequence < c.sequence AND p.status <> 'published'
                      AND NOT (\(oneOf("p.seq", records.map(\.position), kind: kind)))
                ) AS first_sequence
                FROM \(table) c
                WHERE \(oneOf("c.seq", last.values.map(\.position).sorted(), kind: kind))
            ) x
            WHERE x.first_sequence IS NOT NULL
            """
    }

    /// Rows another relay is claiming are skipped, not waited for. MySQL locks only the outer
    /// table's rows of a locking read (not those its subqueries read), as `OF o` says on
    /// PostgreSQL; SQLite has a single writer and relies on the lease alone.
    static func claimLock(_ kind: DatabaseKind) -> String {
        switch kind {
        case .postgres: "FOR UPDATE OF o SKIP LOCKED"
        case .mysql: "FOR UPDATE SKIP LOCKED"
        case .sqlite: ""
        }
    }

    /// Opens a relay bookkeeping transaction. On PostgreSQL its commit does not wait for the WAL
    /// flush: losing the last claims or marks in a crash only means events are published again,
    /// which at-least-once delivery already allows (the inbox deduplicates).
    static func relaxDurability(_ database: any SQLDatabase, kind: DatabaseKind) async throws {
        if kind == .postgres {
            try await database.raw("SET LOCAL synchronous_commit = off").run()
        }
    }

    /// `column` is one of `values`: one array parameter on PostgreSQL (`= ANY($1)`), an `IN` list
    /// elsewhere.
    static func oneOf<Value: Encodable & Sendable>(_ column: String, _ values: [Value], kind: DatabaseKind) -> SQLQueryString {
        switch kind {
        case .postgres:
            return "\(unsafeRaw: column) = ANY(\(bind: values))"
        case .sqlite, .mysql:
            return "\(unsafeRaw: column) IN (\(binds: values.map { $0 as any Encodable & Sendable }))"
        }
    }

    /// At most `limit` of the oldest rows in `status`. MySQL cannot delete from a table it reads
    /// in a subquery, but deletes in order with a limit of its own.
    static func purgeStatement(status: String, column: String, before: Date, limit: Int, names: SchemaNames, kind: DatabaseKind) -> SQLQueryString {
        if kind == .mysql {
            return """
                DELETE FROM \(ident: names.outbox) WHERE status = \(bind: status) AND \(ident: column) < \(bind: DatabaseTimestamp(before))
                ORDER BY \(ident: column) LIMIT \(literal: limit)
                """
        }
        return """
            DELETE FROM \(ident: names.outbox) WHERE seq IN (
                SELECT seq FROM \(ident: names.outbox) WHERE status = \(bind: status) AND \(ident: column) < \(bind: DatabaseTimestamp(before))
                ORDER BY \(ident: column) LIMIT \(literal: limit)
            )
            """
    }

    static func record(from row: any SQLRow) throws -> OutboxRecord {
        let headerText = try row.decodeOptional(column: "headers", as: String.self)
        let headers = headerText.map { OutboxHeaders.decode($0) } ?? [:]
        return OutboxRecord(
            position: try row.decode(column: "seq", as: Int64.self),
            id: try row.decode(column: "id", as: String.self),
            subject: try row.decode(column: "subject", as: String.self),
            sequence: try row.decode(column: "sequence", as: Int.self),
            type: try row.decode(column: "type", as: String.self),
            payload: Data(try row.decode(column: "payload", as: String.self).utf8),
            attempts: try row.decode(column: "attempts", as: Int.self),
            headers: headers
        )
    }
}
