import CustomerAPI
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Persistence
import Synchronization
import TestSupport
import Testing

@testable import customerflow

/// What a client may send, how often, and what every response says about caching and framing.
@Suite("Limits, CORS and security headers")
struct LimitsAPITests {
    final class ManualClock: Sendable {
        private let seconds = Mutex(1_000.0)
        func advance(_ by: Double) { seconds.withLock { $0 += by } }
        @Sendable func read() -> Double { seconds.withLock { $0 } }
    }

    @Test("a client may send its burst, then gets 429 with Retry-After until the bucket refills; clients are counted apart; health is never limited")
    func rateLimitBurstThenRecovery() async throws {
        let clock = ManualClock()
        let limiter = TokenBucketRateLimiter(.init(requestsPerSecond: 2, burst: 3), now: clock.read)
        let client = try await DatabaseClients.open(.sqliteMemory, logger: .quiet)
        let names = try SchemaNames()
        let migrations = MigrationRunner(client: client, names: names, logger: .quiet)
        var security = RouterSecurity()
        security.rateLimiter = limiter
        security.verifier = await AccessTokenVerifier(.init(hs256Secret: AuthorizationAPITests.secret))
        let router = buildRouter(
            mediator: try makeTestMediator(client: client, names: names),
            idempotency: SQLIdempotencyStore(client: client, names: names),
            readiness: ServiceReadiness(health: DatabaseHealth(client: client, migrations: migrations)),
            clock: FixedClock(),
            security: security)
        @Sendable func token(_ subject: String) async throws -> HTTPFields {
            let token = try await DevelopmentTokenSigner(hs256Secret: AuthorizationAPITests.secret).sign(AccessTokenClaims(
                subject: subject, scopes: ["customers:read"], expiration: Date().addingTimeInterval(600)))
            return [.authorization: "Bearer \(token)"]
        }
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await client.run() }
            defer { group.cancelAll() }
            try await migrations.migrate()
            try await Application(router: router, logger: .quiet).test(.router) { http in
                let alice = try await token("alice")
                for _ in 0..<3 { #expect(try await http.send(.get, "/v1/customers", headers: alice).status == .ok) }
                let limited = try await http.send(.get, "/v1/customers", headers: alice)
                #expect(limited.status == .tooManyRequests)
                #expect(limited.problemSlug == "too-many-requests")
                #expect(limited.headers[.retryAfter] == "1")
                #expect(limited.headers[.contentType] == "application/problem+json")
                // Another caller has a bucket of its own.
                #expect(try await http.send(.get, "/v1/customers", headers: try await token("bob")).status == .ok)
                // Anonymous callers share their address's bucket; once it is spent, probes still pass.
                for _ in 0..<3 { #expect(try await http.send(.get, "/openapi.json").status == .ok) }
                #expect(try await http.send(.get, "/openapi.json").status == .tooManyRequests)
                #expect(try await http.send(.get, "/health/live").status == .ok)
                #expect(try await http.send(.get, "/health/ready").status == .ok)
                // Half a token back: still limited; a whole token: one more request.
                clock.advance(0.25)
                #expect(try await http.send(.get, "/v1/customers", headers: alice).status == .tooManyRequests)
                clock.advance(0.25)
                #expect(try await http.send(.get, "/v1/customers", headers: alice).status == .ok)
                #expect(try await http.send(.get, "/v1/customers", headers: alice).status == .tooManyRequests)
                // A long pause refills the bucket to its burst, not beyond.
                clock.advance(60)
                for _ in 0..<3 { #expect(try await http.send(.get, "/v1/customers", headers: alice).status == .ok) }
                #expect(try await http.send(.get, "/v1/customers", headers: alice).status == .tooManyRequests)

                // Refused tokens spend their sender's budget: guessing is not free.
                clock.advance(60)
                let forged: HTTPFields = [.authorization: "Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl"]
                for _ in 0..<3 { #expect(try await http.send(.get, "/v1/customers", headers: forged).status == .unauthorized) }
                let guessing = try await http.send(.get, "/v1/customers", headers: forged)
                #expect(guessing.status == .tooManyRequests)
                #expect(guessing.headers[.retryAfter] != nil)
            }
            await client.shutdown()
        }
    }

    @Test("the bucket table forgets clients whose buckets refilled, so it cannot grow without bound")
    func limiterSweepsFullBuckets() {
        let clock = ManualClock()
        let limiter = TokenBucketRateLimiter(.init(requestsPerSecond: 10, burst: 10), sweepThreshold: 100, now: clock.read)
        for index in 0..<100 { _ = limiter.acquire(for: "client-\(index)") }
        clock.advance(5)
        // The sweep runs on this call: all 100 earlier buckets are full again and dropped.
        #expect(limiter.acquire(for: "new") == .allowed(remaining: 9))
        #expect(limiter.trackedClients == 1)
    }

    @Test("bodies over limits.maxBodyBytes are 413 naming the limit; JSON nested deeper than 32 levels is 400; nothing is stored")
    func bodyAndNestingLimits() async throws {
        try await withApp(.sqlite, configure: { $0.limits.maxBodyBytes = 2048 }) { client in
            let padding = String(repeating: "x", count: 3000)
            let large = try await client.send(.post, "/v1/customers", json: #"{"name": "\#(padding)", "email": "big@example.com"}"#)
            #expect(large.status == .contentTooLarge)
            #expect(large.problemSlug == "payload-too-large")
            #expect(large.text.contains("2048 bytes"))
            let deep = String(repeating: "[", count: 40) + String(repeating: "]", count: 40)
            let nested = try await client.send(.post, "/v1/customers", json: #"{"name": "Deep", "email": "deep@example.com", "extra": \#(deep)}"#)
            #expect(nested.status == .badRequest)
            #expect(nested.text.contains("32 levels"))
            let page = try await client.send(.get, "/v1/customers")
            #expect((page.object["items"] as? [Any])?.isEmpty == true)
        }
    }

    @Test("every response says nosniff; customer data and admin pages are no-store; the dashboard has a strict CSP and cannot be framed")
    func securityHeaders() async throws {
        try await withApp(.sqlite) { client in
            let list = try await client.send(.get, "/v1/customers")
            #expect(list.headers[.xContentTypeOptions] == "nosniff")
            #expect(list.headers[.cacheControl] == "no-store")
            let missing = try await client.send(.get, "/v1/customers/00000000-0000-7000-8000-000000000000")
            #expect(missing.status == .notFound)
            #expect(missing.headers[.xContentTypeOptions] == "nosniff")
            #expect(missing.headers[.cacheControl] == "no-store")
            let health = try await client.send(.get, "/health/live")
            #expect(health.headers[.xContentTypeOptions] == "nosniff")
            #expect(health.headers[.cacheControl] == nil)
            let unknown = try await client.send(.get, "/nowhere")
            #expect(unknown.status == .notFound)
            #expect(unknown.headers[.xContentTypeOptions] == "nosniff")
            let dashboard = try await client.send(.get, "/admin")
            #expect(dashboard.status == .ok)
            let policy = try #require(dashboard.headers[.contentSecurityPolicy])
            #expect(policy.contains("default-src 'none'") && policy.contains("frame-ancestors 'none'") && !policy.contains("script-src"))
            #expect(dashboard.headers[HTTPField.Name("X-Frame-Options")!] == "DENY")
            #expect(dashboard.headers[.cacheControl] == "no-store")
        }
    }

    @Test("CORS is off by default; configured origins get preflight answers without a token and the allow header; others get nothing")
    func corsPolicy() async throws {
        let preflight: HTTPFields = [.origin: "https://app.example.com", HTTPField.Name("Access-Control-Request-Method")!: "POST"]
        try await withApp(.sqlite) { client in
            let response = try await client.send(.get, "/v1/customers", headers: [.origin: "https://app.example.com"])
            #expect(response.headers[.accessControlAllowOrigin] == nil)
        }
        try await withApp(.sqlite, configure: {
            $0.corsAllowedOrigins = ["https://app.example.com"]
            AuthorizationAPITests.configureAuth(&$0)
        }) { client in
            let answer = try await client.send(.options, "/v1/customers", headers: preflight)
            #expect(answer.status == .noContent)
            #expect(answer.headers[.accessControlAllowOrigin] == "https://app.example.com")
            #expect(answer.headers[.accessControlAllowHeaders]?.contains("Authorization") == true)
            // The actual request still needs its token; the refusal is readable by the page.
            let refused = try await client.send(.get, "/v1/customers", headers: [.origin: "https://app.example.com"])
            #expect(refused.status == .unauthorized)
            #expect(refused.headers[.accessControlAllowOrigin] == "https://app.example.com")
            let stranger = try await client.send(.get, "/health/live", headers: [.origin: "https://evil.example.com"])
            #expect(stranger.headers[.accessControlAllowOrigin] == nil)
        }
    }

    @Test("a client that sends its request too slowly is cut off; too many header fields end the request")
    func slowClientsAndHeaderFloods() async throws {
        try await withApp(.sqlite, configure: {
            $0.limits.readTimeout = .seconds(1)
            $0.limits.maxHeaderCount = 20
        }, live: true) { client in
            let port = try #require(client.port)
            // Slowloris: a header line every 300 ms never completes the request within 1 s.
            let slow = try RawHTTPConnection(port: port)
            slow.send("GET /health/live HTTP/1.1\r\nHost: localhost\r\n")
            var stillOpen = true
            for index in 0..<10 where stillOpen {
                try await Task.sleep(for: .milliseconds(300))
                stillOpen = slow.send("X-Slow-\(index): 1\r\n")
            }
            let cut = await slow.receive(timeout: 2)
            #expect(cut.closed, "the slow connection was not closed")
            #expect(!cut.text.contains("200 OK"))

            // A whole request in time is served.
            let prompt = try RawHTTPConnection(port: port)
            prompt.send("GET /health/live HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
            #expect(await prompt.receive(timeout: 10).text.hasPrefix("HTTP/1.1 200"))

            // Keep-alive: once answered, an idle connection is closed after the same time.
            let idle = try RawHTTPConnection(port: port)
            idle.send("GET /health/live HTTP/1.1\r\nHost: localhost\r\n\r\n")
            let kept = await idle.receive(timeout: 3)
            #expect(kept.text.hasPrefix("HTTP/1.1 200"))
            #expect(kept.closed, "an idle keep-alive connection stayed open")

            let flood = try RawHTTPConnection(port: port)
            flood.send("GET /health/live HTTP/1.1\r\nHost: localhost\r\n" + (0..<50).map { "X-Flood-\($0): 1\r\n" }.joined() + "\r\n")
            let flooded = await flood.receive(timeout: 2)
            #expect(!flooded.text.contains("200 OK"), "\(flooded.text)")
        }
    }

    @Test("an early answer (401 before the body arrived) does not switch the read timeout off")
    func earlyAnswerKeepsTheTimeout() async throws {
        try await withApp(.sqlite, configure: {
            $0.limits.readTimeout = .seconds(1)
            AuthorizationAPITests.configureAuth(&$0)
        }, live: true) { client in
            let port = try #require(client.port)
            let connection = try RawHTTPConnection(port: port)
            // No token: the answer comes before the body, which then arrives whole; the client
            // then sends the next request's head one line at a time.
            connection.send("POST /v1/customers HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 20\r\n\r\n{\"name\": ")
            try await Task.sleep(for: .milliseconds(300))
            connection.send("\"Slow\"}  ")
            var open = true
            for index in 0..<12 where open {
                try await Task.sleep(for: .milliseconds(300))
                open = connection.send(index == 0 ? "GET /health/live HTTP/1.1\r\n" : "X-Slow-\(index): 1\r\n")
            }
            let answer = await connection.receive(timeout: 2)
            #expect(answer.text.hasPrefix("HTTP/1.1 401"), "\(answer.text.prefix(80))")
            #expect(answer.closed, "the slow follower request was not cut off")
            #expect(!answer.text.contains("200 OK"))
        }
    }
}
