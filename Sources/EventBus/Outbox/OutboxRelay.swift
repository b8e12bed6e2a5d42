import Foundation
import Logging
import ServiceLifecycle

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

    public init(
        id: String = OutboxRelay.makeID(),
        store: any OutboxStore,
        transport: any Transport,
        configuration: Configuration = Configuration(),
        signal: RelaySignal = RelaySignal(),
        logger: Logger
    ) {
        self.id = id
        self.store = store
        self.transport = transport
        self.configuration = configuration
        self.signal = signal
        self.logger = logger
    }

    /// `host-pid-random`: tells operators which instance holds a claim.
    public static func makeID() -> String {
        "\(ProcessInfo.processInfo.hostName)-\(ProcessInfo.processInfo.processIdentifier)-\(UInt32.random(in: 0...UInt32.max))"
    }

    public func run() async throws {
        let stopping = StopFlag()
        var backoff = ReconnectBackoff()
        await withGracefulShutdownHandler {
            while !stopping.isSet && !Task.isCancelled {
                do {
                    let round = try await runRound()
                    backoff.reset()
                    if round.claimed >= configuration.batchSize { continue }
                } catch is TransportUnavailable {
                    let wait = backoff.next()
                    logger.warning("transport unavailable; waiting", metadata: ["wait": "\(wait)"])
                    try? await Task.sleep(for: wait)
                    continue
                } catch is CancellationError {
                    break
                } catch {
                    let wait = backoff.next()
                    logger.error("relay round failed", metadata: ["error": "\(error)", "wait": "\(wait)"])
                    try? await Task.sleep(for: wait)
                    continue
                }
                if stopping.isSet { break }
                await signal.wait(timeout: configuration.pollInterval)
            }
        } onGracefulShutdown: {
            // The round in flight finishes (confirms included); no new round starts.
            stopping.set()
            self.signal.notify()
        }
    }

    /// Claims, publishes and settles one batch. Throws ``TransportUnavailable`` (after giving the
    /// batch's claims back) when the transport is down.
    @discardableResult
    public func runRound(now: Date = Date()) async throws -> Round {
        var round = Round()
        let leaseUntil = now.addingTimeInterval(Self.seconds(configuration.lease))
        let claimed = try await store.claim(relay: id, limit: configuration.batchSize, now: now, leaseUntil: leaseUntil)
        round.claimed = claimed.count
        guard !claimed.isEmpty else { return round }

        // Keep, per subject, only the events whose every unpublished predecessor is ours too.
        let unpublished = try await store.unpublishedSequences(of: Set(claimed.map(\.subject)))
        let (publishable, blocked) = Self.contiguousPrefixes(of: claimed, unpublished: unpublished)
        var toRelease = blocked.map(\.position)

        var waves = Self.waves(of: publishable)
        var stoppedSubjects: Set<String> = []
        var published: [Int64] = []
        var failures: [OutboxFailure] = []
        while !waves.isEmpty {
            let wave = waves.removeFirst().filter { record in
                if stoppedSubjects.contains(record.subject) {
                    toRelease.append(record.position)
                    return false
                }
                return true
            }
            guard !wave.isEmpty else { continue }
            let results: [PublishResult]
            do {
                results = try await transport.publish(wave.map(Self.message(for:)))
            } catch {
                // Settle what was confirmed; everything else goes back without an attempt.
                try await settle(published: published, failures: failures, now: now)
                let unsettled = wave.map(\.position) + waves.flatMap { $0.map(\.position) } + toRelease
                try await store.release(unsettled, relay: id)
                if error is TransportUnavailable || error is CancellationError { throw error }
                throw TransportUnavailable("\(error)")
            }
            for (record, result) in zip(wave, results) {
                switch result {
                case .confirmed:
                    published.append(record.position)
                case .rejected(let reason):
                    stoppedSubjects.insert(record.subject)
                    let attempt = record.attempts + 1
                    let delay = configuration.retry.delay(afterAttempt: attempt)
                    failures.append(
                        OutboxFailure(position: record.position, error: reason, retryAt: delay.map { now.addingTimeInterval(Self.seconds($0)) }))
                    if delay == nil {
                        logger.error("event failed after its last attempt", metadata: ["event": "\(record.id)", "type": "\(record.type)", "error": "\(reason)"])
                    }
                }
            }
        }
        try await settle(published: published, failures: failures, now: now)
        if !toRelease.isEmpty { try await store.release(toRelease, relay: id) }
        round.released = toRelease.count
        round.published = published.count
        round.failed = failures.count
        return round
    }

    private func settle(published: [Int64], failures: [OutboxFailure], now: Date) async throws {
        if !published.isEmpty { try await store.markPublished(published, relay: id, at: Date()) }
        if !failures.isEmpty { try await store.recordFailures(failures, relay: id, at: now) }
    }

    /// Splits claimed records into those that may go out now and those behind an unpublished
    /// event this relay does not hold.
    static func contiguousPrefixes(of claimed: [OutboxRecord], unpublished: [String: [Int]]) -> (publishable: [OutboxRecord], blocked: [OutboxRecord]) {
        var publishable: [OutboxRecord] = []
        var blocked: [OutboxRecord] = []
        for (subject, records) in Dictionary(grouping: claimed, by: \.subject) {
            let mine = Set(records.map(\.sequence))
            let pendingSequences = (unpublished[subject] ?? []).sorted()
            var allowed: Set<Int> = []
            for sequence in pendingSequences {
                guard mine.contains(sequence) else { break }
                allowed.insert(sequence)
            }
            for record in records {
                if allowed.contains(record.sequence) { publishable.append(record) } else { blocked.append(record) }
            }
        }
        return (publishable.sorted { $0.position < $1.position }, blocked)
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
