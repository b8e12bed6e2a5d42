import CustomerApplication
import CustomerDomain
import EventBus
import Foundation
import Mediator
import NIOPosix
import PostgresKit
import PostgresNIO
import SQLKit
import Synchronization
import TestSupport
import Testing

@testable import Persistence

/// What every driver must do the same way: values round-trip exactly, a duplicate key is a
/// ``UniqueViolation`` naming the index, a deadlock is retried by the unit of work.
@Suite("Database drivers")
struct DatabaseDriverTests {
    private struct Values: Equatable {
        var integer: Int?
        var double: Double?
        var text: String?
        var bytes: Data?
        var flag: Bool?
        var day: CalendarDay?
        var instant: Int64?
        var uuid: UUID?
    }

    @Test("every bound type reads back equal: integers, doubles, 4-byte UTF-8, bytes, booleans, dates, microsecond timestamps, UUIDs and NULLs", arguments: TestDatabase.all)
    func valuesRoundTrip(database: TestDatabase) async throws {
        try await database.withMigratedDatabase { client, names async throws in
            let table = names.prefix + "driver_values"
            let d = SchemaDialect(kind: client.kind)
            let samples: [Values] = [
                Values(
                    integer: Int(Int64.max), double: 3.141592653589793, text: "Zoë 😀 𝄞 ação — 中文", bytes: Data([0, 1, 2, 255, 0]),
                    flag: true, day: CalendarDay(year: 1987, month: 2, day: 28), instant: 1_795_000_000_123_456,
                    uuid: UUID(uuidString: "0195f3c2-7a4b-7c3d-9e2f-0123456789ab")
                ),
                Values(
                    integer: Int(Int64.min), double: -0.5, text: "", bytes: Data(), flag: false,
                    day: CalendarDay(year: 2024, month: 2, day: 29), instant: -1_000_001, uuid: UUID()
                ),
                Values(integer: nil, double: nil, text: nil, bytes: nil, flag: nil, day: nil, instant: nil, uuid: nil),
            ]
            let bytesType = switch client.kind {
            case .postgres: "BYTEA"
            case .mysql: "LONGBLOB"
            case .sqlite: "BLOB"
            }
            try await client.withConnection { db in
                try await db.raw(
                    """
                    CREATE TABLE \(ident: table) (
                        position INTEGER NOT NULL, integer_value \(unsafeRaw: d.bigint) NULL, double_value DOUBLE PRECISION NULL,
                        text_value TEXT NULL, bytes_value \(unsafeRaw: bytesType) NULL, flag_value \(unsafeRaw: d.boolean) NULL,
                        day_value \(unsafeRaw: d.day) NULL, instant_value \(unsafeRaw: d.timestamp) NULL, uuid_value \(unsafeRaw: d.uuid) NULL
                    )\(unsafeRaw: d.tableOptions)
                    """
                ).run()
                for (position, sample) in samples.enumerated() {
                    try await db.raw(
                        """
                        INSERT INTO \(ident: table) VALUES (\(bind: position), \(bind: sample.integer), \(bind: sample.double), \(bind: sample.text),
                            \(bind: sample.bytes), \(bind: sample.flag), \(bind: sample.day.map(DatabaseDay.init)),
                            \(bind: sample.instant.map { DatabaseTimestamp(microseconds: $0) }), \(bind: sample.uuid.map(DatabaseUUID.init)))
                        """
                    ).run()
                }
            }
            let read = try await client.withConnection { db in
                try await db.raw("SELECT * FROM \(ident: table) ORDER BY position").all().map { row in
                    Values(
                        integer: try row.decodeOptional(column: "integer_value", as: Int.self),
                        double: try row.decodeOptional(column: "double_value", as: Double.self),
                        text: try row.decodeOptional(column: "text_value", as: String.self),
                        bytes: try row.decodeOptional(column: "bytes_value", as: Data.self),
                        flag: try row.decodeOptional(column: "flag_value", as: Bool.self),
                        day: try row.decodeOptional(column: "day_value", as: DatabaseDay.self)?.day,
                        instant: try row.decodeOptional(column: "instant_value", as: DatabaseTimestamp.self)?.microseconds,
                        uuid: try row.decodeOptional(column: "uuid_value", as: DatabaseUUID.self)?.value
                    )
                }
            }
            #expect(read == samples)
        }
    }

