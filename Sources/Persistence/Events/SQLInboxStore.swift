import EventBus
import Foundation
import SQLKit

/// The inbox table: one row per message and consumer group, written in the handler's own
/// transaction by an upsert that lets through only messages not processed before.
public struct SQLInboxStore: InboxStore {
    public let client: any DatabaseClient
    public let names: SchemaNames

    public init(client: any DatabaseClient, names: SchemaNames) {
        self.client = client
        self.names = names
    }

    public func process(
        _ message: InboxMessage,
        group: String,
        now: Date,
        work: @Sendable (InboxContext) async throws -> Void
    ) async throws -> InboxOutcome {
        let names = self.names
        let at = DatabaseTimestamp(now)
        let kind = client.kind
        return try await client.withTransaction { database in
            if kind == .mysql {
                guard try await Self.claimOnMySQL(message, group: group, at: at, names: names, database: database) else { return .duplicate }
                try await work(InboxContext(transaction: database))
                return .processed
            }
            // A concurrent consumer holding the same message waits here on the unique index
            // until it commits, then finds the row processed.
            let claimed = try await database.raw(
                """
                INSERT INTO \(ident: names.inbox)
                    (group_name, message_id, type, subject, status, attempts, received_at, processed_at, updated_at)
                VALUES (\(bind: group), \(bind: message.id), \(bind: message.type), \(nullable(message.subject)), 'processed', 1,
                        \(bind: at), \(bind: at), \(bind: at))
                ON CONFLICT (group_name, message_id) DO UPDATE SET
                    status = 'processed', attempts = \(ident: names.inbox).attempts + 1, processed_at = \(bind: at),
                    updated_at = \(bind: at), last_error = NULL, payload = NULL
                WHERE \(ident: names.inbox).status <> 'processed'
                RETURNING seq
                """
            ).all()
            guard !claimed.isEmpty else { return .duplicate }
            try await work(InboxContext(transaction: database))
            return .processed
        }
    }

    /// MySQL's upsert cannot say whether it changed a row, so the row is read under a lock
    /// first: processed means duplicate, failed or retrying is taken over, none is inserted. A
    /// concurrent consumer inserting the same message makes the insert wait on the unique index
    /// until it commits, then fail as a duplicate.
    private static func claimOnMySQL(
        _ message: InboxMessage, group: String, at: DatabaseTimestamp, names: SchemaNames, database: any SQLDatabase
    ) async throws -> Bool {
        let existing = try await database.raw(
            """
            SELECT status FROM \(ident: names.inbox) WHERE group_name = \(bind: group) AND message_id = \(bind: message.id) FOR UPDATE
            """
        ).first()
        if let existing {
            guard try existing.decode(column: "status", as: String.self) != "processed" else { return false }
            try await database.raw(
                """
                UPDATE \(ident: names.inbox) SET status = 'processed', attempts = attempts + 1, processed_at = \(bind: at),
                    updated_at = \(bind: at), last_error = NULL, payload = NULL
                WHERE group_name = \(bind: group) AND message_id = \(bind: message.id)
                """
            ).run()
            return true
        }
        do {
            try await database.raw(
                """
                INSERT INTO \(ident: names.inbox)
                    (group_name, message_id, type, subject, status, attempts, received_at, processed_at, updated_at)
                VALUES (\(bind: group), \(bind: message.id), \(bind: message.type), \(nullable(message.subject)), 'processed', 1,
                        \(bind: at), \(bind: at), \(bind: at))
                """
            ).run()
            return true
        } catch is UniqueViolation {
            return false
        }
    }

