import CustomerDomain
import EventBus
import Foundation
import HTTPTypes
import Hummingbird
import NIOPosix
import Validation

/// `/admin/webhooks`: subscriptions (created with a signing secret shown once), their deliveries,
/// and redelivery of failed ones.
public struct WebhooksAdminController<Context: RequestContext>: Sendable {
    public let store: any WebhookStore
    /// Whether URLs may point at loopback and private addresses.
    let allowPrivateTargets: Bool

    public init(store: any WebhookStore, allowPrivateTargets: Bool) {
        self.store = store
        self.allowPrivateTargets = allowPrivateTargets
    }

    public var endpoints: RouteCollection<Context> {
        let routes = RouteCollection(context: Context.self)
        routes.post(use: create)
        routes.get(use: list)
        routes.get(":id", use: get)
        routes.delete(":id", use: delete)
        routes.get(":id/deliveries", use: deliveries)
        routes.post("deliveries/:seq/retry", use: retry)
        return routes
    }

    struct SubscriptionBody: Encodable {
        let id: String
        let url: String
        let eventTypes: [String]
        let enabled: Bool
        let disabledReason: String?
        let createdAt: String
        /// Only in the answer to the creation.
        let secret: String?

        init(_ subscription: WebhookSubscription, secret: String? = nil) {
            id = subscription.id.uuidString.lowercased()
            url = subscription.url
            eventTypes = subscription.eventTypes
            enabled = subscription.enabled
            disabledReason = subscription.disabledReason
            createdAt = Timestamp.rfc3339(subscription.createdAt)
            self.secret = secret
        }

