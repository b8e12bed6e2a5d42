import CoreMetrics
import Crypto
import Foundation
import Logging
import ServiceLifecycle
import Tracing

/// A consumer group's interest: which event types, and what to do with each.
public struct Subscription: Sendable {
    /// The consumer group: every instance of a group shares one queue and handles each message
    /// once between them.
    public let group: String
    /// Topic patterns over event types (`customer.*.v1`, `customer.#`).
    public let patterns: [String]
    /// Runs inside the inbox transaction: its writes commit together with the inbox row.
    public let handler: @Sendable (CloudEvent, InboxContext) async throws -> Void

    public init(group: String, patterns: [String], handler: @escaping @Sendable (CloudEvent, InboxContext) async throws -> Void) {
        self.group = group
        self.patterns = patterns
        self.handler = handler
    }
}

/// Runs subscriptions: takes deliveries from the transport, handles each exactly once per group
/// through the inbox, and acknowledges only after the inbox transaction committed.
///
/// A handler that throws is retried with backoff; when attempts run out the message is stored as
/// `failed` (with its payload) and acknowledged, so it neither loops nor blocks the queue. A
/// message that is not a CloudEvent is stored as `failed` at once. Operators retry failed messages
/// (`POST /admin/inbox/{id}/retry`); the consumer picks those up.
public final class EventConsumer: Service {
    public struct Configuration: Sendable {
        public var prefetch: Int
        public var handlerRetry: RetryPolicy
        public var retryPollInterval: Duration

        public init(
            prefetch: Int = 20,
            handlerRetry: RetryPolicy = RetryPolicy(quickRetries: 3, quickDelay: .milliseconds(200), maxAttempts: 5, baseDelay: .seconds(1), maxDelay: .seconds(10)),
            retryPollInterval: Duration = .seconds(1)
        ) {
            self.prefetch = max(1, prefetch)
            self.handlerRetry = handlerRetry
            self.retryPollInterval = retryPollInterval
        }
    }

    let transport: any Transport
    let inbox: any InboxStore
    let subscriptions: [Subscription]
    let configuration: Configuration
    let logger: Logger
    let metrics: any MetricsFactory

    public init(
        transport: any Transport, inbox: any InboxStore, subscriptions: [Subscription], configuration: Configuration = Configuration(),
        logger: Logger, metrics: any MetricsFactory = MetricsSystem.factory
    ) {
        self.metrics = metrics
        self.transport = transport
        self.inbox = inbox
        self.subscriptions = subscriptions
        self.configuration = configuration
        self.logger = logger
    }

    /// Runs until shutdown; with no subscriptions it just waits (a service that returned would
    /// end its service group).
    public func run() async throws {
        guard !subscriptions.isEmpty else {
            await cancelWhenGracefulShutdown {
                while !Task.isCancelled { try? await Task.sleep(for: .seconds(3600)) }
            }
            return
        }
        // On graceful shutdown the current message is finished first: a cancelled consumer stops
        // between deliveries (the transports check for cancellation only while waiting).
        await cancelWhenGracefulShutdown {
            await withTaskGroup(of: Void.self) { group in
                for subscription in self.subscriptions {
                    group.addTask { await self.consumeForever(subscription) }
                }
                group.addTask { await self.retryForever() }
            }
        }
    }

    private func consumeForever(_ subscription: Subscription) async {
        var backoff = ReconnectBackoff()
        while !Task.isCancelled {
            let delivered = StopFlag()
            do {
                try await transport.consume(group: subscription.group, bindings: subscription.patterns, prefetch: configuration.prefetch) { delivery in
                    delivered.set()
                    try await self.handle(delivery, for: subscription)
                }
            } catch is CancellationError {
                return
            } catch {
                if delivered.isSet { backoff.reset() }
                let wait = backoff.next()
                logger.warning("consumer stopped; reconnecting", metadata: ["group": "\(subscription.group)", "error": "\(error)", "wait": "\(wait)"])
                await ReconnectBackoff.wait(wait) { [transport] in
                    guard await transport.isReachable() else { return false }
                    return (try? await transport.checkConnection()) != nil
                }
            }
        }
    }

