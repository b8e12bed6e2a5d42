import CustomerAPI
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import TestSupport
import Testing

@testable import customerflow

/// Every route against every kind of caller: no token, a broken token, each scope alone.
@Suite("Authentication and authorization")
struct AuthorizationAPITests {
    static let secret = "test-hs256-secret-with-at-least-32-bytes"
    static let issuer = "https://issuer.customerflow.test"
    static let audience = "customerflow"

    /// The scope each documented route needs; `nil`: public. Written out by hand, so that the
    /// policy is checked against this table rather than against itself.
    static let requiredScope: [String: AccessScope?] = [
        "GET /health/live": nil, "GET /health/ready": nil, "GET /metrics": nil, "GET /openapi.json": nil,
        "POST /v1/customers": .customersWrite, "GET /v1/customers": .customersRead,
        "GET /v1/customers/{id}": .customersRead, "PATCH /v1/customers/{id}": .customersWrite,
        "DELETE /v1/customers/{id}": .customersErase, "GET /v1/customers/{id}/export": .customersErase,
        "POST /v1/customers/{id}/addresses": .customersWrite, "PUT /v1/customers/{id}/addresses/{addressId}": .customersWrite,
        "DELETE /v1/customers/{id}/addresses/{addressId}": .customersWrite,
        "POST /v1/customers/{id}/deactivate": .customersWrite, "POST /v1/customers/{id}/reactivate": .customersWrite,
        "PUT /v1/customers/{id}/email": .customersWrite, "GET /v1/customers/{id}/history": .customersRead,
        "GET /admin/login": nil, "POST /admin/login": nil, "POST /admin/logout": nil,
        "GET /admin": .admin, "GET /admin/features": .admin,
        "GET /admin/outbox": .admin, "GET /admin/outbox/stats": .admin, "POST /admin/outbox/retry-failed": .admin,
        "POST /admin/outbox/{id}/retry": .admin, "POST /admin/dashboard/outbox/{id}/retry": .admin,
        "GET /admin/inbox": .admin, "GET /admin/inbox/stats": .admin, "POST /admin/inbox/retry-failed": .admin,
        "POST /admin/inbox/{id}/retry": .admin, "POST /admin/dashboard/inbox/{id}/retry": .admin,
        "GET /admin/webhooks": .admin, "POST /admin/webhooks": .admin, "GET /admin/webhooks/{id}": .admin,
        "DELETE /admin/webhooks/{id}": .admin, "GET /admin/webhooks/{id}/deliveries": .admin,
        "POST /admin/webhooks/deliveries/{seq}/retry": .admin, "POST /admin/dashboard/webhooks/{seq}/retry": .admin,
    ]

    enum Caller: CustomStringConvertible, CaseIterable {
        case anonymous, expired, wrongAudience, wrongIssuer, wrongSignature, notYetValid
        case scope(AccessScope)

        static var allCases: [Caller] {
            [.anonymous, .expired, .wrongAudience, .wrongIssuer, .wrongSignature, .notYetValid] + AccessScope.allCases.map { .scope($0) }
        }

        var description: String {
            switch self {
            case .anonymous: "no token"
            case .expired: "expired"
            case .wrongAudience: "wrong audience"
            case .wrongIssuer: "wrong issuer"
            case .wrongSignature: "wrong signature"
            case .notYetValid: "not yet valid"
            case .scope(let scope): scope.rawValue
            }
        }
    }

    static func token(_ caller: Caller, subject: String = "alice") async throws -> String? {
        let now = Date()
        var claims = AccessTokenClaims(
            subject: subject, scopes: AccessScope.allCases.map(\.rawValue), issuer: issuer, audience: [audience],
            expiration: now.addingTimeInterval(600), notBefore: now)
        var key = secret
        switch caller {
        case .anonymous: return nil
        // Beyond the 60 s clock skew.
        case .expired: claims = AccessTokenClaims(subject: subject, scopes: ["customers:read"], issuer: issuer, audience: [audience], expiration: now.addingTimeInterval(-120))
        case .notYetValid:
            claims = AccessTokenClaims(
                subject: subject, scopes: ["customers:read"], issuer: issuer, audience: [audience],
                expiration: now.addingTimeInterval(600), notBefore: now.addingTimeInterval(300))
        case .wrongAudience: claims.audience = .init(value: ["another-service"])
        case .wrongIssuer: claims.issuer = .init(value: "https://impostor.test")
        case .wrongSignature: key = "another-secret-that-is-32-bytes-long!!"
        case .scope(let scope): claims.scope = scope.rawValue
        }
        return try await DevelopmentTokenSigner(hs256Secret: key).sign(claims)
    }