        enum CodingKeys: String, CodingKey { case id, url, eventTypes, enabled, disabledReason, createdAt, secret }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(id, forKey: .id)
            try container.encode(url, forKey: .url)
            try container.encode(eventTypes, forKey: .eventTypes)
            try container.encode(enabled, forKey: .enabled)
            try container.encode(disabledReason, forKey: .disabledReason)
            try container.encode(createdAt, forKey: .createdAt)
            try container.encodeIfPresent(secret, forKey: .secret)
        }
    }

    struct DeliveryBody: Encodable {
        let seq: Int64
        let eventId: String
        let type: String
        let subject: String
        let sequence: Int
        let status: String
        let attempts: Int
        let lastStatus: Int?
        let lastError: String?
        let nextAttemptAt: String?
        let deliveredAt: String?

        init(_ delivery: WebhookDelivery) {
            seq = delivery.position
            eventId = delivery.eventID
            type = delivery.type
            subject = delivery.subject
            sequence = delivery.sequence
            status = delivery.status.rawValue
            attempts = delivery.attempts
            lastStatus = delivery.lastStatus
            lastError = delivery.lastError
            nextAttemptAt = delivery.status == .pending ? Timestamp.rfc3339(delivery.nextAttemptAt) : nil
            deliveredAt = delivery.deliveredAt.map { Timestamp.rfc3339($0) }
        }

        enum CodingKeys: String, CodingKey { case seq, eventId, type, subject, sequence, status, attempts, lastStatus, lastError, nextAttemptAt, deliveredAt }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(seq, forKey: .seq)
            try container.encode(eventId, forKey: .eventId)
            try container.encode(type, forKey: .type)
            try container.encode(subject, forKey: .subject)
            try container.encode(sequence, forKey: .sequence)
            try container.encode(status, forKey: .status)
            try container.encode(attempts, forKey: .attempts)
            try container.encode(lastStatus, forKey: .lastStatus)
            try container.encode(lastError, forKey: .lastError)
            try container.encode(nextAttemptAt, forKey: .nextAttemptAt)
            try container.encode(deliveredAt, forKey: .deliveredAt)
        }
    }

    struct ItemsBody<Item: Encodable>: Encodable {
        let items: [Item]
    }

    @Sendable func create(_ request: Request, context: Context) async throws -> Response {
        let (value, _) = try await RequestBodies.json(request, context: context)
        var reader = JSONFieldReader.body(value)
        let url = reader.string("url")
        let patterns = reader.strings("eventTypes")
        var failures = reader.failures
        // Resolving the host blocks: it runs on NIO's thread pool, not on a task's thread.
        let allowPrivate = allowPrivateTargets
        let refusal: String? = if let url { try await NIOThreadPool.singleton.runIfActive { WebhookTarget.refusal(of: url, allowPrivate: allowPrivate) } } else { nil }
        if let refusal {
            failures.append(ValidationFailure(field: "url", code: "invalid_url", message: "The URL \(refusal)."))
        } else if url == nil, !failures.contains(where: { $0.field == "url" }) {
            failures.append(ValidationFailure(field: "url", code: "required", message: "url is required."))
        }
        if let patterns {
            if patterns.isEmpty || patterns.count > 50 {
                failures.append(ValidationFailure(field: "eventTypes", code: "invalid_length", message: "Give between 1 and 50 patterns."))
            }
            for (index, pattern) in patterns.enumerated() where !Self.isPattern(pattern) {
                failures.append(ValidationFailure(
                    field: "eventTypes[\(index)]", code: "invalid_pattern",
                    message: "Patterns are dot-separated words of letters, digits, _ and -, or * (one word) and # (any number)."))
            }
        } else if !failures.contains(where: { $0.field == "eventTypes" }) {
            failures.append(ValidationFailure(field: "eventTypes", code: "required", message: "eventTypes is required."))
        }
        guard failures.isEmpty, let url, let patterns else { throw ValidationError(failures) }
        let secret = WebhookSigner.makeSecret()
        let subscription = try await store.create(url: url, eventTypes: patterns, secret: secret, now: Date())
        return try JSONResponses.make(
            .created, SubscriptionBody(subscription, secret: secret),
            headers: [.location: "/admin/webhooks/\(subscription.id.uuidString.lowercased())"])
    }

    static func isPattern(_ pattern: String) -> Bool {
        let words = pattern.split(separator: ".", omittingEmptySubsequences: false)
        return !pattern.isEmpty && pattern.count <= 200 && words.allSatisfy { word in
            word == "*" || word == "#" || (!word.isEmpty && word.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-") })
        }
    }

    @Sendable func list(_ request: Request, context: Context) async throws -> Response {
        try JSONResponses.make(.ok, ItemsBody(items: try await store.subscriptions().map { SubscriptionBody($0) }))
    }

    private func subscriptionID(_ context: Context) throws -> UUID {
        guard let text = context.parameters.get("id"), let id = UUID(uuidString: text) else {
            throw HTTPProblem(.malformedRequest, "The subscription id is not a UUID.")
        }
        return id
    }

    @Sendable func get(_ request: Request, context: Context) async throws -> Response {
        guard let subscription = try await store.subscription(try subscriptionID(context)) else {
            throw HTTPProblem(.notFound, "No webhook subscription has that id.")
        }
        return try JSONResponses.make(.ok, SubscriptionBody(subscription))
    }

    @Sendable func delete(_ request: Request, context: Context) async throws -> Response {
        guard try await store.delete(try subscriptionID(context)) else {
            throw HTTPProblem(.notFound, "No webhook subscription has that id.")
        }
        return Response(status: .noContent)
    }

    @Sendable func deliveries(_ request: Request, context: Context) async throws -> Response {
        let id = try subscriptionID(context)
        guard try await store.subscription(id) != nil else { throw HTTPProblem(.notFound, "No webhook subscription has that id.") }
        let query = request.uri.queryParameters
        let status = try AdminQuery.enumeration(WebhookDelivery.Status.self, query.get("status"), field: "status")
        let limit = try AdminQuery.limit(query.get("limit"))
        return try JSONResponses.make(.ok, ItemsBody(items: try await store.deliveries(of: id, status: status, limit: limit).map(DeliveryBody.init)))
    }

    @Sendable func retry(_ request: Request, context: Context) async throws -> Response {
        guard let text = context.parameters.get("seq"), let position = Int64(text) else {
            throw HTTPProblem(.malformedRequest, "The delivery number is not a number.")
        }
        guard try await store.retry(position, now: Date()) else {
            throw HTTPProblem(.notFound, "No failed webhook delivery has that number.")
        }
        return Response(status: .noContent)
    }
}
