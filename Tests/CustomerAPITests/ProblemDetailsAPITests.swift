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

    @Test("a known path with a method it does not serve is a 405 problem with Allow; an unknown path is a 404 whatever the method")
    func methodNotAllowed() async throws {
        try await withApp(.sqlite) { client in
            let id = try #require(try await client.register()["id"] as? String)
            let cases: [(String, String, String)] = [
                ("PUT", "/v1/customers", "GET, HEAD, POST"),
                ("TRACE", "/v1/customers/\(id)", "DELETE, GET, HEAD, PATCH"),
                ("QUERY", "/v1/customers/\(id)/history", "GET, HEAD"),
                ("POST", "/health/live", "GET, HEAD"),
                ("DELETE", "/openapi.json", "GET, HEAD"),
            ]
            for (methodName, path, allow) in cases {
                let method = try #require(HTTPRequest.Method(methodName))
                let response = try await client.send(method, path)
                #expect(response.status == .methodNotAllowed, "\(methodName) \(path): \(response.status)")
                #expect(response.headers[.allow] == allow, "\(methodName) \(path)")
                #expect(response.headers[.contentType] == "application/problem+json")
                #expect(response.problemSlug == "method-not-allowed")
                #expect(response.object["status"] as? Int == 405)
            }
            for methodName in ["GET", "TRACE", "QUERY", "PUT"] {
                let response = try await client.send(try #require(HTTPRequest.Method(methodName)), "/v1/nothing/here")
                #expect(response.status == .notFound, "\(methodName)")
                #expect(response.headers[.contentType] == "application/problem+json")
            }
            // The refused methods changed nothing.
            let customer = try await client.send(.get, "/v1/customers/\(id)")
            #expect(customer.status == .ok)
            #expect(customer.object["version"] as? Int == 1)
        }
    }

    @Test("HEAD is served wherever GET is: the same status and headers, no body")
    func headFollowsGet() async throws {
        try await withApp(.sqlite) { client in
            let id = try #require(try await client.register()["id"] as? String)
            let get = try await client.send(.get, "/v1/customers/\(id)")
            let head = try await client.send(.head, "/v1/customers/\(id)")
            #expect(head.status == .ok)
            #expect(head.headers[.eTag] == get.headers[.eTag])
            #expect(head.body.readableBytes == 0)
            #expect(try await client.send(.head, "/v1/customers/\(UUID().uuidString.lowercased())").status == .notFound)
        }
    }

    @Test("TRACE and QUERY over a real connection are answered 405 as problem+json, never 501")
    func unusualMethodsOverTheWire() async throws {
        try await withApp(.sqlite, live: true) { client in
            let port = try #require(client.port)
            // Every request asks the server to close: an answer ends at the close, so the generous
            // receive timeout only matters on a machine too loaded to answer in a couple of seconds.
            for method in ["TRACE", "QUERY", "PROPFIND"] {
                let connection = try RawHTTPConnection(port: port)
                connection.send("\(method) /v1/customers HTTP/1.1\r\nHost: localhost\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                let answer = await connection.receive(timeout: 10).text
                #expect(answer.hasPrefix("HTTP/1.1 405"), "\(method): \(answer.prefix(200))")
                #expect(answer.lowercased().contains("content-type: application/problem+json"), "\(method)")
                #expect(answer.lowercased().contains("allow: get, head, post"), "\(method)")
            }
            // A HEAD that fails answers without a body, so the next request on the connection is read right.
            let connection = try RawHTTPConnection(port: port)
            connection.send(
                "HEAD /v1/customers/\(UUID().uuidString.lowercased()) HTTP/1.1\r\nHost: localhost\r\n\r\n"
                    + "GET /health/live HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
            let answers = await connection.receive(timeout: 10).text
            #expect(answers.hasPrefix("HTTP/1.1 404"), "\(answers.prefix(300))")
            #expect(answers.components(separatedBy: "HTTP/1.1 ").count == 3, "\(answers)")
            #expect(answers.contains("HTTP/1.1 200"), "\(answers)")
            #expect(!answers.contains("\"type\""), "the HEAD answer carried a body: \(answers)")
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
