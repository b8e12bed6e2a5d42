import CoreMetrics
import EventBus
import Foundation
import Persistence
import Prometheus

/// The process's Prometheus registry, and the gauges that are read when `/metrics` is scraped
/// rather than kept up to date: outbox backlog, pool usage, process memory and descriptors.
///
/// Each application has its own registry (not the global `MetricsSystem`), so that tests and
/// several applications in one process never mix their figures.
final class ServiceMetrics: Sendable {
    let registry = PrometheusCollectorRegistry()
    /// Where the service records: the registry, and the OTLP exporter too when one is configured.
    let factory: any MetricsFactory

    private let pending: CoreMetrics.Gauge
    private let failed: CoreMetrics.Gauge
    private let oldestPendingAge: CoreMetrics.Gauge
    private let residentMemory: CoreMetrics.Gauge
    private let descriptors: CoreMetrics.Gauge

    /// - Parameter export: an OTLP metrics exporter to record into as well.
    init(export: (any MetricsFactory)? = nil) {
        var prometheus = PrometheusMetricsFactory(registry: registry)
        let fast: [Duration] = [.milliseconds(1), .milliseconds(2.5), .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50),
                                .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2.5), .seconds(5)]
        prometheus.defaultDurationHistogramBuckets = fast
        let factory: any MetricsFactory = export.map { MultiplexMetricsHandler(factories: [prometheus, $0]) } ?? prometheus
        self.factory = factory
        pending = CoreMetrics.Gauge(label: "customerflow_outbox_pending", factory: factory)
        failed = CoreMetrics.Gauge(label: "customerflow_outbox_failed", factory: factory)
        oldestPendingAge = CoreMetrics.Gauge(label: "customerflow_outbox_oldest_pending_age_seconds", factory: factory)
        residentMemory = CoreMetrics.Gauge(label: "process_resident_memory_bytes", factory: factory)
        descriptors = CoreMetrics.Gauge(label: "process_open_fds", factory: factory)
    }

    /// The Prometheus text of every metric, after refreshing the sampled gauges. A database that
    /// does not answer leaves the outbox gauges as they were rather than failing the scrape.
    func render(outbox: any OutboxStore, pools: [(name: String, client: MeteredDatabaseClient)]) async -> String {
        if let stats = try? await ProbeDeadline.run(within: .seconds(2), { try await outbox.backlog(now: Date()) }) {
            pending.record(stats.pending)
            failed.record(stats.failed)
            oldestPendingAge.record(stats.oldestPendingAgeSeconds ?? 0)
        }
        for (name, client) in pools {
            CoreMetrics.Gauge(label: "customerflow_db_pool_connections", dimensions: [("database", name), ("state", "in_use")], factory: factory).record(client.inUse)
            CoreMetrics.Gauge(label: "customerflow_db_pool_connections", dimensions: [("database", name), ("state", "idle")], factory: factory).record(client.idle)
            CoreMetrics.Gauge(label: "customerflow_db_pool_waiters", dimensions: [("database", name)], factory: factory).record(client.waiting)
        }
        if let resident = Self.residentMemoryBytes() { residentMemory.record(resident) }
        if let count = Self.openFileDescriptors() { descriptors.record(count) }
        return registry.emitToString()
    }

    /// Resident set size from `/proc/self/statm` (Linux), in bytes.
    static func residentMemoryBytes() -> Int? {
        guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return nil }
        let fields = text.split(separator: " ")
        guard fields.count > 1, let pages = Int(fields[1]) else { return nil }
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
    }

    /// Entries of `/proc/self/fd` (Linux).
    static func openFileDescriptors() -> Int? {
        try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd").count
    }
}
