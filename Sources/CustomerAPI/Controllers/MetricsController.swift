import Hummingbird

/// `GET /metrics`: every metric in the Prometheus text format, for a scraper.
public struct MetricsController<Context: RequestContext>: Sendable {
    let render: @Sendable () async -> String

    /// - Parameter render: produces the exposition text at each scrape.
    public init(render: @escaping @Sendable () async -> String) {
        self.render = render
    }

    public var endpoints: RouteCollection<Context> {
        let routes = RouteCollection(context: Context.self)
        routes.get { _, _ in
            var headers = HTTPFields()
            headers[.contentType] = "text/plain; version=0.0.4; charset=utf-8"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: await render())))
        }
        return routes
    }
}
