import ArgumentParser
import EventBus
import Foundation
import Logging
import Persistence

/// `customerflow outbox status | retry ID | retry-failed`: the operator controls of the admin API,
/// from a shell.
struct OutboxCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "outbox",
        abstract: "Inspect and unstick the outbox.",
        subcommands: [Status.self, Retry.self, RetryFailed.self]
    )

    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print the outbox statistics as JSON.")
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let stats = try await withOutbox(database) { try await $0.stats(now: Date()) }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            print(String(decoding: try encoder.encode(stats), as: UTF8.self))
        }
    }

    struct Retry: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Put one failed event back for an immediate attempt.")
        @Argument(help: "The event id (the CloudEvent id).") var id: String
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let id = self.id
            guard try await withOutbox(database, { try await $0.retry(id: id, now: Date()) }) else {
                throw ConfigurationError("no unpublished outbox event has the id \(id)")
            }
            print("Event \(id) is pending again.")
        }
    }

    struct RetryFailed: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "retry-failed", abstract: "Put every failed event back.")
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let count = try await withOutbox(database) { try await $0.retryFailed(now: Date()) }
            print("\(count) failed event(s) are pending again.")
        }
    }
}

/// Opens the database just long enough for `body`.
func withOutbox<R: Sendable>(_ options: DatabaseOptions, _ body: @Sendable (SQLOutboxStore) async throws -> R) async throws -> R {
    try await withDatabase(options, quiet: true) { client, names, _ in
        try await body(SQLOutboxStore(client: client, names: names))
    }
}
