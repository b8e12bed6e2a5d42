import EventBus
import Foundation
import TestSupport
import Testing

@testable import customerflow

/// The Grafana dashboard and the Prometheus alerts in deploy/ query what the service exports: a
/// renamed metric or label fails here instead of leaving an empty panel or an alert that never fires.
@Suite("Deployed dashboard and alert queries")
struct DeployedQueriesTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Every PromQL expression of the dashboard and the alert rules.
    static func expressions() throws -> [String] {
        let dashboard = try JSONSerialization.jsonObject(with: Data(contentsOf: root.appendingPathComponent("deploy/grafana/dashboards/customerflow.json"))) as? [String: Any]
        let panels = dashboard?["panels"] as? [[String: Any]] ?? []
        var expressions = panels.flatMap { ($0["targets"] as? [[String: Any]] ?? []).compactMap { $0["expr"] as? String } }
        let alerts = try String(contentsOf: root.appendingPathComponent("deploy/prometheus/alerts.yml"), encoding: .utf8)
        expressions += alerts.split(separator: "\n").compactMap { line in
            line.firstMatch(of: /^\s+expr: (.+)$/).map { String($0.1) }
        }
        return expressions
    }

    /// Metrics seen only after failures (a webhook endpoint refusing, a circuit opening): checked
    /// against the names the sources declare instead of a scrape.
    static let onlyAfterFailures: Set<String> = ["customerflow_webhook_deliveries_total", "customerflow_resilience_events_total"]

    @Test("every metric and label the Grafana dashboard and the alerts query is one a running service exports")
    func queriesNameExportedMetrics() async throws {
        let expressions = try Self.expressions()
        try #require(expressions.count >= 10, "\(expressions)")
        let subscription = Subscription(group: "dashboard-test", patterns: ["customer.#"]) { _, _ in }
        try await withApp(.sqlite, file: true, subscriptions: [subscription]) { client in
            for index in 0..<2 { _ = try await client.register(APISamples.registration(email: "dashboard\(index)@example.com", document: nil)) }
            _ = try await client.send(.get, "/v1/customers/\(UUID().uuidString.lowercased())")
            var samples = MetricsAPITests.parse(try await client.send(.get, "/metrics").text)
            let deadline = ContinuousClock.now + .seconds(20)
            while ContinuousClock.now < deadline, MetricsAPITests.value(samples, "customerflow_inbox_messages_total", ["group": "dashboard-test"]) < 2 {
                try await Task.sleep(for: .milliseconds(100))
                samples = MetricsAPITests.parse(try await client.send(.get, "/metrics").text)
            }
            let exported = Set(samples.map(\.name))
            for expression in expressions {
                let metrics = Set(expression.matches(of: /\b(?:customerflow|http_server|process)_[a-z_]+\b/).map { String($0.0) })
                // Prometheus's own `up` of the scrape job prometheus.yml names is the one other series.
                if metrics.isEmpty, expression.contains(#"up{job="customerflow"}"#) { continue }
                #expect(!metrics.isEmpty, "\(expression) queries none of the service's metrics")
                for metric in metrics where !Self.onlyAfterFailures.contains(metric) {
                    #expect(exported.contains(metric), "\(expression): the service exports no \(metric)")
                }
                // Labels in `by (…)` and in matchers exist on the metrics they group or select.
                var labels = Set(expression.matches(of: /by \(([a-z_, ]+)\)/).flatMap { $0.1.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } })
                labels.formUnion(expression.matches(of: /([a-z_]+)=~?"/).map { String($0.1) })
                labels.subtract(["le", "instance", "job"])
                let scraped = metrics.subtracting(Self.onlyAfterFailures)
                for label in labels where !scraped.isEmpty {
                    #expect(samples.contains { scraped.contains($0.name) && $0.labels[label] != nil }, "\(expression): no sample of \(scraped.sorted()) has the label \(label)")
                }
            }
        }
        // The two seen only after failures are declared under those names.
        let sources = try FileManager.default.subpathsOfDirectory(atPath: Self.root.appendingPathComponent("Sources").path)
            .filter { $0.hasSuffix(".swift") }
            .map { try String(contentsOf: Self.root.appendingPathComponent("Sources").appendingPathComponent($0), encoding: .utf8) }
            .joined()
        for metric in Self.onlyAfterFailures {
            #expect(sources.contains("label: \"\(metric)\""), "no source declares \(metric)")
        }
    }
}