    @Test("a duplicate key is a unique violation that names the index", arguments: TestDatabase.all)
    func duplicateKeyNamesTheIndex(database: TestDatabase) async throws {
        try await database.withMigratedDatabase { client, names async throws in
            let mediator = try makeTestMediator(client: client, names: names)
            _ = try await mediator.send(Samples.register(email: "ana@example.com"))
            let second = try await mediator.send(Samples.register(email: "bia@example.com"))
            let violation = try await #require(throws: UniqueViolation.self) {
                try await client.withTransaction { db in
                    try await db.raw(
                        "UPDATE \(ident: names.customers) SET email = 'ana@example.com' WHERE id = \(bind: DatabaseUUID(second.id.rawValue))"
                    ).run()
                }
            }
            #expect(names.isEmailViolation(violation))
            #expect(!names.isDocumentViolation(violation))
            if client.kind != .sqlite {
                #expect(violation.constraint == names.customersEmailKey)
            }
            // Nothing changed.
            let emails = try await client.withConnection { db in
                try await db.raw("SELECT email FROM \(ident: names.customers) ORDER BY email").all().map { try $0.decode(column: "email", as: String.self) }
            }
            #expect(emails == ["ana@example.com", "bia@example.com"])
        }
    }

    @Test("a NUL PostgreSQL cannot store is the request's fault (unstorable_text), not an internal error; the others store it")
    func nulCharacterIsTheInputsFault() async throws {
        for database in TestDatabase.all {
            try await database.withMigratedDatabase { client, names async throws in
                let write = {
                    try await client.withTransaction { db in
                        try await db.raw("UPDATE \(ident: names.outbox) SET last_error = \(bind: "a\u{0}b") WHERE seq = 0").run()
                    }
                }
                if client.kind == .postgres {
                    let error = try await #require(throws: ApplicationError.self) { try await write() }
                    #expect(error.code == .unstorableText)
                } else {
                    try await write()
                }
            }
        }
    }

    @Test("a transaction whose task is cancelled rolls back, and the next transaction starts cleanly", arguments: TestDatabase.all)
    func cancelledTransactionRollsBack(database: TestDatabase) async throws {
        try await database.withMigratedDatabase(file: true) { client, names async throws in
            let table = names.prefix + "cancel_probe"
            try await client.withTransaction { db in try await db.raw("CREATE TABLE \(ident: table) (id INTEGER NOT NULL)").run() }
            let started = Counter()
            let writer = Task {
                try await client.withTransaction { db in
                    try await db.raw("INSERT INTO \(ident: table) (id) VALUES (1)").run()
                    started.increment()
                    try await Task.sleep(for: .seconds(30))
                }
            }
            while started.value == 0 { try await Task.sleep(for: .milliseconds(5)) }
            writer.cancel()
            #expect(await writer.result.isFailure)
            try await client.withTransaction { db in try await db.raw("INSERT INTO \(ident: table) (id) VALUES (2)").run() }
            let ids = try await client.withConnection { db in
                try await db.raw("SELECT id FROM \(ident: table) ORDER BY id").all().map { try $0.decode(column: "id", as: Int.self) }
            }
            #expect(ids == [2])
        }
    }

    @Test("keys that differ only in case are different keys: inbox messages a and A are both processed", arguments: TestDatabase.all)
    func keysAreCaseSensitive(database: TestDatabase) async throws {
        try await database.withMigratedDatabase { client, names async throws in
            let inbox = SQLInboxStore(client: client, names: names)
            var outcomes: [InboxOutcome] = []
            for id in ["message-a", "MESSAGE-A", "message-a "] {
                let message = InboxMessage(id: id, type: "customer.registered.v1", subject: nil, payload: Data())
                outcomes.append(try await inbox.process(message, group: "case-test", now: Date()) { _ in })
            }
            #expect(outcomes == [.processed, .processed, .processed])
        }
    }

    @Test("after shutdown a MySQL client fails at once with unavailable instead of waiting", arguments: TestDatabase.all.filter { $0 == .mysql })
    func closedClientFailsFast(database: TestDatabase) async throws {
        let client = try await DatabaseClients.open(try database.url(), poolSize: 1, logger: .quiet)
        _ = try await client.withConnection { db in try await db.raw("SELECT 1 AS one").all().count }
        await client.shutdown()
        let error = try await #require(throws: ApplicationError.self) {
            try await client.withConnection { db in try await db.raw("SELECT 1 AS one").all().count }
        }
        #expect(error.code == .unavailable)
    }

    @Test("a connection handed over after the deadline is not used: the caller told unavailable has nothing run for it")
    func lateLeaseRunsNothing() async throws {
        final class Flag: Sendable { let value = Atomic<Bool>(false) }
        let ran = Flag()
        await #expect { try await LeaseDeadline.run(timeout: .milliseconds(50), on: MultiThreadedEventLoopGroup.singleton.any()) { leased in
            // The connection arrives after the deadline fired: this wait ends only when the deadline,
            // having expired the lease, cancels the operation — however loaded the machine.
            try? await Task.sleep(for: .seconds(60))
            guard leased.claim() else { throw CancellationError() }
            ran.value.store(true, ordering: .relaxed)
            return 1
        } } throws: { ($0 as? ApplicationError)?.code == .unavailable }
        let didRun = ran.value.load(ordering: .relaxed)
        #expect(!didRun)
        // In time, the operation claims the lease and the deadline no longer counts.
        let value = try await LeaseDeadline.run(timeout: .milliseconds(100), on: MultiThreadedEventLoopGroup.singleton.any()) { leased in
            guard leased.claim() else { throw CancellationError() }
            try await Task.sleep(for: .milliseconds(300))
            return 7
        }
        #expect(value == 7)
    }

    @Test("the deadline's alarm rings once: stood down it answers false, fired it answers true, and the first call wins")
    func alarmRingsOnce() async {
        let stoodDown = LeaseDeadline.Alarm()
        stoodDown.ring(fired: false)
        stoodDown.ring(fired: true)
        #expect(await stoodDown.wait() == false)
        let fired = LeaseDeadline.Alarm()
        async let waited = fired.wait()
        try? await Task.sleep(for: .milliseconds(20))
        fired.ring(fired: true)
        fired.ring(fired: false)
        #expect(await waited == true)
        // A waiter whose task is cancelled stops waiting without the alarm ringing.
        let abandoned = LeaseDeadline.Alarm()
        let waiter = Task { await abandoned.wait() }
        waiter.cancel()
        #expect(await waiter.value == false)
    }

    @Test("a statement on a PostgreSQL connection that has closed fails with unavailable instead of waiting forever")
    func statementOnClosedConnectionFails() async throws {
        guard case .postgres(let location) = try TestDatabase.postgres.url() else { return }
        let client = PostgresClient(
            configuration: .init(
                host: location.host, port: location.port, username: location.username, password: location.password,
                database: location.database, tls: .disable))
        try await withThrowingTaskGroup(of: Void.self) { group async throws in
            group.addTask { await client.run() }
            defer { group.cancelAll() }
            try await client.withConnection { connection in
                let database = LiveConnectionSQLDatabase(base: connection.sql(), connection: connection)
                #expect(try await database.raw("SELECT 1 AS one").first()?.decode(column: "one", as: Int.self) == 1)
                // The channel goes away as when the server ends the backend; postgres-nio would
                // write the next statement into the closed channel and never answer it.
                try await connection.close()
                await #expect { try await database.raw("SELECT 1 AS one").run() } throws: {
                    ($0 as? ApplicationError)?.code == .unavailable
                }
            }
        }
    }

    @Test("a caller that gets no PostgreSQL connection in time fails with unavailable instead of waiting forever")
    func leaseWaitIsBounded() async throws {
        let url = try TestDatabase.postgres.url()
        guard case .postgres(let location) = url else {
            Issue.record("not a PostgreSQL URL: \(url)")
            return
        }
        let client = try PostgresDatabaseClient(location, maximumConnections: 1, leaseTimeout: .milliseconds(300), logger: .quiet)
        try await withThrowingTaskGroup(of: Void.self) { group async throws in
            group.addTask { try await client.run() }
            defer { group.cancelAll() }
            // The one connection is opened first (under load that can take longer than the
            // deadline, which bounds the wait for a connection, opening included).
            var warm = false
            for _ in 0..<50 where !warm {
                warm = (try? await client.withConnection { db in try await db.raw("SELECT 1 AS one").run() }) != nil
            }
            #expect(warm)
            let holding = Barrier(parties: 2)
            let holder = Task {
                try await client.withConnection { db in
                    await holding.arrive()
                    try await Task.sleep(for: .seconds(2))
                    return try await db.raw("SELECT 1 AS one").first()?.decode(column: "one", as: Int.self)
                }
            }
            await holding.arrive()
            let started = ContinuousClock.now
            await #expect { try await client.withConnection { db in try await db.raw("SELECT 1 AS one").run() } } throws: {
                ($0 as? ApplicationError)?.code == .unavailable
            }
            #expect(ContinuousClock.now - started < .seconds(1.5))
            // The connection held meanwhile finishes its work undisturbed.
            #expect(try await holder.value == 1)
        }
    }

    @Test(
        "a connection the server killed is replaced: the failed statement reports unavailable, the next one works",
        arguments: TestDatabase.all.filter { $0 != .sqlite }
    )
    func killedConnectionIsReplaced(database: TestDatabase) async throws {
        let url = try database.url()
        let victim = try await DatabaseClients.open(url, poolSize: 1, logger: .quiet)
        let killer = try await DatabaseClients.open(url, poolSize: 1, logger: .quiet)
        let idQuery: SQLQueryString = database == .postgres ? "SELECT pg_backend_pid() AS id" : "SELECT CONNECTION_ID() AS id"
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await victim.run() }
            group.addTask { try await killer.run() }
            defer { group.cancelAll() }
            let before = try await victim.withConnection { db in try await db.raw(idQuery).first()?.decode(column: "id", as: Int.self) }
            let id = try #require(before)
            try await killer.withConnection { db in
                try await db.raw(database == .postgres ? "SELECT pg_terminate_backend(\(literal: id)) AS done" : "KILL \(literal: id)").run()
            }
            var after: Int?
            for _ in 0..<5 where after == nil {
                do {
                    after = try await victim.withConnection { db in try await db.raw(idQuery).first()?.decode(column: "id", as: Int.self) }
                } catch let error as ApplicationError {
                    #expect(error.code == .unavailable)
                    try await Task.sleep(for: .milliseconds(200))
                }
            }
            #expect(after != nil && after != id)
            await victim.shutdown()
            await killer.shutdown()
        }
    }

    @Test(
        "a deadlock between two commands is retried by the unit of work and both commands end correctly",
        arguments: TestDatabase.all.filter { $0 != .sqlite }
    )
    func deadlockIsRetried(database: TestDatabase) async throws {
        try await database.withMigratedDatabase { client, names async throws in
            let runs = Counter()
            let barrier = Barrier(parties: 2)
            let mediator = try makeTestMediator(client: client, names: names) { builder in
                builder.register(TogglePairHandler(runs: runs, barrier: barrier))
            }
            let a = try await mediator.send(Samples.register(email: "a@example.com"))
            let b = try await mediator.send(Samples.register(email: "b@example.com"))
            // One locks a then b, the other b then a: after the barrier each waits for the other.
            async let first = mediator.send(TogglePairCommand(first: a.id, second: b.id))
            async let second = mediator.send(TogglePairCommand(first: b.id, second: a.id))
            _ = try await (first, second)
            // The victim of the deadlock ran again: three runs of the handler for two commands, or
            // four when its retry read a version the winner had not committed yet and lost that race too.
            #expect((3...4).contains(runs.value))
            let queries = SQLCustomerQueries(client: client, names: names)
            for id in [a.id, b.id] {
                let details = try #require(try await queries.customer(id))
                #expect(details.version == 3)
                #expect(details.status == .active)
                let history = try #require(try await queries.history(of: id))
                #expect(history.map(\.version) == [1, 2, 3])
            }
        }
    }
}

