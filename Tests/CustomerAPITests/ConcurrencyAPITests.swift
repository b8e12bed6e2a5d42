import Foundation
import HTTPTypes
import HummingbirdTesting
import TestSupport
import Testing

@Suite("Concurrent writes over HTTP")
struct ConcurrencyAPITests {
    @Test("20 concurrent registrations with one e-mail: exactly one 201, the others 409 email_taken", arguments: TestDatabase.all)
    func sameEmailRace(database: TestDatabase) async throws {
        try await withApp(database, file: true) { client in
            let statuses = try await withThrowingTaskGroup(of: (Int, String?).self) { group in
                for index in 0..<20 {
                    group.addTask {
                        let response = try await client.send(
                            .post, "/v1/customers", json: #"{"name": "Racer \#(index)", "email": "race@example.com"}"#)
                        return (response.status.code, response.problemCode)
                    }
                }
                return try await group.reduce(into: [(Int, String?)]()) { $0.append($1) }
            }
            #expect(statuses.filter { $0.0 == 201 }.count == 1)
            #expect(statuses.filter { $0.0 == 409 && $0.1 == "email_taken" }.count == 19)
        }
    }

    @Test("20 concurrent PATCHes with the same If-Match: exactly one 200, the others 412", arguments: TestDatabase.all)
    func sameIfMatchRace(database: TestDatabase) async throws {
        try await withApp(database, file: true) { client in
            let id = try #require(try await client.register()["id"] as? String)
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for index in 0..<20 {
                    group.addTask {
                        try await client.send(
                            .patch, "/v1/customers/\(id)", json: #"{"name": "Writer \#(index)"}"#, headers: [.ifMatch: "\"1\""]
                        ).status.code
                    }
                }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == 200 }.count == 1)
            #expect(statuses.filter { $0 == 412 }.count == 19)
            let current = try await client.send(.get, "/v1/customers/\(id)")
            #expect(current.headers[.eTag] == "\"2\"")
        }
    }

    /// A seeded generator: the seed in a failure message gives the same choices of commands and
    /// customers again (not the same interleaving, which the scheduler decides).
    struct SplitMix64: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    /// One request of the mix and what it got.
    struct Outcome: Sendable {
        let customer: Int
        let operation: String
        let status: Int
        let body: String
        var wrote: Bool { operation != "GET" && (200..<300).contains(status) }
    }

    @Test(
        "mixed concurrent commands on the same customers (profile, e-mail, addresses, deactivate/reactivate, erasure): no 5xx, versions gapless, every acknowledged write in the history, the customer equal to the fold of its history",
        arguments: TestDatabase.all)
    func mixedCommandsKeepTheHistoryTrue(database: TestDatabase) async throws {
        let errors = ErrorLogRecorder()
        try await withApp(database, file: true, logger: errors.logger) { client in
            var ids: [String] = []
            for index in 0..<4 {
                let registered = try await client.register(APISamples.registration(name: "Mix \(index)", email: "mix\(index)@example.com", document: nil))
                ids.append(try #require(registered["id"] as? String))
            }
            let customers = ids
            let seed = UInt64.random(in: 0...UInt64.max)
            let outcomes = try await withThrowingTaskGroup(of: [Outcome].self) { group in
                for worker in 0..<16 {
                    group.addTask {
                        var random = SplitMix64(state: seed &+ UInt64(worker))
                        var outcomes: [Outcome] = []
                        for step in 0..<30 {
                            let customer = Int.random(in: 0..<customers.count, using: &random)
                            let id = customers[customer]
                            let tag = "\(worker)-\(step)"
                            let choice = Int.random(in: 0..<8, using: &random)
                            let primary = Bool.random(using: &random)
                            var operation: String
                            let response: TestResponse
                            switch choice {
                            case 0:
                                operation = "PATCH profile"
                                let phone = primary ? #""+5511987654\#(String(format: "%03d", (worker * 30 + step) % 1000))""# : "null"
                                response = try await client.send(.patch, "/v1/customers/\(id)", json: #"{"name": "Name \#(tag)", "phone": \#(phone)}"#)
                            case 1:
                                operation = "PUT email"
                                response = try await client.send(.put, "/v1/customers/\(id)/email", json: #"{"email": "c\#(customer)w\#(tag)@example.com"}"#)
                            case 2:
                                operation = "POST address"
                                response = try await client.send(.post, "/v1/customers/\(id)/addresses", json: APISamples.address(city: "Added \(tag)", primary: primary))
                            case 3, 4:
                                // Pick one of the customer's addresses as it is now; it may be gone by the time the change arrives.
                                let current = try await client.send(.get, "/v1/customers/\(id)")
                                let addresses = current.object["addresses"] as? [[String: Any]] ?? []
                                guard let address = addresses.randomElement(using: &random)?["id"] as? String else {
                                    outcomes.append(Outcome(customer: customer, operation: "GET", status: current.status.code, body: current.text))
                                    continue
                                }
                                if choice == 3 {
                                    operation = "PUT address"
                                    response = try await client.send(
                                        .put, "/v1/customers/\(id)/addresses/\(address)", json: APISamples.address(city: "Updated \(tag)", primary: primary))
                                } else {
                                    operation = "DELETE address"
                                    response = try await client.send(.delete, "/v1/customers/\(id)/addresses/\(address)")
                                }
                            case 5:
                                operation = "deactivate"
                                response = try await client.send(.post, "/v1/customers/\(id)/deactivate", json: #"{"reason": "mix \#(tag)"}"#)
                            case 6:
                                operation = "reactivate"
                                response = try await client.send(.post, "/v1/customers/\(id)/reactivate")
                            default:
                                // Erasure of the last customer only, mid-run, by two workers at once.
                                guard customer == customers.count - 1, step >= 10 else { continue }
                                operation = "erase"
                                response = try await client.send(.delete, "/v1/customers/\(id)")
                            }
                            outcomes.append(Outcome(customer: customer, operation: operation, status: response.status.code, body: response.text))
                        }
                        return outcomes
                    }
                }
                return try await group.reduce(into: [Outcome]()) { $0 += $1 }
            }

            // No request failed on the server's side, and every refusal is one the contract names.
            let allowed: Set<Int> = [200, 201, 204, 404, 409, 410, 422]
            for outcome in outcomes where !allowed.contains(outcome.status) {
                let logged = errors.recorded.prefix(5).joined(separator: " | ")
                let body = String(outcome.body.prefix(300))
                Issue.record("seed \(seed): \(outcome.operation) on customer \(outcome.customer) answered \(outcome.status): \(body); logged: \(logged)")
            }
            #expect(outcomes.filter(\.wrote).count > 100, "seed \(seed): too few writes got through to mean anything")

            for (index, id) in customers.enumerated() {
                let history = try await client.send(.get, "/v1/customers/\(id)/history")
                #expect(history.status == .ok)
                let items = history.object["items"] as? [[String: Any]] ?? []
                let versions = items.compactMap { $0["version"] as? Int }
                #expect(versions == Array(1...max(1, items.count)), "seed \(seed): customer \(index) versions \(versions)")
                // Every acknowledged write made exactly one change: each carries a value of its own.
                let acknowledged = outcomes.filter { $0.customer == index && $0.wrote }.count
                #expect(items.count == acknowledged + 1, "seed \(seed): customer \(index) has \(items.count) history items for \(acknowledged) acknowledged writes")

                let current = try await client.send(.get, "/v1/customers/\(id)")
                if items.last?["type"] as? String == "customer.erased" {
                    #expect(current.status == .gone, "seed \(seed): customer \(index)")
                    continue
                }
                #expect(current.status == .ok)
                let folded = try HistoryFold(history: items)
                let served = HistoryFold(customer: current.object)
                #expect(folded == served, "seed \(seed): customer \(index)\n folded \(folded)\n served \(served)")
                #expect(current.headers[.eTag] == "\"\(items.count)\"")
            }
        }
    }
}
