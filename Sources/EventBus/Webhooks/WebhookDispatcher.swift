import AsyncHTTPClient
import CoreMetrics
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import Resilience
import ServiceLifecycle
import Synchronization

/// Delivers queued webhook events: a signed POST of the CloudEvent per delivery, in order per
/// customer and subscription, retried on a schedule, with one circuit breaker per subscription.
///
/// - 2xx: delivered. 410 Gone: the subscription is disabled and the delivery fails for good.
///   Anything else, or no answer within the timeout: retried after the next delay of the schedule
///   (default 1 s, 5 s, 30 s, 2 min, 10 min, 1 h, then every 6 h) until `retryFor` (24 h) has
///   passed since the first attempt; then `failed`, with the last status and the start of the
///   answer's body, until an operator asks for a redelivery.
/// - Subscriptions are served side by side: a slow or dead endpoint holds only its own worker,
///   and once its breaker opens its deliveries wait without being attempted (no attempts spent).
/// - A delivery is claimed before it is sent (its next attempt pushed past the timeout), so that
///   several instances never send it at the same time; a crashed instance's claim expires.
public final class WebhookDispatcher: Service {
    public struct Configuration: Sendable {
        public var retrySchedule: [Duration]
        public var retryFor: Duration
        public var timeout: Duration
        public var pollInterval: Duration
        public var batchSize: Int
        public var breaker: CircuitBreaker.Options

        public init(
            retrySchedule: [Duration] = [.seconds(1), .seconds(5), .seconds(30), .seconds(120), .seconds(600), .seconds(3600), .seconds(6 * 3600)],
            retryFor: Duration = .seconds(24 * 3600), timeout: Duration = .seconds(10), pollInterval: Duration = .milliseconds(500),
            batchSize: Int = 200,
            breaker: CircuitBreaker.Options = .init(failureRatio: 0.5, samplingDuration: .seconds(60), minimumThroughput: 3, breakDuration: .seconds(30))
        ) {
            self.retrySchedule = retrySchedule
            self.retryFor = retryFor
            self.timeout = timeout
            self.pollInterval = pollInterval
            self.batchSize = max(1, batchSize)
            self.breaker = breaker
        }
    }

    let store: any WebhookStore
    let configuration: Configuration
    let logger: Logger
    let metrics: any MetricsFactory
    let isEnabled: @Sendable () -> Bool
    private let schedule: RetryStrategy
    private let breakers = Mutex<[UUID: CircuitBreaker]>([:])
    private let inFlight = Mutex<Set<UUID>>([])

    /// - Parameter isEnabled: the `webhooks` feature flag; while it is off nothing is sent.
    public init(
        store: any WebhookStore, configuration: Configuration = Configuration(), logger: Logger,
        metrics: any MetricsFactory = MetricsSystem.factory, isEnabled: @escaping @Sendable () -> Bool = { true }
    ) {
        self.store = store
        self.configuration = configuration
        self.logger = logger
        self.metrics = metrics
        self.isEnabled = isEnabled
        self.schedule = RetryStrategy(.init(maxAttempts: .max, backoff: .schedule(configuration.retrySchedule), jitter: .none, maxDelay: configuration.retryFor))
    }

