import Foundation
import HTTPTypes
import HummingbirdTesting
import TestSupport
import Testing

@testable import customerflow

/// `/admin`: the operator's page, as HTML, and in a real browser.
@Suite("Dashboard", .serialized)
struct DashboardTests {
    /// Registers a customer whose event the transport refuses until it fails; returns the customer
    /// and event ids.
    private func failedEvent(_ client: any TestClientProtocol) async throws -> (customer: String, event: String) {
        let customer = try #require(try await client.register()["id"] as? String)
        try await AdminAPITests.eventually("the event fails") {
            try await client.send(.get, "/admin/outbox/stats").object["failed"] as? Int == 1
        }
        let failed = try await client.send(.get, "/admin/outbox?status=failed").object["items"] as? [[String: Any]] ?? []
        return (customer, try #require(failed.first?["id"] as? String))
    }

    @Test("the page shows the counts and the failed event with its error; search finds by customer id and by type; retry answers 303")
    func pageSearchAndRetry() async throws {
        let transport = RefusingTransport()
        try await withApp(.sqlite, file: true, configure: { $0.eventBus.maxAttempts = 1 }, transport: transport) { client in
            let (customer, event) = try await failedEvent(client)
            let page = try await client.send(.get, "/admin")
            #expect(page.status == .ok)
            #expect(page.headers[.contentType] == "text/html; charset=utf-8")
            #expect(page.text.contains(#"<meta http-equiv="refresh" content="10">"#))
            #expect(page.text.contains(#"<b id="outbox-failed">1</b>"#))
            #expect(page.text.contains(#"data-id="\#(event)""#))
            #expect(page.text.contains("refused for the test"))
            #expect(page.text.contains(#"action="/admin/dashboard/outbox/\#(event)/retry""#))
            #expect(!page.text.contains("<script"), "the page works without JavaScript")

            let byCustomer = try await client.send(.get, "/admin?q=\(customer)")
            #expect(byCustomer.text.contains(#"<table id="results">"#) && byCustomer.text.contains(event))
            let byType = try await client.send(.get, "/admin?q=customer.registered.v1")
            #expect(byType.text.contains(event))
            let nothing = try await client.send(.get, "/admin?q=customer.nothing.v9")
            #expect(nothing.text.contains("Nothing found."))
            // Search text comes back escaped.
            #expect(try await client.send(.get, "/admin?q=%3Cb%3Ex").text.contains("&lt;b&gt;x"))

            // A form posted from another site is refused, and changes nothing.
            let crossSite = try await client.send(.post, "/admin/dashboard/outbox/\(event)/retry", headers: [HTTPField.Name("Sec-Fetch-Site")!: "cross-site"])
            #expect(crossSite.status == .badRequest)
            let otherOrigin = try await client.send(
                .post, "/admin/dashboard/outbox/\(event)/retry", headers: [HTTPField.Name("Origin")!: "https://evil.example"])
            #expect(otherOrigin.status == .badRequest)
            #expect(try await client.send(.get, "/admin/outbox/stats").object["failed"] as? Int == 1)

            transport.refusing.store(false, ordering: .relaxed)
            let retried = try await client.send(.post, "/admin/dashboard/outbox/\(event)/retry")
            #expect(retried.status == .seeOther)
            #expect(retried.headers[.location] == "/admin")
            try await AdminAPITests.eventually("the event is published") {
                try await client.send(.get, "/admin/outbox/stats").object["published"] as? Int == 1
            }
            let dashboard = try await client.send(.get, "/admin").text
            #expect(dashboard.contains(#"<b id="outbox-failed">0</b>"#))
            // The publish rate over the last minutes: ten rows, the retried event in the last one.
            let rate = try #require(dashboard.components(separatedBy: #"<table id="publish-rate""#).last?.components(separatedBy: "</table>").first)
            #expect(rate.components(separatedBy: "<tr><td>").count - 1 == 10)
            #expect(rate.contains("<tr><td>last minute</td><td>1</td>"))
            #expect(try await client.send(.post, "/admin/dashboard/inbox/abc/retry").status == .badRequest)
        }
    }

    static var chromium: String? {
        let environment = ProcessInfo.processInfo.environment
        if let path = environment["CUSTOMERFLOW_TEST_CHROMIUM"] { return path }
        let required = (environment["CUSTOMERFLOW_TEST_REQUIRE"] ?? "").split(separator: ",").contains("chromium")
        return required ? "/usr/bin/chromium" : nil
    }

    /// The repository, from this file's path.
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test(
        "in headless Chromium with JavaScript off: the failed event is listed, Retry takes it off the list; a screenshot is kept",
        .enabled(if: chromium != nil, "needs Chromium (scripts/test installs it and sets CUSTOMERFLOW_TEST_CHROMIUM)")
    )
    func retryInABrowser() async throws {
        let chromium = try #require(Self.chromium)
        let transport = RefusingTransport()
        try await withApp(.sqlite, file: true, configure: { $0.eventBus.maxAttempts = 1 }, transport: transport, live: true) { client in
            let (_, event) = try await failedEvent(client)
            transport.refusing.store(false, ordering: .relaxed)
            let port = try #require(client.port)
            let screenshot = Self.repository.appendingPathComponent(".build/artifacts/dashboard.png").path
            try? FileManager.default.removeItem(atPath: screenshot)
            let log = FileManager.default.temporaryDirectory.appendingPathComponent("cf-browser-\(UUID().uuidString).log").path
            let browser = try ChildProcess.spawn(
                "/usr/bin/python3",
                [
                    Self.repository.appendingPathComponent("scripts/browser/dashboard-check.py").path, "--chromium", chromium,
                    "--url", "http://127.0.0.1:\(port)/admin", "--event", event, "--screenshot", screenshot,
                ],
                environment: ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "", "HOME": FileManager.default.temporaryDirectory.path],
                output: log
            )
            let status = await browser.wait()
            let output = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
            #expect(status == .exited(0), "\(output)")
            #expect(output.contains(#""failedEventGone": true"#) && output.contains(#""failedCountAfter": "0""#), "\(output)")
            #expect(FileManager.default.fileExists(atPath: screenshot))
        }
    }
}
