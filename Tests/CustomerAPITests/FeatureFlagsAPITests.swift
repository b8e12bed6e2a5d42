import Foundation
import FeatureFlags
import HTTPTypes
import Logging
import TestSupport
import Testing

@testable import customerflow

/// Feature flags over HTTP: gates answer 404 `feature-disabled` and change nothing; the file is
/// re-read while serving.
@Suite("Feature flags")
struct FeatureFlagsAPITests {
    @Test("with customers.erasure and customers.history off, erasure and history answer 404 feature-disabled and nothing changes")
    func disabledFeaturesAnswerNotFound() async throws {
        try await withApp(.sqlite, configure: {
            $0.featureFlags["customers.erasure"] = .fixed(false)
            $0.featureFlags["customers.history"] = .fixed(false)
        }) { client in
            let id = try #require(try await client.register()["id"] as? String)
            for (method, path) in [(HTTPRequest.Method.delete, "/v1/customers/\(id)"), (.get, "/v1/customers/\(id)/history")] {
                let response = try await client.send(method, path)
                #expect(response.status == .notFound)
                #expect(response.headers[.contentType] == "application/problem+json")
                #expect(response.problemSlug == "feature-disabled")
            }
            let customer = try await client.send(.get, "/v1/customers/\(id)")
            #expect(customer.status == .ok)
            #expect(customer.object["version"] as? Int == 1)

            let features = try await client.send(.get, "/admin/features")
            #expect(features.status == .ok)
            try OpenAPIShapes.expect(features.object, matches: "FeatureList")
            let flags = try #require(features.object["flags"] as? [[String: Any]])
            let byName = Dictionary(uniqueKeysWithValues: flags.compactMap { flag in (flag["name"] as? String).map { ($0, flag) } })
            #expect(byName["customers.erasure"]?["enabled"] as? Bool == false)
            #expect(byName["customers.history"]?["definition"] as? Bool == false)
            #expect(byName["webhooks"]?["enabled"] as? Bool == true)
        }
    }

    @Test("/admin/features evaluates targeting for the caller given in the query")
    func featuresPreviewForACaller() async throws {
        try await withApp(.sqlite, configure: {
            $0.featureFlags["beta.search"] = .filtered(.any, [.targeting(FeatureTargeting(users: ["ana"], excludedGroups: ["banned"]))])
        }) { client async throws in
            func enabled(_ query: String) async throws -> Bool? {
                let flags = try await client.send(.get, "/admin/features\(query)").object["flags"] as? [[String: Any]] ?? []
                return flags.first { $0["name"] as? String == "beta.search" }?["enabled"] as? Bool
            }
            #expect(try await enabled("") == false)
            #expect(try await enabled("?user=ana") == true)
            #expect(try await enabled("?user=ana&groups=staff,banned") == false)
        }
    }

    @Test("changing the configuration file switches a route from 404 to 200 within 5 s, without a restart")
    func fileIsReloadedWhileServing() async throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("cf-flags-\(UUID().uuidString).json").path
        defer { try? FileManager.default.removeItem(atPath: file) }
        try Data(#"{"featureFlags": {"customers.history": false}}"#.utf8).write(to: URL(fileURLWithPath: file))
        let source = try await CustomerFlowConfiguration.source(flags: [:], configFile: file)
        let flags = try source.featureFlags()
        #expect(flags["customers.history"] == .fixed(false))
        let output = LogOutput()
        var logger = Logger(label: "customerflow") { label in LogLineHandler(label: label, level: .info, format: .json, output: output) }
        logger.logLevel = .info
        try await withApp(.sqlite, configure: {
            $0.featureFlags = flags
            $0.source = source
        }, logger: logger) { client in
            let id = try #require(try await client.register()["id"] as? String)
            #expect(try await client.send(.get, "/v1/customers/\(id)/history").status == .notFound)

            // A file that no longer parses changes nothing.
            try Data(#"{"featureFlags": {"customers.history": "#.utf8).write(to: URL(fileURLWithPath: file))
            try await Task.sleep(for: .seconds(1.5))
            #expect(try await client.send(.get, "/v1/customers/\(id)/history").status == .notFound)
            #expect(output.lines.contains { $0.contains("the configuration file no longer parses") })

            try Data(#"{"featureFlags": {"customers.history": {"requirement": "any", "filters": {"percentage": {"value": 100}}}}}"#.utf8)
                .write(to: URL(fileURLWithPath: file))
            let changed = ContinuousClock.now
            var status = try await client.send(.get, "/v1/customers/\(id)/history").status
            while status != .ok, ContinuousClock.now - changed < .seconds(5) {
                try await Task.sleep(for: .milliseconds(100))
                status = try await client.send(.get, "/v1/customers/\(id)/history").status
            }
            #expect(status == .ok, "still \(status) 5 s after the file changed")
        }
    }
}