    public func run() async throws {
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(redirectConfiguration: .disallow))
        await cancelWhenGracefulShutdown {
            await withDiscardingTaskGroup { group in
                while !Task.isCancelled {
                    var started = 0
                    do {
                        started = try await self.startRound(client: client, group: &group)
                    } catch is CancellationError {
                        break
                    } catch {
                        self.logger.warning("webhook round failed", metadata: ["error": "\(error)"])
                    }
                    if started == 0 { try? await Task.sleep(for: self.configuration.pollInterval) }
                    else { await Task.yield() }
                }
            }
        }
        try? await client.shutdown()
    }

    /// Starts a worker for every subscription with due deliveries and none running; returns how
    /// many started.
    func startRound(client: HTTPClient, group: inout DiscardingTaskGroup) async throws -> Int {
        guard isEnabled() else { return 0 }
        // Subscriptions being served, or paused by their breaker, are left out of the query, so
        // that their backlog never crowds out the others.
        let paused = breakers.withLock { breakers in Set(breakers.filter { $0.value.state == .open }.keys) }
        let excluded = inFlight.withLock { $0 }.union(paused)
        let due = try await store.due(now: Date(), limit: configuration.batchSize, perSubscription: 20, excluding: excluded)
        guard !due.isEmpty else { return 0 }
        let bySubscription = Dictionary(grouping: due, by: \.subscriptionID)
        var started = 0
        for (id, deliveries) in bySubscription {
            guard inFlight.withLock({ $0.insert(id).inserted }) else { continue }
            let subscription: WebhookSubscription?
            let secret: String?
            do {
                subscription = try await store.subscription(id)
                secret = try await store.secret(of: id)
            } catch {
                inFlight.withLock { _ = $0.remove(id) }
                throw error
            }
            guard let subscription, subscription.enabled, let secret else {
                inFlight.withLock { _ = $0.remove(id) }
                continue
            }
            started += 1
            group.addTask {
                defer { _ = self.inFlight.withLock { $0.remove(id) } }
                await self.deliver(deliveries, to: subscription, secret: secret, client: client)
            }
        }
        return started
    }

    private func breaker(for id: UUID) -> CircuitBreaker {
        breakers.withLock { breakers in
            if let existing = breakers[id] { return existing }
            let breaker = CircuitBreaker(
                configuration.breaker,
                telemetry: ResilienceTelemetry(pipeline: "webhook:\(id.uuidString.lowercased())", logger: logger, metrics: metrics))
            breakers[id] = breaker
            return breaker
        }
    }

    /// Sends one subscription's due deliveries (one per customer), stopping when its breaker opens.
    func deliver(_ deliveries: [WebhookDelivery], to subscription: WebhookSubscription, secret: String, client: HTTPClient) async {
        let breaker = breaker(for: subscription.id)
        for delivery in deliveries {
            do {
                try await breaker.execute { try await self.send(delivery, to: subscription, secret: secret, client: client) }
            } catch is BrokenCircuit {
                return
            } catch is CancellationError {
                return
            } catch is SubscriptionGone {
                return
            } catch {
                // Recorded in send; the breaker has counted it.
            }
        }
    }

    struct EndpointFailure: Error {}
    /// The endpoint answered 410: its subscription is disabled, the rest of the batch waits.
    struct SubscriptionGone: Error {}

    /// One attempt: claim, POST, record the outcome. Throws when the endpoint failed, so that the
    /// breaker counts it.
    func send(_ delivery: WebhookDelivery, to subscription: WebhookSubscription, secret: String, client: HTTPClient) async throws {
        let now = Date()
        let lease = now.addingTimeInterval(Self.seconds(configuration.timeout) + 30)
        guard try await store.claim(delivery.position, until: lease, now: now) else { return }
        let timestamp = Int(now.timeIntervalSince1970)
        var request = HTTPClientRequest(url: subscription.url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/cloudevents+json")
        request.headers.add(name: "User-Agent", value: "customerflow-webhooks")
        request.headers.add(name: "webhook-id", value: delivery.eventID)
        request.headers.add(name: "webhook-timestamp", value: String(timestamp))
        if let signature = WebhookSigner.signature(secret: secret, id: delivery.eventID, timestamp: timestamp, body: delivery.payload) {
            request.headers.add(name: "webhook-signature", value: signature)
        }
        request.body = .bytes(ByteBuffer(bytes: delivery.payload))
        var status: Int?
        var failure: String
        do {
            let response = try await client.execute(request, timeout: .nanoseconds(Int64(Self.nanoseconds(configuration.timeout))))
            let code = Int(response.status.code)
            if (200..<300).contains(code) {
                try await store.markDelivered(delivery.position, status: code, now: Date())
                count("delivered")
                return
            }
            // The timeout above covers the head only: the body gets a deadline of its own.
            let body = (try? await TimeoutStrategy(configuration.timeout).execute { try await response.body.collect(upTo: 64 * 1024) })
                .map { String(buffer: $0) } ?? ""
            status = code
            failure = "HTTP \(code): " + String(body.prefix(500))
            if code == 410 {
                try await store.disable(subscription.id, reason: "the endpoint answered 410 Gone")
                try await store.recordFailure(delivery.position, status: code, error: failure, retryAt: nil, now: Date())
                logger.warning("webhook subscription disabled: its endpoint answered 410", metadata: ["subscription": "\(subscription.id)"])
                count("gone")
                throw SubscriptionGone()
            }
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            status = nil
            failure = "\(error)"
        }
        try await recordFailure(delivery, status: status, error: failure)
        throw EndpointFailure()
    }

    /// - Parameter error: kept in the database for operators; logs get the status only, since an
    ///   endpoint's answer may echo the customer's data.
    private func recordFailure(_ delivery: WebhookDelivery, status: Int?, error: String) async throws {
        let now = Date()
        let attempt = delivery.attempts + 1
        let first = delivery.firstAttemptAt ?? now
        let next = now.addingTimeInterval(Self.seconds(schedule.baseDelay(afterAttempt: attempt)))
        let retryAt = next.timeIntervalSince(first) <= Self.seconds(configuration.retryFor) ? next : nil
        try await store.recordFailure(delivery.position, status: status, error: error, retryAt: retryAt, now: now)
        count(retryAt == nil ? "failed" : "retrying")
        if retryAt == nil {
            logger.error(
                "webhook delivery failed for good",
                metadata: ["subscription": "\(delivery.subscriptionID)", "event": "\(delivery.eventID)", "status": "\(status.map(String.init) ?? "no answer")"])
        }
    }

    /// `customerflow_webhook_deliveries_total{outcome}`.
    private func count(_ outcome: String) {
        Counter(label: "customerflow_webhook_deliveries_total", dimensions: [("outcome", outcome)], factory: metrics).increment()
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    static func nanoseconds(_ duration: Duration) -> Double { seconds(duration) * 1e9 }
}
