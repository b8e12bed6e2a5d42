import EventBus
import Foundation
import HTTPTypes
import Hummingbird

/// `/admin/inbox`: what consumers received, what failed, and retrying it.
public struct InboxAdminController<Context: RequestContext>: Sendable {
    let store: any InboxStore

    public init(store: any InboxStore) {
        self.store = store
    }

    public var endpoints: RouteCollection<Context> {
        let routes = RouteCollection(context: Context.self)
        routes.get(use: list)
        routes.get("stats", use: stats)
        routes.post("retry-failed", use: retryFailed)
        routes.post(":id/retry", use: retry)
        return routes
    }

    @Sendable func list(_ request: Request, context: Context) async throws -> Response {
        let query = request.uri.queryParameters
        let status = try AdminQuery.enumeration(InboxStatus.self, query.get("status"), field: "status")
        let limit = try AdminQuery.limit(query.get("limit"))
        let cursor = try AdminQuery.cursor(query.get("cursor"))
        let group = try AdminQuery.filter(query.get("group"), field: "group")
        let entries = try await store.entries(status: status, group: group, limit: limit + 1, before: cursor)
        let page = Array(entries.prefix(limit))
        let next = entries.count > limit ? page.last.map { String($0.position) } : nil
        return try JSONResponses.make(.ok, AdminPage(items: page.map(InboxEntryBody.init), nextCursor: next))
    }

    @Sendable func stats(_ request: Request, context: Context) async throws -> Response {
        try JSONResponses.make(.ok, try await store.stats(now: Date()))
    }

    @Sendable func retry(_ request: Request, context: Context) async throws -> Response {
        guard let text = context.parameters.get("id"), let id = Int64(text) else {
            throw HTTPProblem(.malformedRequest, "Inbox ids are whole numbers.")
        }
        guard try await store.retry(id: id) else {
            throw HTTPProblem(.notFound, "No failed inbox message has that id.")
        }
        return try JSONResponses.make(.ok, RetriedBody(retried: 1))
    }

    @Sendable func retryFailed(_ request: Request, context: Context) async throws -> Response {
        try JSONResponses.make(.ok, RetriedBody(retried: try await store.retryFailed()))
    }
}

/// An inbox row in admin responses.
struct InboxEntryBody: Encodable {
    let entry: InboxEntry
    init(_ entry: InboxEntry) { self.entry = entry }

    enum CodingKeys: String, CodingKey {
        case id, group, messageId, type, subject, status, attempts, lastError, receivedAt, processedAt
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(String(entry.position), forKey: .id)
        try container.encode(entry.group, forKey: .group)
        try container.encode(entry.messageID, forKey: .messageId)
        try container.encode(entry.type, forKey: .type)
        try container.encode(entry.subject, forKey: .subject)
        try container.encode(entry.status.rawValue, forKey: .status)
        try container.encode(entry.attempts, forKey: .attempts)
        try container.encode(entry.lastError, forKey: .lastError)
        try container.encode(AdminQuery.time(entry.receivedAt), forKey: .receivedAt)
        try container.encode(entry.processedAt.map(AdminQuery.time), forKey: .processedAt)
    }
}
