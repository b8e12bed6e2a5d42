import Foundation
import Hummingbird

/// Lets an operator open the dashboard in a browser, which cannot attach a bearer header to
/// page loads and form posts: `/admin/login` takes an access token with the `admin` scope and
/// keeps it in a cookie that the browser sends back to the dashboard only.
///
/// - Important: the cookie (`HttpOnly`, `Secure`, `SameSite=Strict`, path `/admin`) is accepted
///   for the dashboard page and its own forms only (``acceptsCookie(method:path:)``), never for
///   the JSON admin API or `/v1`; the forms also refuse cross-site posts. The token in it is
///   checked on every request like a bearer token, so it stops working when the token expires.
public struct AdminLoginController<Context: RequestContext>: Sendable {
    public static var cookieName: String { "customerflow_admin" }

    let verifier: AccessTokenVerifier

    public init(verifier: AccessTokenVerifier) {
        self.verifier = verifier
    }

    public var endpoints: RouteCollection<Context> {
        let routes = RouteCollection(context: Context.self)
        routes.get("login", use: form)
        routes.post("login", use: login)
        routes.post("logout", use: logout)
        return routes
    }

    /// Whether a request may be authenticated by the login cookie: the dashboard page and the
    /// dashboard's forms.
    public static func acceptsCookie(method: HTTPRequest.Method, path: String) -> Bool {
        let segments = path.split(separator: "/", omittingEmptySubsequences: true)
        guard segments.first == "admin" else { return false }
        if method == .get { return segments.count == 1 }
        return method == .post && segments.count >= 2 && segments[1] == "dashboard"
    }

    @Sendable func form(_ request: Request, context: Context) async throws -> Response {
        Self.page(status: .ok, message: nil)
    }

    @Sendable func login(_ request: Request, context: Context) async throws -> Response {
        try DashboardController<Context>.refuseCrossSite(request)
        let body = try await request.body.collect(upTo: 16 * 1024)
        let fields = URLComponents(string: "?" + String(buffer: body).replacingOccurrences(of: "+", with: " "))?.queryItems ?? []
        guard let token = fields.first(where: { $0.name == "token" })?.value?.trimmingCharacters(in: .whitespacesAndNewlines),
              !token.isEmpty
        else { return Self.page(status: .badRequest, message: "Paste an access token.") }
        let caller: Caller
        do {
            caller = try await verifier.verify(token)
        } catch let error as InvalidAccessToken {
            return Self.page(status: .unauthorized, message: "The token is not accepted: \(error.reason).")
        } catch is JWKSUnavailable {
            return Self.page(status: .serviceUnavailable, message: "The keys that sign tokens cannot be read right now; try again later.")
        }
        guard caller.scopes.contains(.admin) else {
            return Self.page(status: .forbidden, message: "The token does not carry the admin scope.")
        }
        var response = Response(status: .seeOther, headers: [.location: "/admin"])
        response.setCookie(try Cookie.validated(name: Self.cookieName, value: token, path: "/admin", secure: true, httpOnly: true, sameSite: .strict))
        return response
    }

    @Sendable func logout(_ request: Request, context: Context) async throws -> Response {
        try DashboardController<Context>.refuseCrossSite(request)
        var response = Response(status: .seeOther, headers: [.location: "/admin/login"])
        response.setCookie(Cookie(name: Self.cookieName, value: "", maxAge: 0, path: "/admin", secure: true, httpOnly: true, sameSite: .strict))
        return response
    }

    static func page(status: HTTPResponse.Status, message: String?) -> Response {
        let notice = message.map { "<p class=\"error\">\(Self.escape($0))</p>" } ?? ""
        let html = """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><title>CustomerFlow — sign in</title>
            <style>body{font-family:system-ui,sans-serif;margin:3rem auto;max-width:40rem}textarea{width:100%;height:8rem}.error{color:#b00020}</style>
            </head><body>
            <h1>CustomerFlow operations</h1>
            \(notice)
            <form method="post" action="/admin/login">
            <p><label for="token">Access token with the <code>admin</code> scope</label></p>
            <p><textarea id="token" name="token" autocomplete="off" spellcheck="false" required></textarea></p>
            <p><button type="submit">Sign in</button></p>
            </form>
            </body></html>
            """
        return Response(
            status: status, headers: [.contentType: "text/html; charset=utf-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: html)))
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
