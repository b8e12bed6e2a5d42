import CoreMetrics
import Foundation
import Logging
import ServiceLifecycle
import Tracing

/// Moves outbox rows to the transport: claim a batch, publish it, mark it published.
///
/// Guarantees:
/// - **Order per subject.** An event is never published while an earlier event of the same subject
///   is unpublished: claims skip subjects blocked elsewhere, a claimed batch is checked against the
///   table and trimmed to each subject's next events, and a batch goes out in waves (the first
///   event of every subject, confirmed, then the second, …) so that one rejected event never has a
///   later event of its subject published behind it.
/// - **At least once.** A row is marked published only after the transport confirmed it; a relay
///   that dies mid-batch leaves claims that expire after the lease and are taken over.
/// - **No silent drops.** A rejected message is retried by ``RetryPolicy`` and then becomes
///   `failed`, visible to operators and blocking its subject until retried. A transport that is
///   down costs no attempt: the relay gives its claims back and waits, with capped backoff.
public final class OutboxRelay: Service {
    public struct Configuration: Sendable {
        public var batchSize: Int
        public var pollInterval: Duration
        public var lease: Duration
        public var retry: RetryPolicy

        public init(batchSize: Int = 500, pollInterval: Duration = .seconds(1), lease: Duration = .seconds(30), retry: RetryPolicy = RetryPolicy()) {
            self.batchSize = max(1, batchSize)
            self.pollInterval = pollInterval
            self.lease = lease
            self.retry = retry
        }
    }

    /// What one round did.
    public struct Round: Hashable, Sendable {
        public var claimed = 0
        public var published = 0
        public var failed = 0
        public var released = 0
        public init() {}
    }

    public let id: String
    let store: any OutboxStore
    let transport: any Transport
    let configuration: Configuration
    let signal: RelaySignal
    let logger: Logger
    let metrics: RelayMetrics

    public init(
        id: String = OutboxRelay.makeID(),
        store: any OutboxStore,
        transport: any Transport,
        configuration: Configuration = Configuration(),
        signal: RelaySignal = RelaySignal(),
        logger: Logger,
        metrics: any MetricsFactory = MetricsSystem.factory
    ) {
        self.id = id
        self.store = store
        self.transport = transport
        self.configuration = configuration
        self.signal = signal
        self.logger = logger
        self.metrics = RelayMetrics(factory: metrics)
    }

    /// `host-pid-random`: tells operators which instance holds a claim.
    public static func makeID() -> String {
        "\(ProcessInfo.processInfo.hostName)-\(ProcessInfo.processInfo.processIdentifier)-\(UInt32.random(in: 0...UInt32.max))"
    }

