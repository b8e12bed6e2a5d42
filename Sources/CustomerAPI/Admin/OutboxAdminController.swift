import EventBus
import Foundation
import HTTPTypes
import Hummingbird
import Validation

/// `/admin/outbox`: what operators need to see and unstick the outbox (the CAP dashboard's job).
public struct OutboxAdminController<Context: RequestContext>: Sendable {
    let store: any OutboxStore
    let signal: RelaySignal

    public init(store: any OutboxStore, signal: RelaySignal) {
        self.store = store
        self.signal = signal
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
        let status = try AdminQuery.enumeration(OutboxStatus.self, query.get("status"), field: "status")
        let limit = try AdminQuery.limit(query.get("limit"))
        let cursor = try AdminQuery.cursor(query.get("cursor"))
        let type = try AdminQuery.filter(query.get("type"), field: "type")
        let entries = try await store.entries(status: status, type: type, limit: limit + 1, before: cursor)
        let page = Array(entries.prefix(limit))
        let next = entries.count > limit ? page.last.map { String($0.position) } : nil
        return try JSONResponses.make(.ok, AdminPage(items: page.map(OutboxEntryBody.init), nextCursor: next))
    }

    @Sendable func stats(_ request: Request, context: Context) async throws -> Response {
        try JSONResponses.make(.ok, try await store.stats(now: Date()))
    }

    @Sendable func retry(_ request: Request, context: Context) async throws -> Response {
        guard let id = context.parameters.get("id"), !id.isEmpty else {
            throw HTTPProblem(.malformedRequest, "The event id is missing.")
        }
        guard try await store.retry(id: id, now: Date()) else {
            throw HTTPProblem(.notFound, "No unpublished outbox event has that id.")
        }
        signal.notify()
        return try JSONResponses.make(.ok, RetriedBody(retried: 1))
    }

    @Sendable func retryFailed(_ request: Request, context: Context) async throws -> Response {
        let count = try await store.retryFailed(now: Date())
        if count > 0 { signal.notify() }
        return try JSONResponses.make(.ok, RetriedBody(retried: count))
    }
}

/// An outbox row in admin responses.
struct OutboxEntryBody: Encodable {
    let entry: OutboxEntry
    init(_ entry: OutboxEntry) { self.entry = entry }

    enum CodingKeys: String, CodingKey {
        case id, position, subject, sequence, type, status, attempts, lastError, createdAt, publishedAt, nextAttemptAt, claimedUntil
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(entry.id, forKey: .id)
        try container.encode(entry.position, forKey: .position)
        try container.encode(entry.subject, forKey: .subject)
        try container.encode(entry.sequence, forKey: .sequence)
        try container.encode(entry.type, forKey: .type)
        try container.encode(entry.status.rawValue, forKey: .status)
        try container.encode(entry.attempts, forKey: .attempts)
        try container.encode(entry.lastError, forKey: .lastError)
        try container.encode(AdminQuery.time(entry.createdAt), forKey: .createdAt)
        try container.encode(entry.publishedAt.map(AdminQuery.time), forKey: .publishedAt)
        try container.encode(entry.nextAttemptAt.map(AdminQuery.time), forKey: .nextAttemptAt)
        try container.encode(entry.claimedUntil.map(AdminQuery.time), forKey: .claimedUntil)
    }
}
