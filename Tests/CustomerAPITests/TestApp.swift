import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Persistence
import EventBus
import TestSupport
import Testing

@testable import customerflow

/// Runs `body` against the real application, built by `buildApplication` exactly as `serve` does,
/// on a fresh schema of `database`.
func withApp(
    _ database: TestDatabase,
    file: Bool = false,
    configure: (inout CustomerFlowConfiguration) -> Void = { _ in },
    transport: (any Transport)? = nil,
    subscriptions: [Subscription] = [],
    logger: Logger = .quiet,
    live: Bool = false,
    telemetry: Telemetry? = nil,
    _ body: @Sendable (any TestClientProtocol) async throws -> Void
) async throws {
    var configuration = CustomerFlowConfiguration(
        host: "127.0.0.1",
        port: 0,
        databaseURL: try database.url(file: file),
        databasePoolSize: 10,
        tablePrefix: TestDatabase.uniquePrefix(),
        eventSource: "/customerflow-test",
        cursorSecret: "test-secret",
        logLevel: .error
    )
    configuration.eventBus.pollInterval = .milliseconds(100)
    configure(&configuration)
    let app = try await buildApplication(configuration, logger: logger, transport: transport, subscriptions: subscriptions, telemetry: telemetry)
    // `.live` serves on a real socket (for a browser); `.router` calls the router directly.
    try await app.test(live ? .live : .router, body)
}

extension TestClientProtocol {
    /// Sends a JSON body (or raw text) with the given content type.
    func send(
        _ method: HTTPRequest.Method,
        _ uri: String,
        json: String? = nil,
        contentType: String = "application/json",
        headers extra: HTTPFields = [:]
    ) async throws -> TestResponse {
        var headers = extra
        if json != nil, headers[.contentType] == nil { headers[.contentType] = contentType }
        return try await execute(uri: uri, method: method, headers: headers, body: json.map { ByteBuffer(string: $0) })
    }

    /// Registers a customer and returns its JSON.
    func register(_ json: String = APISamples.registration()) async throws -> [String: Any] {
        let response = try await send(.post, "/v1/customers", json: json)
        #expect(response.status == .created, "registration failed: \(String(buffer: response.body))")
        return response.object
    }
}

extension TestResponse {
    /// The body as a JSON object (empty when it is not one).
    var object: [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(body.readableBytesView))) as? [String: Any] ?? [:]
    }

    var text: String { String(buffer: body) }

    /// The problem `type` slug (after `urn:customerflow:problem:`).
    var problemSlug: String? {
        (object["type"] as? String)?.components(separatedBy: ":").last
    }

    var problemCode: String? { object["code"] as? String }

    /// The `field` of every validation failure.
    var failedFields: [String] {
        (object["errors"] as? [[String: Any]] ?? []).compactMap { $0["field"] as? String }
    }
}

enum APISamples {
    static let cpf = "529.982.247-25"

    static func address(city: String = "São Paulo", primary: Bool? = nil) -> String {
        let flag = primary.map { ", \"primary\": \($0)" } ?? ""
        return """
            {"label": "home", "street": "Avenida Paulista", "number": "1000", "city": "\(city)", "state": "SP",
             "postalCode": "01310-100", "country": "br"\(flag)}
            """
    }

    static func registration(
        name: String = "Ana Souza", email: String = "ana@example.com", document: String? = cpf, addresses: [String]? = nil
    ) -> String {
        let documentJSON = document.map { #"{"type": "cpf", "number": "\#($0)"}"# } ?? "null"
        return """
        {"name": "\(name)", "email": "\(email)", "phone": "+55 (11) 98765-4321",
         "document": \(documentJSON), "birthDate": "1990-05-17",
         "addresses": [\((addresses ?? [address()]).joined(separator: ","))]}
        """
    }
}
