import CustomerAPI
import HTTPTypes
import Hummingbird
import Testing

@testable import CustomerAPI

@Suite("Method not allowed")
struct MethodNotAllowedMiddlewareTests {
    let middleware = MethodNotAllowedMiddleware<BasicRequestContext>(routes: [
        ("/v1/customers", .get), ("/v1/customers", .post),
        ("/v1/customers/export", .get),
        ("/v1/customers/:id", .get), ("/v1/customers/:id", .patch), ("/v1/customers/:id", .delete),
        ("/files/{name}.json", .put),
        ("/static/**", .get),
    ])

    @Test("a literal segment wins over a capture, as in the router: /export serves only GET")
    func literalWinsOverCapture() {
        #expect(middleware.allowedMethods(path: "/v1/customers/export") == [.get, .head])
        #expect(middleware.allowedMethods(path: "/v1/customers/123") == [.get, .head, .patch, .delete])
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
}
