import Foundation
import Hummingbird

/// `GET /openapi.json`: the contract, as ``OpenAPIDocument`` holds it.
public struct OpenAPIController<Context: RequestContext>: Sendable {
    public init() {}

    public var endpoints: RouteCollection<Context> {
        let routes = RouteCollection(context: Context.self)
        let body = Data(OpenAPIDocument.json.utf8)
        routes.get { _, _ in
            JSONResponses.make(.ok, body: body)
        }
        return routes
    }
}