    public func recordFailure(_ message: InboxMessage, group: String, error: String, attempts: Int, now: Date) async throws {
        let names = self.names
        let at = DatabaseTimestamp(now)
        let reason = String(error.prefix(2000))
        let payload = String(decoding: message.payload, as: UTF8.self)
        let kind = client.kind
        try await client.withTransaction { database in
            if kind == .mysql {
                // Assignments run left to right: `status` last, so the others still see the old one.
                try await database.raw(
                    """
                    INSERT INTO \(ident: names.inbox)
                        (group_name, message_id, type, subject, status, attempts, last_error, payload, received_at, updated_at)
                    VALUES (\(bind: group), \(bind: message.id), \(bind: message.type), \(nullable(message.subject)), 'failed',
                            \(bind: attempts), \(bind: reason), \(bind: payload), \(bind: at), \(bind: at))
                    ON DUPLICATE KEY UPDATE
                        attempts = IF(status <> 'processed', \(bind: attempts), attempts),
                        last_error = IF(status <> 'processed', \(bind: reason), last_error),
                        payload = IF(status <> 'processed', \(bind: payload), payload),
                        updated_at = IF(status <> 'processed', \(bind: at), updated_at),
                        status = IF(status <> 'processed', 'failed', status)
                    """
                ).run()
                return
            }
            try await database.raw(
                """
                INSERT INTO \(ident: names.inbox)
                    (group_name, message_id, type, subject, status, attempts, last_error, payload, received_at, updated_at)
                VALUES (\(bind: group), \(bind: message.id), \(bind: message.type), \(nullable(message.subject)), 'failed',
                        \(bind: attempts), \(bind: reason), \(bind: payload), \(bind: at), \(bind: at))
                ON CONFLICT (group_name, message_id) DO UPDATE SET
                    status = 'failed', attempts = \(bind: attempts), last_error = \(bind: reason), payload = \(bind: payload),
                    updated_at = \(bind: at)
                WHERE \(ident: names.inbox).status <> 'processed'
                """
            ).run()
        }
    }

    public func takeRetries(groups: [String], limit: Int) async throws -> [InboxRetry] {
        guard !groups.isEmpty else { return [] }
        let names = self.names
        let lock = client.kind == .sqlite ? "" : "FOR UPDATE SKIP LOCKED"
        return try await client.withTransaction { database in
            let rows = try await database.raw(
                """
                SELECT seq, group_name, message_id, type, subject, payload, attempts FROM \(ident: names.inbox)
                WHERE status = 'retrying' AND group_name IN (\(binds: groups.map { $0 as any Encodable & Sendable }))
                ORDER BY seq LIMIT \(literal: limit) \(unsafeRaw: lock)
                """
            ).all()
            guard !rows.isEmpty else { return [] }
            let retries = try rows.map { row in
                InboxRetry(
                    position: try row.decode(column: "seq", as: Int64.self),
                    group: try row.decode(column: "group_name", as: String.self),
                    message: InboxMessage(
                        id: try row.decode(column: "message_id", as: String.self),
                        type: try row.decode(column: "type", as: String.self),
                        subject: try row.decodeOptional(column: "subject"),
                        payload: Data((try row.decodeOptional(column: "payload", as: String.self) ?? "").utf8)
                    ),
                    attempts: try row.decode(column: "attempts", as: Int.self)
                )
            }
            // Taken: back to failed until the attempt succeeds, so a crash leaves it visible.
            try await database.raw(
                """
                UPDATE \(ident: names.inbox) SET status = 'failed'
                WHERE seq IN (\(binds: retries.map { $0.position as any Encodable & Sendable }))
                """
            ).run()
            return retries
        }
    }

    public func purge(processedBefore: Date, failedBefore: Date, limit: Int) async throws -> Int {
        var deleted = 0
        for (status, before) in [("processed", processedBefore), ("failed", failedBefore)] where deleted < limit {
            let statement = Self.purgeStatement(status: status, before: before, limit: limit, names: names, kind: client.kind)
            deleted += try await client.withTransaction { database in try await database.matchedRows(statement) }
        }
        return deleted
    }

