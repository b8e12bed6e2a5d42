import CustomerAPI
import EventBus
import Foundation
import Persistence

/// Readiness from every component: the database, the replica and the schema (required), the
/// broker and the relay's lag (not required: writes go on into the outbox while the broker is
/// away, so those make the service `degraded`, not unready).
struct ServiceReadiness: ReadinessCheck {
    let health: DatabaseHealth
    let transport: (any Transport)?
    let outbox: (any OutboxStore)?
    /// Oldest pending event older than this: the relay is lagging.
    let maxLag: Duration
    /// How long the broker probe may take.
    let timeout: Duration

    init(
        health: DatabaseHealth, transport: (any Transport)? = nil, outbox: (any OutboxStore)? = nil, maxLag: Duration = .seconds(60),
        timeout: Duration = .seconds(2)
    ) {
        self.health = health
        self.transport = transport
        self.outbox = outbox
        self.maxLag = maxLag
        self.timeout = timeout
    }

    func report() async -> ReadinessReport {
        async let database = health.check()
        async let broker = brokerHealth()
        let parts = await database
        var components = parts.map { ($0.name, ComponentHealth($0.up ? .up : .down, required: true, detail: $0.detail)) }
        if let broker = await broker { components.append(("broker", broker)) }
        if let outbox, parts.allSatisfy(\.up) { components.append(("relay", await lagHealth(outbox))) }
        return ReadinessReport(components: components)
    }

    private func brokerHealth() async -> ComponentHealth? {
        guard let transport else { return nil }
        do {
            try await Self.within(timeout) { try await transport.checkConnection() }
            return ComponentHealth(.up, required: false)
        } catch {
            return ComponentHealth(.down, required: false, detail: "\(error)")
        }
    }

    private func lagHealth(_ outbox: any OutboxStore) async -> ComponentHealth {
        let bound = Double(maxLag.components.seconds)
        guard let stats = try? await Self.within(timeout, { try await outbox.backlog(now: Date()) }) else {
            return ComponentHealth(.degraded, required: false, detail: "the outbox statistics could not be read", values: ["maxLagSeconds": bound])
        }
        let age = stats.oldestPendingAgeSeconds ?? 0
        let values = ["oldestPendingAgeSeconds": age, "maxLagSeconds": bound, "pending": Double(stats.pending), "failed": Double(stats.failed)]
        if age > bound {
            return ComponentHealth(.degraded, required: false, detail: "the oldest pending event waits for \(Int(age)) s", values: values)
        }
        return ComponentHealth(.up, required: false, values: values)
    }

    /// `body`'s result, or ``ProbeDeadline/Exceeded`` after `timeout`.
    static func within<T: Sendable>(_ timeout: Duration, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
        try await ProbeDeadline.run(within: timeout, body)
    }
}
