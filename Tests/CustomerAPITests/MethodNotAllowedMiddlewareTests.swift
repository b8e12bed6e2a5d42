import CustomerAPI
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import CustomerAPI

@Suite("Method not allowed")
struct MethodNotAllowedMiddlewareTests {
    let middleware = MethodNotAllowedMiddleware<BasicRequestContext>(routes: [
        ("/v1/customers", .get), ("/v1/customers", .post),
        ("/v1/customers/:id", .get), ("/v1/customers/:id", .patch), ("/v1/customers/:id", .delete),
        ("/v1/customers/export", .get),
        ("/files/{name}.json", .put),
        ("/static/**", .get),
        ("/admin/webhooks/:id", .get), ("/admin/webhooks/:id", .delete),
        ("/admin/webhooks/deliveries/:seq/retry", .post),
        ("/a/literal/x", .get), ("/a/:id/y", .post),
    ])

    @Test("a literal segment wins over a capture, as in the router: /export serves only GET")
    func literalWinsOverCapture() {
        #expect(middleware.allowedMethods(path: "/v1/customers/export") == [.get, .head])
        #expect(middleware.allowedMethods(path: "/v1/customers/123") == [.get, .head, .patch, .delete])
    }

    @Test("a path ending on a literal no route ends at matches nothing, even where a capture would: the router does not go back")
    func noBacktrackingAtTheEnd() {
        #expect(middleware.allowedMethods(path: "/admin/webhooks/deliveries") == nil)
        #expect(middleware.allowedMethods(path: "/admin/webhooks/42") == [.get, .head, .delete])
    }

    @Test("deeper down, the router tries the next sibling when the first leads nowhere")
    func backtracksWhenDeeperSegmentsFail() {
        #expect(middleware.allowedMethods(path: "/a/literal/y") == [.post])
        #expect(middleware.allowedMethods(path: "/a/literal/x") == [.get, .head])
    }

    @Test("patterns match as the router's do; other paths match nothing")
    func patterns() {
        #expect(middleware.allowedMethods(path: "/files/a.json") == [.put])
        #expect(middleware.allowedMethods(path: "/files/a.xml") == nil)
        #expect(middleware.allowedMethods(path: "/static/css/site.css") == [.get, .head])
        #expect(middleware.allowedMethods(path: "/v1/customers/123/extra") == nil)
        #expect(middleware.allowedMethods(path: "/v1") == nil)
        #expect(middleware.allowedMethods(path: "/v1/customers/") == [.get, .head, .post])
    }

    @Test("for every path tried, the allowed methods are exactly those the real router serves there")
    func agreesWithTheRouter() async throws {
        let routes: [(RouterPath, HTTPRequest.Method)] = [
            ("/v1/customers", .get), ("/v1/customers", .post), ("/v1/customers/:id", .get), ("/v1/customers/:id", .patch),
            ("/v1/customers/export", .get), ("/files/{name}.json", .put), ("/admin/webhooks/:id", .delete),
            ("/admin/webhooks/deliveries/:seq/retry", .post), ("/a/literal/x", .get), ("/a/:id/y", .post), ("/a/:id", .put),
        ]
        let router = Router(options: .autoGenerateHeadEndpoints)
        for (path, method) in routes { router.on(path, method: method) { _, _ in "ok" } }
        let middleware = MethodNotAllowedMiddleware<BasicRequestContext>(routes: router.routes.map { ($0.path, $0.method) })
        let paths = [
            "/v1/customers", "/v1/customers/9", "/v1/customers/export", "/files/x.json", "/files/x.txt", "/admin/webhooks/7",
            "/admin/webhooks/deliveries", "/admin/webhooks/deliveries/3/retry", "/a/literal/x", "/a/literal/y", "/a/literal", "/a/b",
            "/a/b/y", "/nothing",
        ]
        let methods: [HTTPRequest.Method] = [.get, .head, .post, .put, .patch, .delete]
        try await Application(router: router).test(.router) { client in
            for path in paths {
                var served: Set<HTTPRequest.Method> = []
                for method in methods where try await client.execute(uri: path, method: method).status == .ok {
                    served.insert(method)
                }
                #expect(middleware.allowedMethods(path: path) ?? [] == served, "\(path)")
            }
        }
    }
}
