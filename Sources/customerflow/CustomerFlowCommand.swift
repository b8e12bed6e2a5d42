import ArgumentParser
import Foundation
import Configuration
import CustomerApplication
import Logging

/// `customerflow`: the service and its operator commands.
@main
struct CustomerFlowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "customerflow",
        abstract: "Customer management service: REST API, event outbox, migrations.",
        subcommands: [ServeCommand.self, MigrateCommand.self, ImportCommand.self, RelayCommand.self, OutboxCommand.self, TokenCommand.self,
                      SettingsCommand.self, HealthCommand.self],
        defaultSubcommand: nil
    )
}

/// Options shared by every command that talks to the database.
struct DatabaseOptions: ParsableArguments {
    @Option(name: .customLong("database-url"), help: "sqlite://PATH, sqlite::memory:, postgres://user:pass@host:port/db or mysql://user:pass@host:port/db")
    var databaseURL: String?

    @Option(name: .customLong("config"), help: "A JSON configuration file.")
    var configFile: String?

    /// Flags as configuration values; absent flags leave the key to the other sources.
    var flags: [String: ConfigValue] {
        var values: [String: ConfigValue] = [:]
        if let databaseURL { values["database.url"] = ConfigValue(.string(databaseURL), isSecret: true) }
        return values
    }
}

/// Sets up swift-log once per process: every logger, the libraries' included, writes through
/// ``LogLineHandler`` at the configured level — JSON lines, or text on a terminal.
enum LoggingSetup {
    /// `trace_id`, `span_id` of the running span; `request`, the mediator request being handled.
    static let metadataProvider = Logger.MetadataProvider.multiplex([.traceContext, LoggingBehavior.metadataProvider])

    /// - Parameter standardOutput: the service (`serve`, `relay`) logs to standard output; one-off
    ///   commands to standard error, since their standard output is their result.
    static func logger(level: Logger.Level, standardOutput: Bool = false) -> Logger {
        let output = LogOutput(descriptor: standardOutput ? STDOUT_FILENO : STDERR_FILENO)
        let format: LogLineHandler.Format = output.isTerminal ? .text : .json
        // Every line written inside a traced operation carries its trace_id and span_id, and
        // inside a mediator request its type.
        LoggingSystem.bootstrap(
            { label, provider in
                var handler = LogLineHandler(label: label, level: level, format: format, output: output)
                handler.metadataProvider = provider
                return handler
            },
            metadataProvider: metadataProvider)
        var logger = Logger(label: "customerflow")
        logger.logLevel = level
        return logger
    }
}