/// Deactivates or reactivates two customers, one after the other.
private struct TogglePairCommand: Command {
    typealias Response = Int
    let first: CustomerID
    let second: CustomerID
}

private struct TogglePairHandler: RequestHandler {
    let runs: Counter
    let barrier: Barrier

    func handle(_ command: TogglePairCommand, context: MediatorContext) async throws -> Int {
        runs.increment()
        let unitOfWork = try context.unitOfWork()
        try await toggle(command.first, unitOfWork)
        await barrier.arrive()
        try await toggle(command.second, unitOfWork)
        return 2
    }

    private func toggle(_ id: CustomerID, _ unitOfWork: UnitOfWork) async throws {
        guard var customer = try await unitOfWork.customers.find(id) else { throw ApplicationError.customerNotFound() }
        if customer.status == .active {
            try customer.deactivate(reason: "test", at: Date())
        } else {
            try customer.reactivate(at: Date())
        }
        try await unitOfWork.customers.save(customer)
    }
}

private final class Counter: Sendable {
    private let count = Mutex(0)
    var value: Int { count.withLock { $0 } }
    func increment() { count.withLock { $0 += 1 } }
}

/// Holds the first `parties` arrivals until all have arrived (at most five seconds); later
/// arrivals pass straight through.
private final class Barrier: Sendable {
    private let state: Mutex<Int> = Mutex(0)
    let parties: Int

    init(parties: Int) { self.parties = parties }

    func arrive() async {
        let arrived = state.withLock { count -> Int in
            count += 1
            return count
        }
        guard arrived <= parties else { return }
        let deadline = ContinuousClock.now + .seconds(5)
        while state.withLock({ $0 }) < parties, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(5))
        }
    }
}

extension Result {
    fileprivate var isFailure: Bool {
        if case .failure = self { return true }
        return false
    }
}
