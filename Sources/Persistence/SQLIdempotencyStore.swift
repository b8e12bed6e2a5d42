import CustomerApplication
import Foundation
import SQLKit

/// Reads stored idempotent responses; they are written by the command's own transaction.
public struct SQLIdempotencyStore: IdempotencyStore {
    public let client: any DatabaseClient
    public let names: SchemaNames

    public init(client: any DatabaseClient, names: SchemaNames) {
        self.client = client
        self.names = names
    }

    public func find(scope: String, key: String, now: Date) async throws -> IdempotencyRecord? {
        let names = self.names
        return try await client.withConnection { database in
            guard let row = try await database.raw(
                """
                SELECT fingerprint, status, headers, body, created_at, expires_at FROM \(ident: names.idempotencyKeys)
                WHERE scope = \(bind: scope) AND idempotency_key = \(bind: key) AND expires_at > \(bind: DatabaseTimestamp(now))
                """
            ).first() else { return nil }
            let headerData = try row.decode(column: "headers", as: DatabaseJSON.self).data
            let pairs = (try JSONSerialization.jsonObject(with: headerData) as? [[String]]) ?? []
            return IdempotencyRecord(
                scope: scope,
                key: key,
                fingerprint: try row.decode(column: "fingerprint", as: String.self),
                status: try row.decode(column: "status", as: Int.self),
                headers: pairs.compactMap { $0.count == 2 ? IdempotencyRecord.Header(name: $0[0], value: $0[1]) : nil },
                body: Data(try row.decode(column: "body", as: String.self).utf8),
                createdAt: try row.decode(column: "created_at", as: DatabaseTimestamp.self).date,
                expiresAt: try row.decode(column: "expires_at", as: DatabaseTimestamp.self).date
            )
        }
    }
}
