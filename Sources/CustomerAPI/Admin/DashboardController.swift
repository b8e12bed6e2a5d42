import CustomerDomain
import EventBus
import Foundation
import HTTPTypes
import Hummingbird
import Mustache

/// `/admin`: the operator's page for the event bus, rendered on the server (what CAP users have
/// at `/cap`). Outbox and inbox counts, the oldest pending event, the publish rate, the failed
/// messages with their errors and a retry button each, and a search by customer id or event
/// type. Plain HTML forms, no script: it works with JavaScript disabled; the page refreshes
/// itself every ten seconds with a `<meta>` tag.
public struct DashboardController<Context: RequestContext>: Sendable {
    let outbox: any OutboxStore
    let inbox: any InboxStore
    let signal: RelaySignal
    /// Failed webhook deliveries, when webhooks are wired.
    let webhooks: (any WebhookStore)?
    /// Parsed once; a template that does not parse (a bug, caught by the tests) fails the page
    /// with a 500 rather than the start-up.
    let template: Result<MustacheTemplate, any Error>

    public init(outbox: any OutboxStore, inbox: any InboxStore, signal: RelaySignal, webhooks: (any WebhookStore)? = nil) {
        self.webhooks = webhooks
        self.outbox = outbox
        self.inbox = inbox
        self.signal = signal
        self.template = Result { try MustacheTemplate(string: DashboardTemplate.page) }
    }

    public var endpoints: RouteCollection<Context> {
        let routes = RouteCollection(context: Context.self)
        routes.get(use: page)
        routes.post("dashboard/outbox/:id/retry", use: retryOutbox)
        routes.post("dashboard/inbox/:id/retry", use: retryInbox)
        if webhooks != nil { routes.post("dashboard/webhooks/:seq/retry", use: retryWebhook) }
        return routes
    }

    /// One bar per minute, the oldest first, scaled to the busiest minute: the publish rate over
    /// the last minutes, drawn with CSS widths (no script).
    static func rateBars(_ perMinute: [Int]) -> [[String: Any]] {
        let busiest = max(perMinute.max() ?? 0, 1)
        return perMinute.enumerated().reversed().map { minute, count in
            [
                "label": minute == 0 ? "last minute" : "\(minute + 1) min ago",
                "count": count,
                "perSecond": String(format: "%.1f", Double(count) / 60),
                "width": max(count > 0 ? 1 : 0, count * 100 / busiest),
            ]
        }
    }

