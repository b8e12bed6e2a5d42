import ArgumentParser
import CustomerAPI
import Foundation

/// `customerflow token`: prints a development access token signed with the configured HS256
/// secret (`auth.jwt.hs256Secret`), with the configured issuer and audience.
struct TokenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token", abstract: "Print a development access token signed with the configured HS256 secret.")

    @Option(help: "Comma-separated scopes: customers:read, customers:write, customers:erase, admin.")
    var scopes: String

    @Option(help: "The token's subject (sub): recorded as the actor of every change made with it.")
    var subject: String

    @Option(help: "Lifetime in seconds.")
    var ttl: Int = 3600

    @Option(name: .customLong("config"), help: "A JSON configuration file.")
    var configFile: String?

    func run() async throws {
        let configuration = try await CustomerFlowConfiguration.load(
            from: CustomerFlowConfiguration.source(flags: [:], configFile: configFile))
        guard let secret = configuration.auth.hs256Secret else {
            throw ConfigurationError("auth.jwt.hs256Secret is not set: there is no key to sign with")
        }
        guard (1...31_536_000).contains(ttl) else { throw ConfigurationError("--ttl must be between 1 and 31536000 seconds") }
        guard !subject.trimmingCharacters(in: .whitespaces).isEmpty else { throw ConfigurationError("--subject must not be empty") }
        let names = scopes.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        if let unknown = names.first(where: { AccessScope(rawValue: $0) == nil }) {
            throw ConfigurationError("unknown scope \(unknown); known: \(AccessScope.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let now = Date()
        let claims = AccessTokenClaims(
            subject: subject, scopes: names, issuer: configuration.auth.issuer,
            audience: configuration.auth.audience.map { [$0] }, expiration: now.addingTimeInterval(TimeInterval(ttl)), notBefore: now)
        print(try await DevelopmentTokenSigner(hs256Secret: secret).sign(claims))
    }
}
