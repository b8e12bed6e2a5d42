import Foundation
import Logging
import NIOCore
import NIOPosix
import SQLKit
import SQLiteKit
import SQLiteNIO
import Synchronization

/// SQLite, embedded: one writer connection and a few reader connections in WAL mode.
///
/// SQLite allows one writer at a time; rather than letting writers collide and spin on
/// `SQLITE_BUSY`, writes queue here in FIFO order and each runs `BEGIN IMMEDIATE`. Readers never
/// wait for writers. An in-memory database lives in a single connection, so there everything
/// shares that connection in turn.
public final class SQLiteDatabaseClient: DatabaseClient {
    public var kind: DatabaseKind { .sqlite }

    private let writer: SQLiteConnection
    private let writerLock = AsyncSemaphore(permits: 1)
    private let readers: [SQLiteConnection]
    private let readerSlots: AsyncSemaphore
    private let freeReaders: Mutex<[Int]>
    private let logger: Logger
    private let closed = Mutex(false)

    /// Opens the database, creating the file when it does not exist.
    public static func open(_ url: DatabaseURL, readers readerCount: Int = 4, logger: Logger) async throws -> SQLiteDatabaseClient {
        // One thread per connection, owned by this client: SQLite calls block (a writer may wait
        // on another process's lock), and a shared pool could let such waits starve the very
        // commit they wait for.
        let readerCount = url == .sqliteMemory ? 0 : max(1, readerCount)
        let threads = NIOThreadPool(numberOfThreads: readerCount + 1)
        threads.start()
        let eventLoop = MultiThreadedEventLoopGroup.singleton.any()
        func connect(_ storage: SQLiteConnection.Storage) async throws -> SQLiteConnection {
            try await SQLiteConnection.open(storage: storage, threadPool: threads, logger: logger, on: eventLoop).get()
        }
        do {
            switch url {
            case .sqliteMemory:
                let connection = try await connect(.memory)
                try await configure(connection, wal: false)
                return SQLiteDatabaseClient(writer: connection, readers: [], threads: threads, logger: logger)
            case .sqliteFile(let path):
                let writer = try await connect(.file(path: path))
                try await configure(writer, wal: true)
                var readers: [SQLiteConnection] = []
                for _ in 0..<readerCount {
                    let reader = try await connect(.file(path: path))
                    try await configure(reader, wal: false)
                    readers.append(reader)
                }
                return SQLiteDatabaseClient(writer: writer, readers: readers, threads: threads, logger: logger)
            case .postgres, .mysql:
                throw DatabaseURLError("not an SQLite URL")
            }
        } catch {
            try? await threads.shutdownGracefully()
            throw error
        }
    }

    private let threads: NIOThreadPool

    private init(writer: SQLiteConnection, readers: [SQLiteConnection], threads: NIOThreadPool, logger: Logger) {
        self.threads = threads
        self.writer = writer
        self.readers = readers
        self.readerSlots = AsyncSemaphore(permits: readers.count)
        self.freeReaders = Mutex(Array(readers.indices))
        self.logger = logger
    }

    private static func configure(_ connection: SQLiteConnection, wal: Bool) async throws {
        if wal {
            _ = try await connection.query("PRAGMA journal_mode = WAL")
        }
        _ = try await connection.query("PRAGMA foreign_keys = ON")
        // Replaces sqlite-nio's spinning busy handler with SQLite's sleeping one, for the rare
        // case of another process writing the same file.
        _ = try await connection.query("PRAGMA busy_timeout = 5000")
        _ = try await connection.query("PRAGMA synchronous = NORMAL")
    }

    public func withConnection<R: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        try ensureOpen()
        guard !readers.isEmpty else {
            return try await writerLock.withPermit {
                try await translatingErrors { try await body(writer.sql(queryLogLevel: nil).translatingErrors) }
            }
        }
        return try await readerSlots.withPermit {
            guard let index = freeReaders.withLock({ $0.popLast() }) else {
                throw DatabaseErrorTranslator.unavailable()
            }
            defer { freeReaders.withLock { $0.append(index) } }
            return try await translatingErrors { try await body(readers[index].sql(queryLogLevel: nil).translatingErrors) }
        }
    }

    public func withTransaction<R: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        try ensureOpen()
        return try await writerLock.withPermit {
            try await translatingErrors {
                let database = writer.sql(queryLogLevel: nil).translatingErrors
                try await Self.uncancelled("BEGIN IMMEDIATE", on: database)
                do {
                    let result = try await body(database)
                    try await Self.uncancelled("COMMIT", on: database)
                    return result
                } catch {
                    do {
                        try await Self.uncancelled("ROLLBACK", on: database)
                    } catch {
                        logger.error("rollback failed", metadata: ["error": .string("\(error)")])
                    }
                    throw error
                }
            }
        }
    }

    /// Runs a transaction-control statement to its end even when the calling task is cancelled:
    /// a `BEGIN`, `COMMIT` or `ROLLBACK` given up half-way would leave the single writer inside
    /// a transaction for good, and every later write would fail.
    private static func uncancelled(_ statement: SQLQueryString, on database: any SQLDatabase) async throws {
        try await Task { try await database.raw(statement).run() }.value
    }

    public func run() async throws {
        // Nothing to keep alive: wait for the end of the service, then close.
        while !Task.isCancelled {
            try? await Task.sleep(for: .seconds(3600))
        }
        await shutdown()
    }

    public func shutdown() async {
        let alreadyClosed = closed.withLock { closed in
            defer { closed = true }
            return closed
        }
        guard !alreadyClosed else { return }
        // Shutdown usually runs in a cancelled task; the unstructured task below is not
        // cancelled, so it still waits for an in-flight commit and really closes each handle.
        let connections = readers + [writer]
        let writerLock = self.writerLock
        let logger = self.logger
        let threads = self.threads
        await Task {
            try? await writerLock.wait()
            for connection in connections {
                do {
                    try await connection.close().get()
                } catch {
                    logger.error("closing an SQLite connection failed", metadata: ["error": .string("\(error)")])
                }
            }
            try? await threads.shutdownGracefully()
        }.value
    }

    private func ensureOpen() throws {
        if closed.withLock({ $0 }) { throw DatabaseErrorTranslator.unavailable() }
    }

    private func translatingErrors<R>(_ body: () async throws -> R) async throws -> R {
        do {
            return try await body()
        } catch {
            throw DatabaseErrorTranslator.translate(error)
        }
    }
}