    @Sendable func page(_ request: Request, context: Context) async throws -> Response {
        let query = try AdminQuery.filter(request.uri.queryParameters.get("q"), field: "q") ?? ""
        let now = Date()
        async let outboxStats = outbox.stats(now: now)
        async let inboxStats = inbox.stats(now: now)
        async let failedOutbox = outbox.entries(status: .failed, type: nil, subject: nil, limit: 100, before: nil)
        async let failedInbox = inbox.entries(status: .failed, group: nil, limit: 100, before: nil)
        let stats = try await outboxStats
        let consumers = try await inboxStats
        var view: [String: Any] = [
            "query": query,
            "outbox": [
                "pending": stats.pending, "inFlight": stats.inFlight, "failed": stats.failed, "published": stats.published,
                "oldestPendingAge": stats.oldestPendingAgeSeconds.map { Self.age($0) } ?? "none",
                "publishedLastMinute": stats.publishedLastMinute,
                "publishRate": String(format: "%.1f", Double(stats.publishedLastMinute) / 60),
                "anyFailed": stats.failed > 0,
                "rate": Self.rateBars(stats.publishedPerMinute),
            ],
            "inbox": [
                "processed": consumers.processed, "failed": consumers.failed, "retrying": consumers.retrying,
                "processedLastMinute": consumers.processedLastMinute,
                "anyFailed": consumers.failed > 0,
            ],
            "failedOutbox": try await failedOutbox.map(Self.row),
            "failedInbox": try await failedInbox.map(Self.row),
            "failedWebhooks": try await webhooks?.failedDeliveries(limit: 100).map(Self.row) ?? [],
            "generatedAt": Timestamp.rfc3339(now),
        ]
        if !query.isEmpty {
            // A customer id searches by subject; anything else is an event type.
            let bySubject = UUID(uuidString: query) != nil
            let found = try await outbox.entries(
                status: nil, type: bySubject ? nil : query, subject: bySubject ? query.lowercased() : nil, limit: 100, before: nil)
            view["results"] = found.map(Self.row)
            view["searched"] = true
        }
        var headers = HTTPFields()
        headers[.contentType] = "text/html; charset=utf-8"
        headers[.cacheControl] = "no-store"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: try template.get().render(view))))
    }

    /// A retry button posts from this page only: a browser marks a post from another site
    /// (`Sec-Fetch-Site: cross-site`, or an `Origin` naming another host), and such posts are
    /// refused, so that a page elsewhere cannot make an operator's browser retry events.
    static func refuseCrossSite(_ request: Request) throws {
        if request.headers[HTTPField.Name("Sec-Fetch-Site")!] == "cross-site" {
            throw HTTPProblem(.malformedRequest, "Cross-site form posts are refused.")
        }
        if let origin = request.headers[HTTPField.Name("Origin")!], origin != "null",
            URL(string: origin)?.host != request.head.authority?.split(separator: ":").first.map(String.init)
        {
            throw HTTPProblem(.malformedRequest, "Cross-site form posts are refused.")
        }
    }

    @Sendable func retryOutbox(_ request: Request, context: Context) async throws -> Response {
        try Self.refuseCrossSite(request)
        let id = try context.parameters.require("id")
        if try await outbox.retry(id: id, now: Date()) { signal.notify() }
        return Self.backToPage(request)
    }

    @Sendable func retryInbox(_ request: Request, context: Context) async throws -> Response {
        try Self.refuseCrossSite(request)
        guard let position = Int64(try context.parameters.require("id")) else {
            throw HTTPProblem(.malformedRequest, "The inbox entry id must be a number.")
        }
        _ = try await inbox.retry(id: position)
        return Self.backToPage(request)
    }

    @Sendable func retryWebhook(_ request: Request, context: Context) async throws -> Response {
        try Self.refuseCrossSite(request)
        guard let position = Int64(try context.parameters.require("seq")) else {
            throw HTTPProblem(.malformedRequest, "The delivery number must be a number.")
        }
        _ = try await webhooks?.retry(position, now: Date())
        return Self.backToPage(request)
    }

    /// 303 to the page, so that reloading it does not post again.
    static func backToPage(_ request: Request) -> Response {
        var headers = HTTPFields()
        headers[.location] = "/admin"
        return Response(status: .seeOther, headers: headers)
    }

    static func row(_ entry: OutboxEntry) -> [String: Any] {
        [
            "id": entry.id, "type": entry.type, "subject": entry.subject, "sequence": entry.sequence, "status": entry.status.rawValue,
            "attempts": entry.attempts, "lastError": entry.lastError ?? "", "createdAt": Timestamp.rfc3339(entry.createdAt),
            "failed": entry.status == .failed,
        ]
    }

    static func row(_ entry: InboxEntry) -> [String: Any] {
        [
            "position": entry.position, "group": entry.group, "messageID": entry.messageID, "type": entry.type,
            "subject": entry.subject ?? "", "attempts": entry.attempts, "lastError": entry.lastError ?? "",
            "receivedAt": Timestamp.rfc3339(entry.receivedAt),
        ]
    }

    static func row(_ delivery: WebhookDelivery) -> [String: Any] {
        [
            "position": delivery.position, "subscription": delivery.subscriptionID.uuidString.lowercased(), "eventID": delivery.eventID,
            "type": delivery.type, "subject": delivery.subject, "attempts": delivery.attempts,
            "lastStatus": delivery.lastStatus.map(String.init) ?? "no answer", "lastError": delivery.lastError ?? "",
        ]
    }

    static func age(_ seconds: Double) -> String {
        seconds < 120 ? String(format: "%.1f s", seconds) : seconds < 7200 ? "\(Int(seconds / 60)) min" : "\(Int(seconds / 3600)) h"
    }
}
