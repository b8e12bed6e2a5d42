import CustomerDomain
import Foundation
import Mediator
import Validation

/// Imports customers from legacy rows through the same register command the API runs
/// (validation, uniqueness, events, history), so an imported customer is indistinguishable from
/// one registered over HTTP.
///
/// A row is *imported*, *skipped* — its e-mail or document belongs to a customer already
/// (including one imported from an earlier row of the same source), so a second run imports
/// nothing new — or *rejected* with the reasons. Rows run in batches; inside a batch, rows with
/// the same e-mail run one after the other in source order (the first one wins), the others at
/// once, each in its own transaction.
///
/// - Important: An error that is not about the row (the database is down) stops the import
///   and is thrown; rows already imported stay imported, and running again picks up the rest.
public struct CustomerImporter: Sendable {
    public struct Report: Hashable, Sendable {
        public var read = 0
        public var imported = 0
        public var skipped = 0
        public var rejected = 0
    }

    public enum Outcome: Hashable, Sendable {
        case imported
        case skipped(String)
        case rejected([ValidationFailure])
    }

    let mediator: Mediator
    let queries: any CustomerQueries
    let clock: any WallClock
    let concurrency: Int

    public init(mediator: Mediator, queries: any CustomerQueries, clock: any WallClock, concurrency: Int = 8) {
        self.mediator = mediator
        self.queries = queries
        self.clock = clock
        self.concurrency = max(1, concurrency)
    }

    /// Imports `rows` in batches of `batchSize`, reporting every rejected row to `rejected` and
    /// the rows done so far to `progress` after each batch. With `dryRun` rows are validated and
    /// checked against existing customers, and nothing is written.
    public func run(
        _ rows: [ImportRow],
        batchSize: Int,
        dryRun: Bool,
        rejected: @Sendable (ImportRow, [ValidationFailure]) async throws -> Void,
        progress: @Sendable (Int) -> Void = { _ in }
    ) async throws -> Report {
        var report = Report()
        var seen = SeenKeys()
        for start in stride(from: 0, to: rows.count, by: max(1, batchSize)) {
            let batch = Array(rows[start..<min(rows.count, start + max(1, batchSize))])
            let outcomes = dryRun ? try await check(batch, seen: &seen) : try await register(batch)
            for (row, outcome) in zip(batch, outcomes) {
                report.read += 1
                switch outcome {
                case .imported: report.imported += 1
                case .skipped: report.skipped += 1
                case .rejected(let failures):
                    report.rejected += 1
                    try await rejected(row, failures)
                }
            }
            progress(report.read)
        }
        return report
    }

    // MARK: - Writing

    private func register(_ batch: [ImportRow]) async throws -> [Outcome] {
        // Lanes by e-mail: duplicates of one e-mail run in source order, different e-mails at once.
        var lanes: [[Int]] = Array(repeating: [], count: concurrency)
        for (index, row) in batch.enumerated() {
            let key = (row["email"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
            lanes[Int(UInt(bitPattern: key.hashValue) % UInt(concurrency))].append(index)
        }
        let mediator = self.mediator
        return try await withThrowingTaskGroup(of: [(Int, Outcome)].self) { group in
            for lane in lanes where !lane.isEmpty {
                group.addTask {
                    var outcomes: [(Int, Outcome)] = []
                    for index in lane {
                        outcomes.append((index, try await Self.register(batch[index], mediator: mediator)))
                    }
                    return outcomes
                }
            }
            var outcomes = [Outcome](repeating: .imported, count: batch.count)
            for try await lane in group {
                for (index, outcome) in lane { outcomes[index] = outcome }
            }
            return outcomes
        }
    }

    private static func register(_ row: ImportRow, mediator: Mediator) async throws -> Outcome {
        do {
            _ = try await mediator.send(ImportRowMapping.command(from: row))
            return .imported
        } catch let error as ValidationError {
            return .rejected(error.failures)
        } catch let error as CustomerDomainError {
            return .rejected([ValidationFailure(field: "", code: error.code.rawValue, message: error.message)])
        } catch let error as ApplicationError where error.code == .emailTaken || error.code == .documentTaken {
            return .skipped(error.code.rawValue)
        }
    }

    // MARK: - Dry run

    /// Normalised e-mails and documents of rows a dry run would import.
    private struct SeenKeys {
        var emails: Set<String> = []
        var documents: Set<String> = []
    }

    private func check(_ batch: [ImportRow], seen: inout SeenKeys) async throws -> [Outcome] {
        let validator = RegisterCustomerValidator.make(clock: clock)
        var outcomes: [Outcome] = []
        for row in batch {
            let command = ImportRowMapping.command(from: row)
            let failures = await validator.validate(command)
            guard failures.isEmpty else {
                outcomes.append(.rejected(failures))
                continue
            }
            let email = (try? EmailAddress(command.email ?? ""))?.value
            let document = command.document.flatMap { input -> String? in
                guard let kind = TaxDocument.Kind(rawValue: input.type ?? "") else { return nil }
                return (try? TaxDocument(kind: kind, number: input.number ?? ""))?.number
            }
            if let email, seen.emails.contains(email) {
                outcomes.append(.skipped(ApplicationError.Code.emailTaken.rawValue))
                continue
            }
            if let document, seen.documents.contains(document) {
                outcomes.append(.skipped(ApplicationError.Code.documentTaken.rawValue))
                continue
            }
            if let email, try await !queries.customers(matching: CustomerFilter(email: email), after: nil, limit: 1).isEmpty {
                outcomes.append(.skipped(ApplicationError.Code.emailTaken.rawValue))
                continue
            }
            if let document, try await !queries.customers(matching: CustomerFilter(document: document), after: nil, limit: 1).isEmpty {
                outcomes.append(.skipped(ApplicationError.Code.documentTaken.rawValue))
                continue
            }
            if let email { seen.emails.insert(email) }
            if let document { seen.documents.insert(document) }
            outcomes.append(.imported)
        }
        return outcomes
    }
}
