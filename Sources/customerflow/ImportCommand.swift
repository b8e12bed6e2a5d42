import ArgumentParser
import CustomerApplication
import Foundation
import Logging
import Mediator
import Persistence
import Validation

#if canImport(Glibc)
import Glibc
#endif

/// `customerflow import --source-url URL --query SQL [--rejects FILE] [--dry-run] [--batch-size N]`:
/// registers customers from a legacy database through the register command.
struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import customers from another database through the register command.",
        discussion: """
            The query's column aliases name the register-customer fields by their JSON paths: name, email, phone, \
            birthDate, document.type, document.number, and one address as address.street, address.number, \
            address.complement, address.district, address.city, address.state, address.postalCode, address.country, \
            address.label. A missing alias or a NULL means the field is absent. Exit status: 0 when nothing was \
            rejected, 3 when some rows were rejected, other non-zero on failure.
            """
    )

    @Option(name: .customLong("source-url"), help: "The database to read from (sqlite://, postgres://, mysql://); may be the target itself.")
    var sourceURL: String

    @Option(help: "The SELECT whose column aliases name the fields, e.g. SELECT nome AS name, mail AS email FROM clientes.")
    var query: String

    @Option(help: "Where rejected rows go, one JSON object per line.")
    var rejects = "import-rejects.jsonl"

    @Flag(help: "Validate and report without writing anything to the database.")
    var dryRun = false

    @Option(help: "Rows per batch.")
    var batchSize = 500

    @OptionGroup var database: DatabaseOptions

    func validate() throws {
        guard (1...10_000).contains(batchSize) else { throw ValidationError("--batch-size must be between 1 and 10000") }
    }

    func run() async throws {
        let source = try DatabaseURL(parsing: sourceURL)
        let (query, rejectsPath, dryRun, batchSize) = (self.query, self.rejects, self.dryRun, self.batchSize)
        let report = try await withConfiguredDatabase(database, quiet: true, poolSize: 8) { configuration, client, names, logger in
            guard try await MigrationRunner(client: client, names: names, logger: logger).isUpToDate() else {
                throw ImportFailure("the database schema is not current: run customerflow migrate first")
            }
            let rows = try await Self.read(query, from: source, logger: logger)
            if let first = rows.first {
                let unknown = ImportRowMapping.unknownColumns(first.columns.map(\.name))
                guard unknown.isEmpty else {
                    throw ImportFailure(
                        "the query's column(s) \(unknown.joined(separator: ", ")) name no field; alias each as one of: \(ImportRowMapping.aliases.sorted().joined(separator: ", "))")
                }
            }
            let clock = SystemWallClock()
            let queries = SQLCustomerQueries(client: client, names: names)
            let mediator = try CustomerUseCases.mediator(
                .init(
                    transactions: SQLTransactionRunner(client: client, names: names),
                    queries: queries,
                    clock: clock,
                    eventSource: configuration.eventSource,
                    cursors: CustomerListCursorCodec(secret: configuration.cursorSecret),
                    logger: logger
                )
            )
            let output = try RejectsFile(path: rejectsPath)
            defer { output.close() }
            let progress = ProgressBar(total: rows.count)
            let report = try await CustomerImporter(mediator: mediator, queries: queries, clock: clock).run(
                rows, batchSize: batchSize, dryRun: dryRun,
                rejected: { row, failures in try output.write(row, failures) },
                progress: { progress.update($0) }
            )
            progress.finish()
            return report
        }
        let rejected = report.rejected > 0 ? " (see \(rejectsPath))" : ""
        if dryRun {
            print("Dry run, nothing written: \(report.read) row(s) read; \(report.imported) would be imported, \(report.skipped) skipped (already present), \(report.rejected) rejected\(rejected).")
        } else {
            print("\(report.read) row(s) read: \(report.imported) imported, \(report.skipped) skipped (already present), \(report.rejected) rejected\(rejected).")
        }
        if report.rejected > 0 { throw ExitCode(3) }
    }

    private static func read(_ query: String, from url: DatabaseURL, logger: Logger) async throws -> [ImportRow] {
        let client = try await DatabaseClients.open(url, poolSize: 1, logger: logger)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await client.run() }
            defer { group.cancelAll() }
            do {
                let rows = try await SQLImportSource.rows(of: query, in: client)
                await client.shutdown()
                return rows
            } catch {
                await client.shutdown()
                throw error
            }
        }
    }
}

/// The rejected rows, one JSON object per line: `{"row": N, "source": {column: value}, "errors": [{field, code, message}]}`.
private final class RejectsFile: @unchecked Sendable {
    // @unchecked: writes are serialised by `lock`.
    private let handle: FileHandle
    private let lock = NSLock()

    init(path: String) throws {
        guard FileManager.default.createFile(atPath: path, contents: nil), let handle = FileHandle(forWritingAtPath: path) else {
            throw ImportFailure("cannot write the rejects file \(path)")
        }
        self.handle = handle
    }

    func write(_ row: ImportRow, _ failures: [ValidationFailure]) throws {
        var source: [String: Any] = [:]
        for column in row.columns { source[column.name] = column.value ?? NSNull() }
        let object: [String: Any] = [
            "row": row.number,
            "source": source,
            "errors": failures.map { ["field": $0.field, "code": $0.code, "message": $0.message] },
        ]
        var data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
        data.append(UInt8(ascii: "\n"))
        lock.lock()
        defer { lock.unlock() }
        try handle.write(contentsOf: data)
    }

    func close() { try? handle.close() }
}

/// A progress bar on standard error, drawn only when it is a terminal.
private struct ProgressBar: Sendable {
    let total: Int
    let visible = isatty(STDERR_FILENO) == 1

    func update(_ done: Int) {
        guard visible, total > 0 else { return }
        let width = 30
        let filled = done * width / total
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
        FileHandle.standardError.write(Data("\r[\(bar)] \(done)/\(total)".utf8))
    }

    func finish() {
        if visible && total > 0 { FileHandle.standardError.write(Data("\n".utf8)) }
    }
}

/// An import that cannot run (exit status 1, one line): distinct from rejected rows (status 3).
struct ImportFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
