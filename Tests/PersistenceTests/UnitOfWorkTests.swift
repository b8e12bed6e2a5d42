import CustomerApplication
import CustomerDomain
import Foundation
import Mediator
import Persistence
import SQLKit
import TestSupport
import Testing

@Suite("Unit of work on a real database")
struct UnitOfWorkTests {
    private func rows(_ table: String, _ client: any DatabaseClient) async throws -> Int {
        try await client.withConnection { db in
            try await db.raw("SELECT COUNT(*) AS n FROM \(ident: table)").first()?.decode(column: "n", as: Int.self) ?? -1
        }
    }

    private func payloads(_ table: String, column: String, _ client: any DatabaseClient) async throws -> [String] {
        try await client.withConnection { db in
            try await db.raw("SELECT \(unsafeRaw: column) AS payload FROM \(ident: table)").all().map {
                try $0.decode(column: "payload", as: String.self)
            }
        }
    }

    @Test("each write commits its state, one history row per event and one outbox row per integration event", arguments: TestDatabase.all)
    func writesHistoryAndOutboxWithState(database: TestDatabase) async throws {
        try await database.withMigratedDatabase { client, names async throws in
            let mediator = try makeTestMediator(client: client, names: names)
            let customer = try await mediator.send(Samples.register())
            _ = try await mediator.send(ChangeCustomerEmailCommand(id: customer.id, email: "new@example.com"))
            _ = try await mediator.send(DeactivateCustomerCommand(id: customer.id, reason: "asked to pause"))
            #expect(try await rows(names.history, client) == 3)
            #expect(try await rows(names.outbox, client) == 3)

            let events = try await payloads(names.outbox, column: "payload", client)
            let decoded = try events.map { try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] ?? [:] }
            #expect(decoded.map { $0["type"] as? String } == ["customer.registered.v1", "customer.email_changed.v1", "customer.deactivated.v1"])
            #expect(decoded.allSatisfy { $0["specversion"] as? String == "1.0" && $0["subject"] as? String == customer.id.description })
            let data = decoded.map { $0["data"] as? [String: Any] ?? [:] }
            #expect(data.map { $0["version"] as? Int } == [1, 2, 3])
            #expect(data.allSatisfy { $0["customerId"] as? String == customer.id.description })
        }
    }

    @Test("a domain event handler failing after the state write leaves nothing of the command", arguments: TestDatabase.all)
    func failingEventHandlerRollsBackEverything(database: TestDatabase) async throws {
        struct HandlerFailure: Error {}
        struct FailingHandler: NotificationHandler {
            func handle(_ notification: CustomerEventNotification, context: MediatorContext) async throws {
                throw HandlerFailure()
            }
        }
        try await database.withMigratedDatabase { client, names async throws in
            let mediator = try makeTestMediator(client: client, names: names) { builder in
                builder.register(notificationHandler: FailingHandler())
            }
            await #expect(throws: HandlerFailure.self) { try await mediator.send(Samples.register()) }
            #expect(try await rows(names.customers, client) == 0)
            #expect(try await rows(names.addresses, client) == 0)
            #expect(try await rows(names.history, client) == 0)
            #expect(try await rows(names.outbox, client) == 0)
        }
    }

    @Test("erasure removes personal data from the row, the history and the outbox in one transaction", arguments: TestDatabase.all)
    func erasureRedactsEverywhere(database: TestDatabase) async throws {
        try await database.withMigratedDatabase { client, names async throws in
            let mediator = try makeTestMediator(client: client, names: names)
            let customer = try await mediator.send(
                Samples.register(name: "Zélia Quintas", email: "zelia@example.com", document: DocumentInput(type: "cpf", number: Samples.cpf)))
            _ = try await mediator.send(DeactivateCustomerCommand(id: customer.id, reason: "Zélia asked"))
            _ = try await mediator.send(EraseCustomerCommand(id: customer.id))
            let stored = try await payloads(names.history, column: "data", client) + payloads(names.outbox, column: "payload", client)
            #expect(stored.count == 6)
            for text in stored {
                for secret in ["Zélia", "zelia", "52998224725", "Paulista", "01310", "98765", "1990-05-17", "asked"] {
                    #expect(!text.contains(secret), "\(secret) survived erasure in \(text)")
                }
            }
            let history = try await mediator.send(GetCustomerHistoryQuery(id: customer.id))
            #expect(history.map(\.type) == ["customer.registered", "customer.deactivated", "customer.erased"])
        }
    }

    @Test("20 concurrent registrations with one e-mail: exactly one succeeds, the others find it taken", arguments: TestDatabase.all)
    func concurrentRegistrationsWithSameEmail(database: TestDatabase) async throws {
        try await database.withMigratedDatabase(file: true) { client, names async throws in
            let mediator = try makeTestMediator(client: client, names: names)
            let outcomes = try await withThrowingTaskGroup(of: String.self) { group in
                for index in 0..<20 {
                    group.addTask {
                        do {
                            _ = try await mediator.send(Samples.register(name: "Racer \(index)", email: "race@example.com"))
                            return "created"
                        } catch let error as ApplicationError {
                            return error.code.rawValue
                        }
                    }
                }
                return try await group.reduce(into: [String]()) { $0.append($1) }
            }
            #expect(outcomes.filter { $0 == "created" }.count == 1)
            #expect(outcomes.filter { $0 == "email_taken" }.count == 19)
            #expect(try await rows(names.customers, client) == 1)
        }
    }

    @Test("20 concurrent changes expecting one version: exactly one succeeds, the others fail their precondition", arguments: TestDatabase.all)
    func concurrentConditionalChanges(database: TestDatabase) async throws {
        try await database.withMigratedDatabase(file: true) { client, names async throws in
            let mediator = try makeTestMediator(client: client, names: names)
            let customer = try await mediator.send(Samples.register())
            let outcomes = try await withThrowingTaskGroup(of: String.self) { group in
                for index in 0..<20 {
                    group.addTask {
                        do {
                            _ = try await mediator.send(
                                UpdateCustomerProfileCommand(id: customer.id, name: .set("Name \(index)"), expectedVersion: 1))
                            return "ok"
                        } catch let error as ApplicationError {
                            return error.code.rawValue
                        }
                    }
                }
                return try await group.reduce(into: [String]()) { $0.append($1) }
            }
            #expect(outcomes.filter { $0 == "ok" }.count == 1)
            #expect(outcomes.filter { $0 == "precondition_failed" }.count == 19)
            let current = try await mediator.send(GetCustomerQuery(id: customer.id))
            #expect(current.version == 2)
        }
    }

    @Test("unconditional concurrent changes never fail with anything but a retryable conflict, and versions stay gapless", arguments: TestDatabase.all)
    func unconditionalConcurrentChanges(database: TestDatabase) async throws {
        try await database.withMigratedDatabase(file: true) { client, names async throws in
            let mediator = try makeTestMediator(client: client, names: names)
            let customer = try await mediator.send(Samples.register())
            let outcomes = try await withThrowingTaskGroup(of: String.self) { group in
                for index in 0..<10 {
                    group.addTask {
                        do {
                            _ = try await mediator.send(UpdateCustomerProfileCommand(id: customer.id, name: .set("Name \(index)")))
                            return "ok"
                        } catch let error as ApplicationError {
                            return error.code.rawValue
                        }
                    }
                }
                return try await group.reduce(into: [String]()) { $0.append($1) }
            }
            #expect(outcomes.allSatisfy { $0 == "ok" || $0 == "concurrent_modification" })
            let successes = outcomes.filter { $0 == "ok" }.count
            #expect(successes >= 1)
            let history = try await mediator.send(GetCustomerHistoryQuery(id: customer.id))
            #expect(history.map(\.version) == Array(1...(1 + successes)))
        }
    }
}
