import EventBus
import HTTPTypes
import Foundation
import TestSupport
import Testing

@testable import customerflow

/// `GET /metrics`: scraped before and after a scenario, every figure moves by what the scenario did.
@Suite("Metrics")
struct MetricsAPITests {
    /// One sample line of the Prometheus text: name, labels, value.
    struct Sample {
        let name: String
        let labels: [String: String]
        let value: Double
    }

    static func parse(_ text: String) -> [Sample] {
        text.split(separator: "\n").compactMap { line -> Sample? in
            guard !line.hasPrefix("#"), let space = line.lastIndex(of: " "), let value = Double(line[line.index(after: space)...]) else { return nil }
            let series = line[..<space]
            guard let brace = series.firstIndex(of: "{") else { return Sample(name: String(series), labels: [:], value: value) }
            var labels: [String: String] = [:]
            for pair in series[series.index(after: brace)..<series.index(before: series.endIndex)].split(separator: ",") {
                let parts = pair.split(separator: "=", maxSplits: 1)
                guard parts.count == 2 else { continue }
                labels[String(parts[0])] = String(parts[1].dropFirst().dropLast())
            }
            return Sample(name: String(series[..<brace]), labels: labels, value: value)
        }
    }

    /// The sum of the samples named `name` whose labels include `labels` (0 when there are none).
    static func value(_ samples: [Sample], _ name: String, _ labels: [String: String] = [:]) -> Double {
        samples.filter { sample in sample.name == name && labels.allSatisfy { key, value in sample.labels[key] == value } }.map(\.value).reduce(0, +)
    }

    @Test("requests, mediator outcomes, relay, inbox, outbox backlog, pool and process figures move by what a scenario did")
    func scenarioMovesTheFigures() async throws {
        let subscription = Subscription(group: "metrics-test", patterns: ["customer.#"]) { _, _ in }
        try await withApp(.sqlite, file: true, subscriptions: [subscription]) { client in
            let scrape = { () async throws -> [Sample] in
                let response = try await client.send(.get, "/metrics")
                #expect(response.status == .ok)
                #expect(response.headers[.contentType]?.hasPrefix("text/plain; version=0.0.4") == true)
                return Self.parse(response.text)
            }
            let before = try await scrape()
            for index in 0..<3 { _ = try await client.register(APISamples.registration(email: "metrics\(index)@example.com", document: nil)) }
            #expect(try await client.send(.post, "/v1/customers", json: #"{"name": ""}"#).status == .unprocessableContent)
            #expect(try await client.send(.get, "/v1/customers/\(UUID().uuidString.lowercased())").status == .notFound)
            _ = try await client.send(try #require(HTTPRequest.Method("BREW")), "/v1/customers")

            // The relay and the consumer work in the background: wait until they are through.
            var after = try await scrape()
            let deadline = ContinuousClock.now + .seconds(20)
            while ContinuousClock.now < deadline,
                Self.value(after, "customerflow_inbox_messages_total", ["group": "metrics-test", "outcome": "processed"])
                    - Self.value(before, "customerflow_inbox_messages_total", ["group": "metrics-test", "outcome": "processed"]) < 3
            {
                try await Task.sleep(for: .milliseconds(100))
                after = try await scrape()
            }
            let delta = { (name: String, labels: [String: String]) in Self.value(after, name, labels) - Self.value(before, name, labels) }

            let http = "http_server_request_duration_seconds_count"
            #expect(delta(http, ["method": "POST", "route": "/v1/customers", "status_class": "2xx"]) == 3)
            #expect(delta(http, ["method": "POST", "route": "/v1/customers", "status_class": "4xx"]) == 1)
            let lookups = after.filter { $0.name == http && $0.labels["method"] == "GET" && $0.labels["status_class"] == "4xx" }
            #expect(lookups.map(\.value).reduce(0, +) == 1)
            // The route template, never the customer id of the path.
            #expect(lookups.allSatisfy { $0.labels["route"]?.contains("{id}") == true || $0.labels["route"]?.contains(":id") == true }, "\(lookups.map(\.labels))")

            let mediator = "customerflow_mediator_request_duration_seconds_count"
            #expect(delta(mediator, ["request": "RegisterCustomerCommand", "outcome": "success"]) == 3)
            #expect(delta(mediator, ["request": "RegisterCustomerCommand", "outcome": "invalid"]) == 1)
            #expect(delta(mediator, ["request": "GetCustomerQuery", "outcome": "rejected"]) == 1)

            #expect(delta("customerflow_outbox_published_total", [:]) == 3)
            #expect(delta("customerflow_outbox_failed_total", [:]) == 0)
            #expect(delta("customerflow_relay_batch_duration_seconds_count", [:]) >= 1)
            #expect(delta("customerflow_inbox_messages_total", ["group": "metrics-test", "outcome": "processed"]) == 3)
            #expect(Self.value(after, "customerflow_outbox_pending") == 0)
            #expect(Self.value(after, "customerflow_outbox_oldest_pending_age_seconds") == 0)
            #expect(Self.value(after, "customerflow_db_pool_connections", ["database": "primary", "state": "idle"]) > 0)
            #expect(after.contains { $0.name == "customerflow_db_pool_waiters" })
            #expect(Self.value(after, "process_resident_memory_bytes") > 1_000_000)
            #expect(Self.value(after, "process_open_fds") > 0)
            // A method the client made up is counted as `other`: clients cannot add series.
            #expect(!after.contains { $0.labels["method"] == "BREW" })
            #expect(delta(http, ["method": "other"]) == 1)
        }
    }
}
