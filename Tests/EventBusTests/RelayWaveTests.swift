import EventBus
import Foundation
import Synchronization
import TestSupport
import SQLKit
import Testing

@testable import EventBus
@testable import Persistence

/// The relay's ordering logic, on a real database, with a transport that refuses chosen events.
@Suite("Relay ordering within a batch")
struct RelayWaveTests {
    final class SelectiveTransport: Transport {
        let refused: Set<Int>
        let published = Mutex<[(subject: String, version: Int)]>([])

        init(refusingVersions refused: Set<Int>) {
            self.refused = refused
        }

        func publish(_ messages: [OutboundMessage]) async throws -> [PublishResult] {
            messages.map { message in
                let data = ((try? JSONSerialization.jsonObject(with: message.body)) as? [String: Any])?["data"] as? [String: Any]
                let version = data?["version"] as? Int ?? -1
                if refused.contains(version) { return .rejected("refused version \(version)") }
                published.withLock { $0.append((message.headers["ce-subject"] ?? "", version)) }
                return .confirmed
            }
        }

        func consume(group: String, bindings: [String], prefetch: Int, handler: @escaping @Sendable (Delivery) async throws -> Void) async throws {}
        func shutdown() async {}
    }

    func record(_ position: Int64, _ subject: String, _ sequence: Int) -> OutboxRecord {
        OutboxRecord(position: position, id: "\(position)", subject: subject, sequence: sequence, type: "t", payload: Data(), attempts: 0)
    }

    @Test("waves hold the first event of every subject, then the second, in table order")
    func waves() {
        let records = [record(1, "a", 1), record(2, "a", 2), record(3, "b", 1), record(4, "a", 3), record(5, "b", 2)]
        #expect(OutboxRelay.waves(of: records).map { $0.map(\.position) } == [[1, 3], [2, 5], [4]])
    }

    @Test("a claimed event behind an unpublished event held elsewhere is kept back")
    func contiguity() {
        let claimed = [record(1, "a", 2), record(2, "a", 3), record(3, "b", 1), record(4, "c", 5), record(5, "d", 3), record(6, "d", 5)]
        // "a" has version 1 unpublished elsewhere; "d" has version 4 elsewhere, between its 3 and 5.
        let (publishable, blocked) = OutboxRelay.contiguousPrefixes(of: claimed, blockedFrom: ["a": 1, "d": 4])
        #expect(publishable.map(\.position) == [3, 4, 5])
        #expect(Set(blocked.map(\.position)) == [1, 2, 6])
    }

    @Test("the claim reports an unpublished predecessor held by another relay", arguments: TestDatabase.all)
    func claimReportsForeignPredecessors(database: TestDatabase) async throws {
        try await EventBusHarness.with(EventBusSetup(database: database, broker: .memory)) { harness in
            let customer = try await harness.writeEvents(customers: 1, changes: 2)[0]
            let lease = Date().addingTimeInterval(30)
            // Another relay holds version 2 only (as a claim racing with ours could leave it).
            let positions = try await harness.outbox.entries(status: .pending, type: nil, limit: 10, before: nil).sorted { $0.sequence < $1.sequence }
            try await harness.client.withConnection { database in
                try await database.raw(
                    "UPDATE \(ident: harness.names.outbox) SET claimed_by = 'other', claimed_until = \(bind: DatabaseTimestamp(lease)) WHERE seq = \(bind: positions[1].position)"
                ).run()
            }
            let claim = try await harness.outbox.claim(relay: "me", limit: 10, now: Date(), leaseUntil: lease, excluding: [])
            #expect(claim.records.map(\.sequence).sorted() == [1, 3])
            #expect(claim.blockedFrom == [customer.description: 2])
        }
    }

    @Test("when an event is refused, its customer's later events in the same batch are not published", arguments: TestDatabase.all)
    func refusedEventStopsItsSubject(database: TestDatabase) async throws {
        try await EventBusHarness.with(EventBusSetup(database: database, broker: .memory)) { harness in
            let customers = try await harness.writeEvents(customers: 3, changes: 3)
            let transport = SelectiveTransport(refusingVersions: [2])
            let relay = OutboxRelay(store: harness.outbox, transport: transport, signal: harness.signal, logger: .quiet)
            let round = try await relay.runRound()
            #expect(round.claimed == 12)
            #expect(round.failed == 3)
            #expect(round.published == 3)
            #expect(round.released == 6)
            let published = transport.published.withLock { $0 }
            for customer in customers {
                #expect(published.filter { $0.subject == customer.description }.map(\.version) == [1])
            }
            let entries = try await harness.outbox.entries(status: .pending, type: nil, limit: 50, before: nil)
            #expect(entries.filter { $0.attempts == 1 }.count == 3, "the refused events count one attempt")
            #expect(entries.filter { $0.attempts == 0 }.count == 6, "the held-back events count none")
        }
    }
}
