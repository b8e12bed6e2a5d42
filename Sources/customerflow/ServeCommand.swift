import ArgumentParser
import Configuration
import Hummingbird
import Logging

/// `customerflow serve`: migrates the database, then serves the API until SIGTERM or SIGINT,
/// when it stops accepting connections, finishes requests in flight, closes the pool and exits 0.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "serve", abstract: "Run the HTTP API.")

    @Option(help: "Address to listen on (default 127.0.0.1).")
    var host: String?

    @Option(help: "Port to listen on (default 8080).")
    var port: Int?

    @Flag(help: "Serve without authentication on a non-loopback address (behind a gateway that authenticates).")
    var allowAnonymous = false

    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        var flags = database.flags
        if let host { flags["http.host"] = ConfigValue(.string(host), isSecret: false) }
        if let port { flags["http.port"] = ConfigValue(.int(port), isSecret: false) }
        let configuration = try await CustomerFlowConfiguration.load(
            from: CustomerFlowConfiguration.source(flags: flags, configFile: database.configFile)
        )
        try configuration.checkExposure(allowAnonymous: allowAnonymous)
        let logger = LoggingSetup.logger(level: configuration.logLevel, standardOutput: true)
        logger.info(
            "starting",
            metadata: ["database": "\(configuration.databaseURL)", "address": "\(configuration.host):\(configuration.port)"]
        )
        if !configuration.auth.isConfigured {
            logger.warning(
                "authentication is off: every caller may do everything",
                metadata: ["reason": .string(configuration.listensOnLoopback ? "loopback address" : "--allow-anonymous")])
        }
        let telemetry = try Telemetry.bootstrap(logger: logger)
        let app = try await buildApplication(configuration, logger: logger, telemetry: telemetry)
        try await app.runService()
    }
}
