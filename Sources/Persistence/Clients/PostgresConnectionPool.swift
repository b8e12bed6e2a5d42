import Logging
import NIOCore
import NIOPosix
import PostgresNIO
import Synchronization

/// A fixed pool of PostgreSQL connections: `size` slots, each holding at most one connection,
/// opened when first needed (or at start, for the first `warm` slots) and kept open; a connection
/// the server closed is replaced when its slot is next leased.
///
/// Why not postgres-nio's `PostgresClient` pool: in 1.33.2 its state machine traps
/// (`precondition(minimumConcurrentConnections <= stats.active)`) when a lease arrives after the
/// server came back from an outage, before the pool has refilled to its configured minimum (while
/// connection attempts failed it dropped all but the one it retried) and with no idle connection —
/// which killed the service in the soak test. Without a minimum, every return of a connection arms an idle timer as a sleeping task,
/// which cost about a third of the throughput and held memory until each timer would have ended.
/// This pool has no timers at all.
///
/// - Important: a slot's connection is touched only by the caller holding that slot. A caller
///   cancelled while its connection is being opened still waits for the TCP connect to end
///   (postgres-nio does not abort it): up to the connect timeout (5 s) when the server's host
///   drops packets instead of refusing them.
final class PostgresConnectionPool: Sendable {
    private final class Slot: Sendable {
        let connection = Mutex<PostgresConnection?>(nil)
    }

    private let configuration: PostgresConnection.Configuration
    private let slots: [Slot]
    private let permits: AsyncSemaphore
    private let free: Mutex<[Int]>
    private let closed = Atomic<Bool>(false)
    private let ids = Atomic<Int>(0)
    private let warm: Int
    private let logger: Logger

    init(configuration: PostgresConnection.Configuration, size: Int, warm: Int, logger: Logger) {
        let size = max(1, size)
        self.configuration = configuration
        self.slots = (0..<size).map { _ in Slot() }
        self.permits = AsyncSemaphore(permits: size)
        self.free = Mutex(Array((0..<size).reversed()))
        self.warm = max(0, min(warm, size))
        self.logger = logger
    }

    /// Runs `body` on a connection of its own; waits (cancellably) while every slot is taken.
    func withConnection<R: Sendable>(_ body: (PostgresConnection) async throws -> R) async throws -> R {
        guard !closed.load(ordering: .acquiring) else { throw PoolClosed() }
        return try await permits.withPermit {
            guard !closed.load(ordering: .acquiring), let index = free.withLock({ $0.popLast() }) else { throw PoolClosed() }
            defer { free.withLock { $0.append(index) } }
            return try await body(try await connection(in: slots[index]))
        }
    }

    /// The slot's open connection, or a new one in its place.
    private func connection(in slot: Slot) async throws -> PostgresConnection {
        if let existing = slot.connection.withLock({ $0 }) {
            if !existing.isClosed { return existing }
            slot.connection.withLock { $0 = nil }
        }
        var connectionLogger = logger
        // postgres-nio logs every backend message, data rows included, at trace: never below debug.
        if connectionLogger.logLevel < .debug { connectionLogger.logLevel = .debug }
        let connection = try await PostgresConnection.connect(
            on: MultiThreadedEventLoopGroup.singleton.any(), configuration: configuration,
            id: ids.add(1, ordering: .relaxed).newValue, logger: connectionLogger)
        slot.connection.withLock { $0 = connection }
        // Closed while this connection was being opened: close() has passed this slot already.
        if closed.load(ordering: .acquiring) {
            slot.connection.withLock { $0 = nil }
            try? await connection.close()
            throw PoolClosed()
        }
        return connection
    }

    /// Opens the first `warm` connections (a failure is left for the first lease to retry), then
    /// waits until cancelled and closes every connection.
    func run() async {
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<warm {
                group.addTask {
                    do {
                        try await self.withConnection { _ in }
                    } catch {
                        self.logger.warning("cannot open a PostgreSQL connection at start; the first request will try again", metadata: ["error": "\(error)"])
                    }
                }
            }
        }
        while !Task.isCancelled {
            try? await Task.sleep(for: .seconds(3600))
        }
        await close()
    }

    /// Closes every connection; later leases fail with ``PoolClosed``.
    func close() async {
        guard !closed.exchange(true, ordering: .acquiringAndReleasing) else { return }
        for slot in slots {
            if let connection = slot.connection.withLock({ $0.take() }) {
                try? await connection.close()
            }
        }
    }

    /// The pool was closed (the service is shutting down).
    struct PoolClosed: Error, CustomStringConvertible {
        var description: String { "the PostgreSQL pool is closed" }
    }
}