    /// Relays until shutdown.
    ///
    /// Rounds overlap as a pipeline: a batch's outcome is written while the next batch is claimed
    /// and published, and when a batch is full the next is claimed while it is being published.
    /// A claim leaves out the subjects in flight or not yet settled, whose next events must wait.
    /// When a claim finds nothing, the relay waits for a commit signal or the poll interval.
    ///
    /// The loop runs at high priority: in a process that also serves writes, its rounds should not
    /// queue behind request handlers for a thread, or every event waits longer.
    public func run() async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask(priority: .high) { await self.relayUntilShutdown() }
            try await group.waitForAll()
        }
    }

    private func relayUntilShutdown() async {
        let stopping = StopFlag()
        var backoff = ReconnectBackoff()
        await withGracefulShutdownHandler {
            var prefetched: Task<OutboxClaim, any Error>?
            var settling: Task<Void, any Error>?
            // Subjects of the batch whose outcome is still being written: their next events wait.
            var unsettled: Set<String> = []
            while !stopping.isSet && !Task.isCancelled {
                do {
                    let claim = try await (prefetched ?? self.claimTask(excluding: unsettled)).value
                    prefetched = nil
                    guard !claim.records.isEmpty else {
                        try await settling?.value
                        settling = nil
                        unsettled = []
                        backoff.reset()
                        await signal.wait(timeout: configuration.pollInterval)
                        continue
                    }
                    let inFlight = Set(claim.records.map(\.subject))
                    if claim.records.count >= configuration.batchSize && !stopping.isSet {
                        prefetched = self.claimTask(excluding: inFlight.union(unsettled))
                    }
                    let outcome = try await publish(claim, now: Date())
                    try await settling?.value
                    settling = Task { try await self.settle(outcome) }
                    unsettled = inFlight
                    backoff.reset()
                } catch {
                    try? await settling?.value
                    settling = nil
                    unsettled = []
                    if let claim = try? await prefetched?.value {
                        try? await store.release(claim.records.map(\.position), relay: id)
                    }
                    prefetched = nil
                    if error is CancellationError || Task.isCancelled { break }
                    let wait = backoff.next()
                    if error is TransportUnavailable {
                        logger.warning("transport unavailable; waiting", metadata: ["error": "\(error)", "wait": "\(wait)"])
                        // Back at once when the broker is: a backoff that reached its cap during a long
                        // outage would otherwise hold every event up to 30 s after the broker returned.
                        await ReconnectBackoff.wait(wait) { [transport] in
                            if stopping.isSet { return true }
                            // A bare connect first (cheap, off the publisher's queue), then what a
                            // publish needs: a broker that takes TCP but refuses the login stays backed off.
                            guard await transport.isReachable() else { return false }
                            return (try? await transport.checkConnection()) != nil
                        }
                    } else {
                        logger.error("relay round failed", metadata: ["error": "\(error)", "wait": "\(wait)"])
                        await ReconnectBackoff.wait(wait) { stopping.isSet }
                    }
                }
            }
            // Shutdown: the batch in flight was published and settled above; give back what was
            // claimed in advance.
            try? await settling?.value
            if let claim = try? await prefetched?.value {
                try? await store.release(claim.records.map(\.position), relay: id)
            }
        } onGracefulShutdown: {
            stopping.set()
            self.signal.notify()
        }
    }

    /// Claims, publishes and settles one batch. Throws ``TransportUnavailable`` (after giving the
    /// batch's claims back) when the transport is down.
    @discardableResult
    public func runRound(now: Date = Date()) async throws -> Round {
        let claim = try await store.claim(
            relay: id, limit: configuration.batchSize, now: now, leaseUntil: now.addingTimeInterval(Self.seconds(configuration.lease)),
            excluding: [])
        guard !claim.records.isEmpty else { return Round() }
        let outcome = try await publish(claim, now: now)
        try await settle(outcome)
        return outcome.round
    }

    /// Claims the next batch, leaving out the subjects of the batch in flight (their next events
    /// must wait for it).
    private func claimTask(excluding inFlight: Set<String> = []) -> Task<OutboxClaim, any Error> {
        let now = Date()
        let leaseUntil = now.addingTimeInterval(Self.seconds(configuration.lease))
        return Task {
            let started = ContinuousClock.now
            let claim = try await store.claim(relay: id, limit: configuration.batchSize, now: now, leaseUntil: leaseUntil, excluding: inFlight)
            logger.debug("relay claimed", metadata: ["claimed": "\(claim.records.count)", "claim": "\(ContinuousClock.now - started)"])
            return claim
        }
    }

    /// What publishing a batch came to, to be written back.
    struct Outcome: Sendable {
        var round = Round()
        var published: [Int64] = []
        var failures: [OutboxFailure] = []
        var release: [Int64] = []
        var publishedAt = Date()
    }

    /// Publishes a claimed batch in waves and works out what to write back. When the transport
    /// fails, it settles what was confirmed, gives the rest back, and rethrows.
    func publish(_ claim: OutboxClaim, now: Date) async throws -> Outcome {
        let clock = ContinuousClock()
        let started = clock.now
        var outcome = Outcome()
        outcome.round.claimed = claim.records.count
        // Keep, per subject, only the events whose every unpublished predecessor is ours too.
        let (publishable, blocked) = Self.contiguousPrefixes(of: claim.records, blockedFrom: claim.blockedFrom)
        outcome.release = blocked.map(\.position)
        var waves = Self.waves(of: publishable)
        let waveCount = waves.count
        var stoppedSubjects: Set<String> = []
        while !waves.isEmpty {
            let wave = waves.removeFirst().filter { record in
                if stoppedSubjects.contains(record.subject) {
                    outcome.release.append(record.position)
                    return false
                }
                return true
            }
            guard !wave.isEmpty else { continue }
            // A producer span per event, continuing the trace stored with its row.
            var messages = wave.map(Self.message(for:))
            let system = transport.messagingSystem
            let spans = wave.indices.map { MessageTracing.startPublish(&messages[$0], subject: wave[$0].subject, system: system) }
            let results: [PublishResult]
            do {
                results = try await transport.publish(messages)
            } catch {
                for span in spans {
                    span.attributes["error.type"] = String(describing: type(of: error))
                    span.setStatus(SpanStatus(code: .error))
                    span.end()
                }
                var partial = outcome
                partial.release += wave.map(\.position) + waves.flatMap { $0.map(\.position) }
                try await settle(partial)
                if error is TransportUnavailable || error is CancellationError { throw error }
                throw TransportUnavailable("\(error)")
            }
            for (index, (record, result)) in zip(wave, results).enumerated() {
                defer { spans[index].end() }
                switch result {
                case .confirmed:
                    outcome.published.append(record.position)
                case .rejected(let reason):
                    spans[index].attributes["error.type"] = "rejected"
                    spans[index].setStatus(SpanStatus(code: .error, message: reason))
                    stoppedSubjects.insert(record.subject)
                    let attempt = record.attempts + 1
                    let delay = configuration.retry.delay(afterAttempt: attempt)
                    outcome.failures.append(
                        OutboxFailure(position: record.position, error: reason, retryAt: delay.map { now.addingTimeInterval(Self.seconds($0)) }))
                    if delay == nil {
                        logger.error("event failed after its last attempt", metadata: ["event": "\(record.id)", "type": "\(record.type)", "error": "\(reason)"])
                    }
                }
            }
            for span in spans.dropFirst(results.count) { span.end() }
        }
        outcome.publishedAt = Date()
        metrics.batchDuration.recordNanoseconds(Self.nanoseconds(clock.now - started))
        outcome.round.published = outcome.published.count
        outcome.round.failed = outcome.failures.count
        outcome.round.released = outcome.release.count
        logger.debug(
            "relay batch published",
            metadata: ["claimed": "\(claim.records.count)", "waves": "\(waveCount)", "publish": "\(clock.now - started)"]
        )
        return outcome
    }

    /// Writes a batch's outcome: published rows, failed attempts, claims given back.
    func settle(_ outcome: Outcome) async throws {
        if !outcome.published.isEmpty {
            let marked = try await store.markPublished(outcome.published, relay: id, at: outcome.publishedAt)
            metrics.published.increment(by: marked)
        }
        if !outcome.failures.isEmpty {
            try await store.recordFailures(outcome.failures, relay: id, at: outcome.publishedAt)
            metrics.attemptsFailed.increment(by: outcome.failures.count)
            metrics.failed.increment(by: outcome.failures.filter { $0.retryAt == nil }.count)
        }
        if !outcome.release.isEmpty { try await store.release(outcome.release, relay: id) }
    }

    /// Splits claimed records into those that may go out now and those behind an unpublished
    /// event this relay does not hold.
    static func contiguousPrefixes(of claimed: [OutboxRecord], blockedFrom: [String: Int]) -> (publishable: [OutboxRecord], blocked: [OutboxRecord]) {
        var publishable: [OutboxRecord] = []
        var blocked: [OutboxRecord] = []
        for record in claimed {
            if let barrier = blockedFrom[record.subject], record.sequence > barrier {
                blocked.append(record)
            } else {
                publishable.append(record)
            }
        }
        return (publishable, blocked)
    }

    /// Wave `i` holds the `i`-th event of every subject, in table order.
    static func waves(of records: [OutboxRecord]) -> [[OutboxRecord]] {
        var waves: [[OutboxRecord]] = []
        var seen: [String: Int] = [:]
        for record in records.sorted(by: { $0.position < $1.position }) {
            let index = seen[record.subject, default: 0]
            seen[record.subject] = index + 1
            if waves.count <= index { waves.append([]) }
            waves[index].append(record)
        }
        return waves
    }

    static func message(for record: OutboxRecord) -> OutboundMessage {
        var headers = record.headers
        headers["ce-specversion"] = CloudEvent.specVersion
        headers["ce-id"] = record.id
        headers["ce-type"] = record.type
        headers["ce-subject"] = record.subject
        return OutboundMessage(id: record.id, routingKey: record.type, body: record.payload, headers: headers)
    }

    static func seconds(_ duration: Duration) -> TimeInterval {
        let (seconds, attoseconds) = duration.components
        return TimeInterval(seconds) + TimeInterval(attoseconds) / 1e18
    }
}

/// A flag set once from any thread.
final class StopFlag: Sendable {
    private let value = Synchronization.Atomic<Bool>(false)
    var isSet: Bool { value.load(ordering: .acquiring) }
    func set() { value.store(true, ordering: .releasing) }
}

import Synchronization

extension OutboxRelay {
    static func nanoseconds(_ duration: Duration) -> Int64 {
        duration.components.seconds * 1_000_000_000 + duration.components.attoseconds / 1_000_000_000
    }
}

/// The relay's own metrics: events confirmed and failed for good, refused attempts, batch time.
struct RelayMetrics: Sendable {
    let published: Counter
    let failed: Counter
    let attemptsFailed: Counter
    let batchDuration: CoreMetrics.Timer

    init(factory: any MetricsFactory) {
        published = Counter(label: "customerflow_outbox_published_total", factory: factory)
        failed = Counter(label: "customerflow_outbox_failed_total", factory: factory)
        attemptsFailed = Counter(label: "customerflow_outbox_publish_attempts_failed_total", factory: factory)
        batchDuration = CoreMetrics.Timer(label: "customerflow_relay_batch_duration_seconds", factory: factory)
    }
}
