import CustomerApplication
import CustomerDomain
import Foundation
import Mediator
import Persistence
import TestSupport
import Testing

@Suite("Customer queries")
struct SQLCustomerQueriesTests {
    /// Registers customers through the real pipeline, one microsecond apart unless `sameInstant`.
    private func register(_ names: [String], mediator: Mediator) async throws -> [CustomerDetails] {
        var result: [CustomerDetails] = []
        for (index, name) in names.enumerated() {
            let email = name.lowercased().replacingOccurrences(of: " ", with: ".") + "\(index)@example.com"
            result.append(try await mediator.send(Samples.register(name: name, email: email)))
        }
        return result
    }

    @Test("pages are newest first and a cursor continues exactly where the last page ended", arguments: TestDatabase.all)
    func keysetPagination(database: TestDatabase) async throws {
        try await database.withMigratedDatabase { client, names async throws in
            // Every registration at the same instant: order and paging fall back on the id.
            let mediator = try makeTestMediator(client: client, names: names, clock: FixedClock(step: 0))
            let created = try await register((1...7).map { "Person \($0)" }, mediator: mediator)
            var seen: [CustomerID] = []
            var cursor: String?
            repeat {
                let page = try await mediator.send(ListCustomersQuery(limit: "3", cursor: cursor))
                #expect(page.items.count <= 3)
                seen += page.items.map(\.id)
                cursor = page.nextCursor
            } while cursor != nil
            #expect(seen == created.map(\.id).sorted(by: >))
        }
    }

    @Test("q matches a case-insensitive prefix of the name or of the e-mail", arguments: TestDatabase.all)
    func prefixSearch(database: TestDatabase) async throws {
        try await database.withMigratedDatabase { client, names async throws in
            let mediator = try makeTestMediator(client: client, names: names)
            _ = try await mediator.send(Samples.register(name: "Álvaro Lima", email: "alvaro@example.com"))
            _ = try await mediator.send(Samples.register(name: "Beatriz Alves", email: "bia@example.com"))
            _ = try await mediator.send(Samples.register(name: "Carla", email: "alvim@example.org"))
            let byName = try await mediator.send(ListCustomersQuery(q: "ÁLV"))
            #expect(byName.items.map(\.name) == ["Álvaro Lima"])
            let byEmail = try await mediator.send(ListCustomersQuery(q: "alv"))
            #expect(Set(byEmail.items.compactMap(\.name)) == ["Álvaro Lima", "Carla"])
            let none = try await mediator.send(ListCustomersQuery(q: "zz"))
            #expect(none.items.isEmpty)
        }
    }

    @Test("email and document filters match after the same normalisation as input", arguments: TestDatabase.all)
    func exactFilters(database: TestDatabase) async throws {
        try await database.withMigratedDatabase { client, names async throws in
            let mediator = try makeTestMediator(client: client, names: names)
            let ana = try await mediator.send(
                Samples.register(email: "Ana@Example.com", document: DocumentInput(type: "cpf", number: Samples.cpf)))
            _ = try await mediator.send(Samples.register(name: "Bruno", email: "bruno@example.com"))
            #expect(try await mediator.send(ListCustomersQuery(email: "  ANA@example.COM ")).items.map(\.id) == [ana.id])
            #expect(try await mediator.send(ListCustomersQuery(document: Samples.cpf)).items.map(\.id) == [ana.id])
            #expect(try await mediator.send(ListCustomersQuery(document: Samples.cpfDigits)).items.map(\.id) == [ana.id])
        }
    }

    @Test("erased customers are listed only with status=erased, and without personal data", arguments: TestDatabase.all)
    func erasedOnlyWhenAsked(database: TestDatabase) async throws {
        try await database.withMigratedDatabase { client, names async throws in
            let mediator = try makeTestMediator(client: client, names: names)
            let kept = try await mediator.send(Samples.register(name: "Kept", email: "kept@example.com"))
            let gone = try await mediator.send(Samples.register(name: "Gone", email: "gone@example.com"))
            _ = try await mediator.send(EraseCustomerCommand(id: gone.id))
            #expect(try await mediator.send(ListCustomersQuery()).items.map(\.id) == [kept.id])
            let erased = try await mediator.send(ListCustomersQuery(status: "erased")).items
            #expect(erased.map(\.id) == [gone.id])
            #expect(erased.first?.name == nil && erased.first?.email == nil && erased.first?.city == nil)
        }
    }

    @Test("a list item carries the city of the primary address", arguments: TestDatabase.all)
    func listShowsPrimaryCity(database: TestDatabase) async throws {
        try await database.withMigratedDatabase { client, names async throws in
            let mediator = try makeTestMediator(client: client, names: names)
            let customer = try await mediator.send(
                Samples.register(addresses: [Samples.address(city: "Campinas"), Samples.address(city: "Santos", primary: true)]))
            let items = try await mediator.send(ListCustomersQuery()).items
            #expect(items.count == 1)
            #expect(items.first?.id == customer.id)
            #expect(items.first?.city == "Santos")
        }
    }

    @Test("a cursor sent back with other filters, or altered, is refused", arguments: TestDatabase.all)
    func refusesForeignCursor(database: TestDatabase) async throws {
        try await database.withMigratedDatabase { client, names async throws in
            let mediator = try makeTestMediator(client: client, names: names)
            _ = try await register(["A", "B", "C"], mediator: mediator)
            let cursor = try #require(try await mediator.send(ListCustomersQuery(limit: "1")).nextCursor)
            await #expect { try await mediator.send(ListCustomersQuery(status: "active", limit: "1", cursor: cursor)) } throws: {
                ($0 as? ApplicationError)?.code == .malformedCursor
            }
            var tampered = Array(cursor)
            tampered[5] = tampered[5] == "A" ? "B" : "A"
            let altered = String(tampered)
            await #expect { try await mediator.send(ListCustomersQuery(limit: "1", cursor: altered)) } throws: {
                ($0 as? ApplicationError)?.code == .malformedCursor
            }
        }
    }
}
