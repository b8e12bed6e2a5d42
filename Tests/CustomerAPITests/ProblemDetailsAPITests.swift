import CustomerApplication
import CustomerDomain
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Mediator
import NIOCore
import TestSupport
import Testing

@testable import customerflow

@Suite("Errors as problem details")
struct ProblemDetailsAPITests {
    @Test("bad JSON is 400, a wrong media type 415, a body over 64 KiB 413, all as problem+json")
    func bodyErrors() async throws {
        try await withApp(.sqlite) { client in
            let malformed = try await client.send(.post, "/v1/customers", json: "{\"name\": ")
            #expect(malformed.status == .badRequest)
            #expect(malformed.headers[.contentType] == "application/problem+json")
            #expect(malformed.problemSlug == "malformed-request")

            let text = try await client.send(.post, "/v1/customers", json: APISamples.registration(), contentType: "text/plain")
            #expect(text.status == .unsupportedMediaType)
            #expect(text.problemSlug == "unsupported-media-type")

            let noType = try await client.execute(uri: "/v1/customers", method: .post, body: ByteBuffer(string: APISamples.registration()))
            #expect(noType.status == .unsupportedMediaType)

            let huge = "{\"name\": \"" + String(repeating: "a", count: 70 * 1024) + "\"}"
            let tooLarge = try await client.send(.post, "/v1/customers", json: huge)
            #expect(tooLarge.status == .contentTooLarge)
            #expect(tooLarge.problemSlug == "payload-too-large")

            let notObject = try await client.send(.post, "/v1/customers", json: "[1, 2]")
            #expect(notObject.status == .unprocessableContent)
            #expect(notObject.failedFields.contains("body"))

            let list = try await client.send(.get, "/v1/customers")
            #expect((list.object["items"] as? [Any])?.isEmpty == true)
        }
    }

    @Test("an unknown route is a 404 problem")
    func unknownRoute() async throws {
        try await withApp(.sqlite) { client in
            let response = try await client.send(.get, "/v2/nothing")
            #expect(response.status == .notFound)
            #expect(response.headers[.contentType] == "application/problem+json")
            let problem = response.object
            for key in ["type", "title", "status", "detail", "instance"] {
                #expect(problem[key] != nil, "\(key) missing")
            }
            #expect(problem["status"] as? Int == 404)
        }
    }

    @Test("an unexpected failure is a 500 problem that leaks nothing")
    func internalErrorsLeakNothing() async throws {
        struct SecretFailure: Error, CustomStringConvertible {
            var description: String { "connection string postgres://admin:hunter2@db" }
        }
        struct FailingGet: RequestHandler {
            func handle(_ request: GetCustomerQuery, context: MediatorContext) async throws -> CustomerDetails {
                throw SecretFailure()
            }
        }
        struct NoIdempotency: IdempotencyStore {
            func find(scope: String, key: String, now: Date) async throws -> IdempotencyRecord? { nil }
        }
        struct AlwaysReady: CustomerAPI.ReadinessCheck {
            func report() async -> ReadinessReport { ReadinessReport(components: []) }
        }
        var builder = MediatorBuilder()
        builder.register(FailingGet())
        let router = buildRouter(mediator: try builder.build(), idempotency: NoIdempotency(), readiness: AlwaysReady(), clock: FixedClock())
        let app = Application(router: router, logger: .quiet)
        try await app.test(.router) { client in
            let response = try await client.send(.get, "/v1/customers/01930000-0000-7000-8000-000000000000")
            #expect(response.status == .internalServerError)
            #expect(response.problemSlug == "internal")
            #expect(!response.text.contains("hunter2"))
            #expect(!response.text.contains("SecretFailure"))
        }
    }
}

import CustomerAPI
