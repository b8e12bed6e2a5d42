import Hummingbird

/// Applies the configured request body limit (`limits.maxBodyBytes`): a declared
/// `Content-Length` above it is refused at once with 413, before anything is read, and bodies
/// read later stop at the limit.
public struct RequestLimitsMiddleware: RouterMiddleware {
    public typealias Context = CustomerFlowRequestContext
    let maxBodyBytes: Int

    public init(maxBodyBytes: Int) {
        self.maxBodyBytes = maxBodyBytes
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        context.maxBodySize = maxBodyBytes
        if let length = request.headers[.contentLength].flatMap(Int.init), length > maxBodyBytes {
            throw HTTPProblem(.payloadTooLarge, "Request bodies are limited to \(maxBodyBytes) bytes.")
        }
        return try await next(request, context)
    }
}
