import ArgumentParser
import AsyncHTTPClient
import Configuration
import Foundation
import NIOCore

/// `customerflow health`: asks a running service whether it is alive (or ready) and exits 0 when
/// it says so — the container image's `HEALTHCHECK`, so that the image needs no curl or shell.
struct HealthCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "health", abstract: "Exit 0 when the service on this host answers its health route with 2xx.")

    @Flag(help: "Ask /health/ready (database, migrations, broker) instead of /health/live.")
    var ready = false

    @Option(help: "The URL to ask (default http://127.0.0.1:<http.port>/health/live).")
    var url: String?

    @Option(help: "Seconds to wait for the answer.")
    var timeout: Int = 3

    func run() async throws {
        guard (1...60).contains(timeout) else { throw ConfigurationError("--timeout must be between 1 and 60 seconds") }
        let target: String
        if let url {
            target = url
        } else {
            // The port as `serve` reads it: flags aside, the environment or the defaults.
            let reader = try await CustomerFlowConfiguration.reader(flags: [:], configFile: nil)
            let port = reader.int(forKey: ConfigKey("http.port")) ?? 8080
            target = "http://127.0.0.1:\(port)/health/\(ready ? "ready" : "live")"
        }
        guard let parsed = URL(string: target), ["http", "https"].contains(parsed.scheme ?? ""), parsed.host != nil else {
            throw ConfigurationError("--url must be an http or https URL, not \(target)")
        }
        let request = HTTPClientRequest(url: target)
        let status: Int
        do {
            let response = try await HTTPClient.shared.execute(request, timeout: .seconds(Int64(timeout)))
            status = Int(response.status.code)
        } catch {
            throw HealthCheckFailed(description: "\(target): no answer (\(error))")
        }
        guard (200..<300).contains(status) else { throw HealthCheckFailed(description: "\(target): \(status)") }
        print("\(target): \(status)")
    }
}