    /// Handles one delivery and acknowledges it. Throws only when even the failure could not be
    /// stored (the database is down): the delivery then stays unacknowledged for redelivery.
    func handle(_ delivery: Delivery, for subscription: Subscription) async throws {
        let span = MessageTracing.startProcess(delivery, group: subscription.group, system: transport.messagingSystem)
        defer { span.end() }
        do {
            try await InstrumentationContext.$current.withValue(span.context) {
                try await TraceRecording.$isOff.withValue(!span.isRecording) {
                    try await self.handleInSpan(delivery, for: subscription)
                }
            }
        } catch {
            span.attributes["error.type"] = String(describing: type(of: error))
            span.setStatus(SpanStatus(code: .error))
            throw error
        }
    }

    private func handleInSpan(_ delivery: Delivery, for subscription: Subscription) async throws {
        let event: CloudEvent
        do {
            event = try CloudEvent.parse(delivery.body)
        } catch {
            let message = InboxMessage(
                id: delivery.headers["ce-id"] ?? "sha256:" + Self.digest(delivery.body),
                type: delivery.routingKey, subject: delivery.headers["ce-subject"], payload: delivery.body)
            try await inbox.recordFailure(message, group: subscription.group, error: "unreadable message: \(error)", attempts: 1, now: Date())
            count("failed", group: subscription.group)
            logger.error("poison message stored as failed", metadata: ["group": "\(subscription.group)", "id": "\(message.id)"])
            await delivery.ack()
            return
        }
        let message = InboxMessage(id: event.id, type: event.type, subject: event.subject, payload: delivery.body)
        try await run(message, event: event, subscription: subscription, previousAttempts: 0)
        await delivery.ack()
    }

    /// Runs the handler through the inbox with retries; stores the failure after the last attempt.
    private func run(_ message: InboxMessage, event: CloudEvent, subscription: Subscription, previousAttempts: Int) async throws {
        var attempt = previousAttempts
        while true {
            attempt += 1
            do {
                let outcome = try await inbox.process(message, group: subscription.group, now: Date()) { context in
                    try await subscription.handler(event, context)
                }
                count(outcome == .processed ? "processed" : "duplicate", group: subscription.group)
                return
            } catch is CancellationError {
                throw CancellationError()
            } catch {
                if let delay = configuration.handlerRetry.delay(afterAttempt: attempt - previousAttempts) {
                    logger.debug("handler failed; retrying", metadata: ["group": "\(subscription.group)", "id": "\(message.id)", "error": "\(error)"])
                    try await Task.sleep(for: delay)
                    continue
                }
                try await inbox.recordFailure(message, group: subscription.group, error: "\(error)", attempts: attempt, now: Date())
                count("failed", group: subscription.group)
                logger.error("message failed after its last attempt", metadata: ["group": "\(subscription.group)", "id": "\(message.id)", "error": "\(error)"])
                return
            }
        }
    }

    private func retryForever() async {
        let byGroup = Dictionary(subscriptions.map { ($0.group, $0) }, uniquingKeysWith: { first, _ in first })
        while !Task.isCancelled {
            do {
                let retries = try await inbox.takeRetries(groups: Array(byGroup.keys), limit: 50)
                for retry in retries {
                    guard let subscription = byGroup[retry.group] else { continue }
                    guard let event = try? CloudEvent.parse(retry.message.payload) else {
                        try await inbox.recordFailure(retry.message, group: retry.group, error: "unreadable message", attempts: retry.attempts + 1, now: Date())
                        count("failed", group: retry.group)
                        continue
                    }
                    try await run(retry.message, event: event, subscription: subscription, previousAttempts: retry.attempts)
                }
                if retries.isEmpty { try await Task.sleep(for: configuration.retryPollInterval) }
            } catch is CancellationError {
                return
            } catch {
                logger.warning("inbox retries failed", metadata: ["error": "\(error)"])
                try? await Task.sleep(for: configuration.retryPollInterval)
            }
        }
    }

    /// `customerflow_inbox_messages_total{group, outcome}`: processed, duplicate or failed.
    private func count(_ outcome: String, group: String) {
        Counter(label: "customerflow_inbox_messages_total", dimensions: [("group", group), ("outcome", outcome)], factory: metrics).increment()
    }

    static func digest(_ data: Data) -> String {
        SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
    }
}