    static func purgeStatement(status: String, before: Date, limit: Int, names: SchemaNames, kind: DatabaseKind) -> SQLQueryString {
        if kind == .mysql {
            return """
                DELETE FROM \(ident: names.inbox) WHERE status = \(bind: status) AND updated_at < \(bind: DatabaseTimestamp(before))
                ORDER BY updated_at LIMIT \(literal: limit)
                """
        }
        return """
            DELETE FROM \(ident: names.inbox) WHERE seq IN (
                SELECT seq FROM \(ident: names.inbox) WHERE status = \(bind: status) AND updated_at < \(bind: DatabaseTimestamp(before))
                ORDER BY updated_at LIMIT \(literal: limit)
            )
            """
    }

    // MARK: - Operators

    public func stats(now: Date) async throws -> InboxStats {
        let table = SQLIdentifier(names.inbox)
        let minuteAgo = DatabaseTimestamp(now.addingTimeInterval(-60))
        return try await client.withConnection { database in
            guard let row = try await database.raw(
                """
                SELECT
                    (SELECT COUNT(*) FROM \(table) WHERE status = 'processed') AS processed,
                    (SELECT COUNT(*) FROM \(table) WHERE status = 'failed') AS failed,
                    (SELECT COUNT(*) FROM \(table) WHERE status = 'retrying') AS retrying,
                    (SELECT COUNT(*) FROM \(table) WHERE status = 'processed' AND updated_at >= \(bind: minuteAgo)) AS last_minute
                """
            ).first() else { return InboxStats(processed: 0, failed: 0, retrying: 0, processedLastMinute: 0) }
            return InboxStats(
                processed: try row.decode(column: "processed", as: Int.self),
                failed: try row.decode(column: "failed", as: Int.self),
                retrying: try row.decode(column: "retrying", as: Int.self),
                processedLastMinute: try row.decode(column: "last_minute", as: Int.self)
            )
        }
    }

    public func entries(status: InboxStatus?, group: String?, limit: Int, before position: Int64?) async throws -> [InboxEntry] {
        var conditions: [SQLQueryString] = ["1 = 1"]
        if let status { conditions.append("status = \(bind: status.rawValue)") }
        if let group { conditions.append("group_name = \(bind: group)") }
        if let position { conditions.append("seq < \(bind: position)") }
        let query: SQLQueryString = """
            SELECT seq, group_name, message_id, type, subject, status, attempts, last_error, received_at, processed_at
            FROM \(ident: names.inbox) WHERE \(conditions.joined(separator: " AND ")) ORDER BY seq DESC LIMIT \(literal: limit)
            """
        return try await client.withConnection { database in
            try await database.raw(query).all().map { row in
                InboxEntry(
                    position: try row.decode(column: "seq", as: Int64.self),
                    group: try row.decode(column: "group_name", as: String.self),
                    messageID: try row.decode(column: "message_id", as: String.self),
                    type: try row.decode(column: "type", as: String.self),
                    subject: try row.decodeOptional(column: "subject"),
                    status: InboxStatus(rawValue: try row.decode(column: "status", as: String.self)) ?? .failed,
                    attempts: try row.decode(column: "attempts", as: Int.self),
                    lastError: try row.decodeOptional(column: "last_error"),
                    receivedAt: try row.decode(column: "received_at", as: DatabaseTimestamp.self).date,
                    processedAt: try row.decodeOptional(column: "processed_at", as: DatabaseTimestamp.self)?.date
                )
            }
        }
    }

    public func retry(id: Int64) async throws -> Bool {
        let names = self.names
        return try await client.withTransaction { database in
            try await database.matchedRows(
                "UPDATE \(ident: names.inbox) SET status = 'retrying' WHERE seq = \(bind: id) AND status = 'failed'"
            ) > 0
        }
    }

    public func retryFailed() async throws -> Int {
        let names = self.names
        return try await client.withTransaction { database in
            try await database.matchedRows("UPDATE \(ident: names.inbox) SET status = 'retrying' WHERE status = 'failed'")
        }
    }
}
