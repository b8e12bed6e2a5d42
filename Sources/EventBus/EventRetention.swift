import Foundation
import Logging
import ServiceLifecycle

/// Deletes old outbox and inbox rows in small batches, so that the tables stay small without a
/// long-held lock or a full scan (each batch uses the status/time indexes).
public final class EventRetention: Service {
    public struct Configuration: Sendable {
        public var publishedRetention: Duration
        public var failedRetention: Duration
        public var interval: Duration
        public var batchSize: Int

        public init(
            publishedRetention: Duration = .seconds(7 * 24 * 3600),
            failedRetention: Duration = .seconds(30 * 24 * 3600),
            interval: Duration = .seconds(300),
            batchSize: Int = 1000
        ) {
            self.publishedRetention = publishedRetention
            self.failedRetention = failedRetention
            self.interval = interval
            self.batchSize = max(1, batchSize)
        }
    }

    let outbox: any OutboxStore
    let inbox: any InboxStore
    let configuration: Configuration
    let logger: Logger

    public init(outbox: any OutboxStore, inbox: any InboxStore, configuration: Configuration = Configuration(), logger: Logger) {
        self.outbox = outbox
        self.inbox = inbox
        self.configuration = configuration
        self.logger = logger
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    try await self.purgeOnce(now: Date())
                } catch is CancellationError {
                    return
                } catch {
                    self.logger.warning("retention pass failed", metadata: ["error": "\(error)"])
                }
                try? await Task.sleep(for: self.configuration.interval)
            }
        }
    }

    /// One pass: batches until nothing old is left. Returns rows deleted from (outbox, inbox).
    @discardableResult
    public func purgeOnce(now: Date) async throws -> (outbox: Int, inbox: Int) {
        let published = now.addingTimeInterval(-OutboxRelay.seconds(configuration.publishedRetention))
        let failed = now.addingTimeInterval(-OutboxRelay.seconds(configuration.failedRetention))
        var totals = (outbox: 0, inbox: 0)
        while true {
            let deleted = try await outbox.purge(publishedBefore: published, failedBefore: failed, limit: configuration.batchSize)
            totals.outbox += deleted
            if deleted < configuration.batchSize { break }
            await Task.yield()
        }
        while true {
            let deleted = try await inbox.purge(processedBefore: published, failedBefore: failed, limit: configuration.batchSize)
            totals.inbox += deleted
            if deleted < configuration.batchSize { break }
            await Task.yield()
        }
        if totals.outbox + totals.inbox > 0 {
            logger.info("purged old events", metadata: ["outbox": "\(totals.outbox)", "inbox": "\(totals.inbox)"])
        }
        return totals
    }
}
