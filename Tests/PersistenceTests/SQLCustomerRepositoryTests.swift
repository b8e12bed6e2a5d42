import CustomerApplication
import CustomerDomain
import Foundation
import Persistence
import TestSupport
import Testing

@Suite("Customer repository")
struct SQLCustomerRepositoryTests {
    @Test("a registered customer reads back equal, to the microsecond", arguments: TestDatabase.all)
    func roundTripsTheAggregate(database: TestDatabase) async throws {
        try await database.withMigratedDatabase { client, names async throws in
            let runner = SQLTransactionRunner(client: client, names: names)
            let customer = try Samples.customer(at: Date(timeIntervalSince1970: 1_790_000_000.123456))
            try await runner.inTransaction { try await $0.customers.add(customer) }
            let loaded = try #require(try await runner.inTransaction { try await $0.customers.find(customer.id) })
            #expect(loaded.name == customer.name)
            #expect(loaded.email == customer.email)
            #expect(loaded.phone == customer.phone)
            #expect(loaded.document == customer.document)
            #expect(loaded.birthDate == customer.birthDate)
            #expect(loaded.addresses == customer.addresses)
            #expect(loaded.version == 1)
            #expect(Timestamp.microseconds(loaded.createdAt) == Timestamp.microseconds(customer.createdAt))
            #expect(loaded.pendingEvents.isEmpty)
        }
    }

    @Test("an update at a stale version is a concurrency conflict and changes nothing", arguments: TestDatabase.all)
    func staleUpdateConflicts(database: TestDatabase) async throws {
        try await database.withMigratedDatabase { client, names async throws in
            let runner = SQLTransactionRunner(client: client, names: names)
            var customer = try Samples.customer()
            let original = customer
            try await runner.inTransaction { try await $0.customers.add(original) }
            try customer.changeEmail(to: EmailAddress("new@example.com"), at: Date())
            let changed = customer
            await #expect(throws: ConcurrencyConflict.self) {
                try await runner.inTransaction { try await $0.customers.update(changed, expectedVersion: 7) }
            }
            let loaded = try await runner.inTransaction { try await $0.customers.find(changed.id) }
            #expect(loaded?.email.value == "ana@example.com")
            #expect(loaded?.version == 1)
        }
    }

    @Test("the database refuses a second customer with the same e-mail or document", arguments: TestDatabase.all)
    func uniqueIndexesReportTakenValues(database: TestDatabase) async throws {
        try await database.withMigratedDatabase { client, names async throws in
            let runner = SQLTransactionRunner(client: client, names: names)
            try await runner.inTransaction { try await $0.customers.add(try Samples.customer()) }
            do {
                try await runner.inTransaction { try await $0.customers.add(try Samples.customer(document: nil)) }
                Issue.record("a duplicate e-mail was stored")
            } catch let error as ApplicationError {
                #expect(error.code == .emailTaken)
            }
            do {
                try await runner.inTransaction { try await $0.customers.add(try Samples.customer(email: "other@example.com")) }
                Issue.record("a duplicate document was stored")
            } catch let error as ApplicationError {
                #expect(error.code == .documentTaken)
            }
        }
    }

    @Test("address changes are saved as a diff: primary moves, removals and additions read back", arguments: TestDatabase.all)
    func savesAddressChanges(database: TestDatabase) async throws {
        try await database.withMigratedDatabase { client, names async throws in
            let runner = SQLTransactionRunner(client: client, names: names)
            let now = Date(timeIntervalSince1970: 1_790_000_000)
            var customer = try Samples.customer(at: now)
            let original = customer
            try await runner.inTransaction { try await $0.customers.add(original) }
            let first = customer.addresses[0].id
            let second = try customer.addAddress(.init(id: .generate(at: now), postal: Samples.postal(city: "Rio"), primary: true), at: now)
            let third = try customer.addAddress(.init(id: .generate(at: now), postal: Samples.postal(city: "Recife"), primary: false), at: now)
            let intermediate = customer
            try await runner.inTransaction { try await $0.customers.update(intermediate, expectedVersion: 1) }
            try customer.removeAddress(second.id, at: now)
            try customer.updateAddress(third.id, to: Samples.postal(city: "Olinda"), primary: true, at: now)
            let saved = customer
            try await runner.inTransaction { try await $0.customers.update(saved, expectedVersion: 3) }

            let loaded = try #require(try await runner.inTransaction { try await $0.customers.find(saved.id) })
            #expect(loaded.addresses.map(\.id) == [first, third.id])
            #expect(loaded.addresses.map(\.postal.city) == ["São Paulo", "Olinda"])
            #expect(loaded.primaryAddress?.id == third.id)
            #expect(loaded.version == 5)
        }
    }

    @Test("an erased customer's e-mail and document can be registered again", arguments: TestDatabase.all)
    func erasureFreesUniqueValues(database: TestDatabase) async throws {
        try await database.withMigratedDatabase { client, names async throws in
            let runner = SQLTransactionRunner(client: client, names: names)
            var customer = try Samples.customer()
            let original = customer
            try await runner.inTransaction { try await $0.customers.add(original) }
            try customer.erase(at: Date())
            let erased = customer
            try await runner.inTransaction { try await $0.customers.update(erased, expectedVersion: 1) }
            try await runner.inTransaction { try await $0.customers.add(try Samples.customer()) }

            let loaded = try #require(try await runner.inTransaction { try await $0.customers.find(erased.id) })
            #expect(loaded.status == .erased)
            #expect(loaded.addresses.isEmpty)
            #expect(loaded.phone == nil && loaded.document == nil && loaded.birthDate == nil)
        }
    }

    @Test("a transaction that throws after writing leaves nothing behind", arguments: TestDatabase.all)
    func rollsBackOnError(database: TestDatabase) async throws {
        struct Boom: Error {}
        try await database.withMigratedDatabase { client, names async throws in
            let runner = SQLTransactionRunner(client: client, names: names)
            let customer = try Samples.customer()
            await #expect(throws: Boom.self) {
                try await runner.inTransaction { transaction in
                    try await transaction.customers.add(customer)
                    throw Boom()
                }
            }
            #expect(try await SQLCustomerQueries(client: client, names: names).customer(customer.id) == nil)
        }
    }
}