    static func configureAuth(_ configuration: inout CustomerFlowConfiguration) {
        configuration.auth.hs256Secret = secret
        configuration.auth.issuer = issuer
        configuration.auth.audience = audience
    }

    static func bearer(_ token: String?) -> HTTPFields {
        token.map { [.authorization: "Bearer \($0)"] } ?? [:]
    }

    @Test("the table names every documented route")
    func tableCoversEveryRoute() {
        var documented: Set<String> = []
        for (path, item) in OpenAPIShapes.document["paths"] as? [String: Any] ?? [:] {
            for method in (item as? [String: Any] ?? [:]).keys where method != "parameters" {
                documented.insert("\(method.uppercased()) \(path)")
            }
        }
        #expect(documented == Set(Self.requiredScope.keys))
    }

    @Test("every route × {no token, expired, not yet valid, wrong audience, wrong issuer, wrong signature, each scope} answers 401, 403 or success")
    func authorizationMatrix() async throws {
        try await withApp(.sqlite, configure: Self.configureAuth) { client in
            let all = Self.bearer(try await Self.allScopes())
            let adminToken = try #require(try await Self.token(.scope(.admin)))
            var counter = 0
            for (route, required) in Self.requiredScope.sorted(by: { $0.key < $1.key }) {
                let parts = route.split(separator: " ", maxSplits: 1)
                let method = HTTPRequest.Method(String(parts[0]))!
                for caller in Caller.allCases {
                    counter += 1
                    // A fresh customer with one address for every request, so that destructive
                    // routes succeed when they are allowed.
                    let created = try await client.send(
                        .post, "/v1/customers", json: APISamples.registration(email: "matrix\(counter)@example.com", document: nil), headers: all)
                    let id = try #require(created.object["id"] as? String)
                    let addressID = try #require(((created.object["addresses"] as? [[String: Any]])?.first)?["id"] as? String)
                    if route.hasSuffix("/reactivate") {
                        _ = try await client.send(.post, "/v1/customers/\(id)/deactivate", json: #"{"reason": "paused"}"#, headers: all)
                    }
                    let path = String(parts[1])
                        .replacingOccurrences(of: "/v1/customers/{id}", with: "/v1/customers/\(id)")
                        .replacingOccurrences(of: "{addressId}", with: addressID)
                        .replacingOccurrences(of: "{id}", with: route.contains("/webhooks/") ? "00000000-0000-7000-8000-000000000000" : "999999")
                        .replacingOccurrences(of: "{seq}", with: "999999")
                    let response = try await client.send(
                        method, path, json: Self.body(for: route, counter: counter, adminToken: adminToken),
                        contentType: method == .patch ? "application/merge-patch+json" : route == "POST /admin/login" ? "application/x-www-form-urlencoded" : "application/json",
                        headers: Self.bearer(try await Self.token(caller)))
                    let status = response.status.code
                    let what = "\(route) with \(caller): \(status) \(response.text.prefix(200))"
                    switch (caller, required) {
                    case (.expired, _), (.wrongAudience, _), (.wrongIssuer, _), (.wrongSignature, _), (.notYetValid, _):
                        #expect(status == 401, "\(what)")
                        #expect(response.problemSlug == "unauthorized", "\(what)")
                        #expect(response.headers[.wwwAuthenticate]?.hasPrefix("Bearer") == true, "\(what)")
                    case (.anonymous, nil), (.scope, nil):
                        // The sign-in answers with a redirect. Readiness may answer "not ready" (503)
                        // when a probe misses its 2 s deadline under the whole suite's load: that is
                        // its own verdict, not a refused caller.
                        let notReady = route == "GET /health/ready" && status == 503
                        #expect((200..<400).contains(status) || notReady, "\(what)")
                    case (.anonymous, .some):
                        #expect(status == 401, "\(what)")
                        #expect(response.problemSlug == "unauthorized", "\(what)")
                        #expect(response.headers[.wwwAuthenticate]?.hasPrefix("Bearer") == true, "\(what)")
                    case (.scope(let scope), .some(let needed)) where scope == needed:
                        // Admin routes about a made-up id answer 404 once let in.
                        let madeUp = route.hasPrefix("POST /admin/") && (route.contains("{id}") || route.contains("{seq}"))
                            || route.hasPrefix("GET /admin/webhooks/{id}") || route == "DELETE /admin/webhooks/{id}"
                        #expect((200..<400).contains(status) || (madeUp && status == 404), "\(what)")
                    case (.scope, .some(let needed)):
                        #expect(status == 403, "\(what)")
                        #expect(response.problemSlug == "forbidden", "\(what)")
                        #expect(response.headers[.wwwAuthenticate]?.contains("scope=\"\(needed.rawValue)\"") == true, "\(what)")
                    }
                }
            }
        }
    }

    static func allScopes() async throws -> String {
        try await DevelopmentTokenSigner(hs256Secret: secret).sign(AccessTokenClaims(
            subject: "setup", scopes: AccessScope.allCases.map(\.rawValue), issuer: issuer, audience: [audience],
            expiration: Date().addingTimeInterval(600)))
    }

    static func body(for route: String, counter: Int, adminToken: String) -> String? {
        switch route {
        case "POST /v1/customers": APISamples.registration(email: "created\(counter)@example.com", document: nil)
        case "PATCH /v1/customers/{id}": #"{"phone": "+55 11 91234-5678"}"#
        case "POST /v1/customers/{id}/addresses", "PUT /v1/customers/{id}/addresses/{addressId}": APISamples.address(city: "Recife")
        case "POST /v1/customers/{id}/deactivate": #"{"reason": "asked to"}"#
        case "PUT /v1/customers/{id}/email": #"{"email": "changed\#(counter)@example.com"}"#
        case "POST /admin/webhooks": #"{"url": "http://127.0.0.1:9/hooks", "eventTypes": ["customer.#"]}"#
        case "POST /admin/login": "token=" + adminToken
        default: nil
        }
    }

    @Test("the token's subject is the actor of the history and of the events")
    func subjectIsRecordedAsActor() async throws {
        try await withApp(.sqlite, configure: Self.configureAuth) { client in
            let token = try await DevelopmentTokenSigner(hs256Secret: Self.secret).sign(AccessTokenClaims(
                subject: "alice", scopes: ["customers:write", "customers:read", "customers:erase"], issuer: Self.issuer,
                audience: [Self.audience], expiration: Date().addingTimeInterval(600)))
            let created = try await client.send(.post, "/v1/customers", json: APISamples.registration(), headers: Self.bearer(token))
            let id = try #require(created.object["id"] as? String)
            let history = try await client.send(.get, "/v1/customers/\(id)/history", headers: Self.bearer(token))
            let items = history.object["items"] as? [[String: Any]] ?? []
            #expect(items.count == 1 && items.allSatisfy { $0["actor"] as? String == "alice" })
            let export = try await client.send(.get, "/v1/customers/\(id)/export", headers: Self.bearer(token))
            let outbox = export.object["outbox"] as? [[String: Any]] ?? []
            #expect(outbox.count == 1)
            #expect((outbox.first?["payload"] as? [String: Any])?["actor"] as? String == "alice")
        }
    }

    @Test("a malformed Authorization header is 401; Basic credentials are not a bearer token; unknown paths and doubled slashes are not public")
    func malformedHeaders() async throws {
        try await withApp(.sqlite, configure: Self.configureAuth) { client in
            for header in ["Bearer", "Bearer ", "Basic YWxpY2U6c2VjcmV0", "Bearer not.a.jwt", "Bearer a.b", "Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0."] {
                let response = try await client.send(.get, "/v1/customers", headers: [.authorization: header])
                #expect(response.status == .unauthorized, "\(header)")
                #expect(response.problemSlug == "unauthorized")
            }
            // The scheme is case-insensitive.
            let token = try #require(try await Self.token(.scope(.customersRead)))
            #expect(try await client.send(.get, "/v1/customers", headers: [.authorization: "bearer \(token)"]).status == .ok)
            // Deny by default: a path no route serves needs a token before it answers 404.
            #expect(try await client.send(.get, "/nowhere").status == .unauthorized)
            #expect(try await client.send(.get, "/nowhere", headers: Self.bearer(token)).status == .notFound)
            // Repeated slashes are the same path to the router and to the policy.
            #expect(try await client.send(.get, "//admin//outbox").status == .unauthorized)
            #expect(try await client.send(.get, "//admin//outbox", headers: Self.bearer(token)).status == .forbidden)
        }
    }

    @Test("with auth.metricsPublic false, /metrics needs the admin scope")
    func privateMetrics() async throws {
        try await withApp(.sqlite, configure: {
            Self.configureAuth(&$0)
            $0.auth.metricsPublic = false
        }) { client async throws in
            #expect(try await client.send(.get, "/metrics").status == .unauthorized)
            #expect(try await client.send(.get, "/metrics", headers: Self.bearer(try await Self.token(.scope(.customersRead)))).status == .forbidden)
            #expect(try await client.send(.get, "/metrics", headers: Self.bearer(try await Self.token(.scope(.admin)))).status == .ok)
            #expect(try await client.send(.get, "/health/ready").status == .ok)
        }
    }

    @Test("a browser signs in to the dashboard with an admin token kept in a cookie the JSON API and /v1 do not accept")
    func dashboardSignIn() async throws {
        try await withApp(.sqlite, configure: Self.configureAuth) { client async throws in
            // A browser without a session is sent to sign in; an API client gets the problem.
            let anonymous = try await client.send(.get, "/admin", headers: [.accept: "text/html"])
            #expect(anonymous.status == .seeOther)
            #expect(anonymous.headers[.location] == "/admin/login")
            #expect(try await client.send(.get, "/admin").status == .unauthorized)
            let form = try await client.send(.get, "/admin/login")
            #expect(form.status == .ok && form.text.contains("<form method=\"post\" action=\"/admin/login\">"))

            let reader = try #require(try await Self.token(.scope(.customersRead)))
            let refused = try await client.send(.post, "/admin/login", json: "token=\(reader)", contentType: "application/x-www-form-urlencoded")
            #expect(refused.status == .forbidden)
            #expect(refused.text.contains("admin scope"))
            let expired = try #require(try await Self.token(.expired))
            #expect(try await client.send(.post, "/admin/login", json: "token=\(expired)", contentType: "application/x-www-form-urlencoded").status == .unauthorized)
            let crossSite = try await client.send(
                .post, "/admin/login", json: "token=\(reader)", contentType: "application/x-www-form-urlencoded",
                headers: [HTTPField.Name("Sec-Fetch-Site")!: "cross-site"])
            #expect(crossSite.status == .badRequest)

            let admin = try #require(try await Self.token(.scope(.admin)))
            let signedIn = try await client.send(.post, "/admin/login", json: "token=\(admin)", contentType: "application/x-www-form-urlencoded")
            #expect(signedIn.status == .seeOther)
            #expect(signedIn.headers[.location] == "/admin")
            let setCookie = try #require(signedIn.headers[.setCookie])
            for attribute in ["customerflow_admin=\(admin)", "HttpOnly", "Secure", "SameSite=Strict", "Path=/admin"] {
                #expect(setCookie.contains(attribute), "\(attribute) missing from \(setCookie)")
            }
            let cookie: HTTPFields = [.cookie: "customerflow_admin=\(admin)"]
            let page = try await client.send(.get, "/admin", headers: cookie)
            #expect(page.status == .ok)
            #expect(page.headers[.contentSecurityPolicy] != nil)
            // The dashboard's own forms take the cookie; the JSON admin API and /v1 do not.
            #expect(try await client.send(.post, "/admin/dashboard/outbox/999999/retry", headers: cookie).status == .seeOther)
            #expect(try await client.send(.get, "/admin/outbox", headers: cookie).status == .unauthorized)
            #expect(try await client.send(.post, "/admin/webhooks", json: ##"{"url": "http://127.0.0.1:9/x", "eventTypes": ["#"]}"##, headers: cookie).status == .unauthorized)
            #expect(try await client.send(.get, "/v1/customers", headers: cookie).status == .unauthorized)
            // A cookie holding a token that is no longer accepted is no session.
            #expect(try await client.send(.get, "/admin", headers: [.cookie: "customerflow_admin=\(expired)"]).status == .unauthorized)

            let signedOut = try await client.send(.post, "/admin/logout")
            #expect(signedOut.status == .seeOther)
            #expect(signedOut.headers[.setCookie]?.contains("Max-Age=0") == true)
        }
    }
}
