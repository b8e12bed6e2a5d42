import Configuration
import FeatureFlags
import Logging
import ServiceLifecycle

/// Re-reads feature flags whenever the configuration file changes (polled every second, or on
/// SIGHUP), without a restart.
///
/// - Important: A file that no longer parses, or a flag that is now wrong, changes nothing: the
///   flags in force stay, and the error is logged with the key at fault.
struct FeatureFlagReloader: Service {
    let source: CustomerFlowConfiguration.Source
    let file: ReloadingFileProvider<ConfigFileSnapshot>
    let target: FeatureFlagSnapshot
    let logger: Logger

    func run() async throws {
        try await cancelWhenGracefulShutdown {
            try await withThrowingDiscardingTaskGroup { group in
                group.addTask { try await file.run() }
                try await file.watchSnapshot { updates in
                    for await _ in updates { reload() }
                }
            }
        }
    }

    func reload() {
        do {
            let flags = try source.featureFlags()
            guard flags != target.flags else { return }
            target.replace(with: flags)
            logger.info("feature flags reloaded", metadata: ["flags": "\(flags.keys.sorted().joined(separator: ","))"])
        } catch {
            logger.error("feature flags not reloaded; the previous ones stay", metadata: ["error": "\(error)"])
        }
    }
}
