import Configuration
import Foundation
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
                if let path = source.path { group.addTask { try await reportUnreadable(path) } }
                try await file.watchSnapshot { updates in
                    for await _ in updates { reload() }
                }
            }
        }
    }

    /// swift-configuration keeps the last good file when a new one does not parse, and says so
    /// only at debug level: this says it as an error, once per version of the file.
    func reportUnreadable(_ path: String) async throws {
        var reported: Data?
        while !Task.isCancelled {
            if let data = FileManager.default.contents(atPath: path), data != reported,
               (try? JSONSerialization.jsonObject(with: data)) == nil {
                logger.error("the configuration file no longer parses; the feature flags in force stay", metadata: ["file": "\(path)"])
                reported = data
            }
            try await Task.sleep(for: .seconds(1))
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
