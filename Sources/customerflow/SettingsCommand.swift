import ArgumentParser

/// `customerflow settings`: prints every configuration key with its environment variable, flag,
/// default and meaning — the reference README.md and deploy/README.md carry — or, with
/// `--format env`, an environment file of the defaults to start a ConfigMap, Secret or `.env` from.
struct SettingsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "settings", abstract: "Print every configuration key, its environment variable and its default.")

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case markdown, env
    }

    @Option(help: "markdown (the reference table) or env (an environment file of the defaults).")
    var format: Format = .markdown

    func run() throws {
        print(format == .markdown ? ConfigurationReference.markdown() : ConfigurationReference.environmentFile(), terminator: "")
    }
}
