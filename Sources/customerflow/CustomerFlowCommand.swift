import ArgumentParser
import Foundation
import Configuration
import Logging

/// `customerflow`: the service and its operator commands.
@main
struct CustomerFlowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "customerflow",
        abstract: "Customer management service: REST API, event outbox, migrations.",
        subcommands: [ServeCommand.self, MigrateCommand.self, ImportCommand.self, RelayCommand.self, OutboxCommand.self],
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
    /// - Parameter standardOutput: the service (`serve`, `relay`) logs to standard output; one-off
    ///   commands to standard error, since their standard output is their result.
    static func logger(level: Logger.Level, standardOutput: Bool = false) -> Logger {
        let output = LogOutput(descriptor: standardOutput ? STDOUT_FILENO : STDERR_FILENO)
        let format: LogLineHandler.Format = output.isTerminal ? .text : .json
        LoggingSystem.bootstrap { label in LogLineHandler(label: label, level: level, format: format, output: output) }
        var logger = Logger(label: "customerflow")
        logger.logLevel = level
        return logger
    }
}
