import CustomerApplication
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// Reads request bodies the same way for every route: size limit, media type, JSON syntax.
enum RequestBodies {
    /// The media types a route accepts, without parameters.
    static let json: Set<String> = ["application/json"]
    static let mergePatch: Set<String> = ["application/merge-patch+json", "application/json"]

    /// How deep objects and arrays may nest in a request body: the contract needs 3 levels; a
    /// deeper document is an attack on the parser's stack, refused before it is parsed.
    static let maxNestingDepth = 32

    /// Collects the body (at most the context's limit, 64 KiB by default: 413), checks its media
    /// type (415), its nesting depth and parses it as JSON (400).
    static func json(
        _ request: Request, context: some RequestContext, accepting types: Set<String> = json
    ) async throws -> (value: JSONValue, raw: Data) {
        let mediaType = request.headers[.contentType]?
            .split(separator: ";").first?
            .trimmingCharacters(in: .whitespaces).lowercased()
        guard let mediaType, types.contains(mediaType) else {
            throw HTTPProblem(
                .unsupportedMediaType,
                "Send the body as \(types.sorted().joined(separator: " or ")) (Content-Type)."
            )
        }
        let data = Data(try await collect(request, context: context).readableBytesView)
        guard !data.isEmpty else {
            throw HTTPProblem(.malformedRequest, "The request body is empty; a JSON object is expected.")
        }
        guard JSONValue.nestingDepth(of: data) <= maxNestingDepth else {
            throw HTTPProblem(.malformedRequest, "The request body nests objects and arrays more than \(maxNestingDepth) levels deep.")
        }
        guard let value = JSONValue.parse(data) else {
            throw HTTPProblem(.malformedRequest, "The request body is not valid JSON.")
        }
        return (value, data)
    }

    /// For routes without a body: anything sent is drained (up to the limit) and ignored.
    static func drain(_ request: Request, context: some RequestContext) async throws {
        _ = try await collect(request, context: context)
    }

    /// The whole body, or 413 naming the limit.
    static func collect(_ request: Request, context: some RequestContext) async throws -> ByteBuffer {
        do {
            return try await request.body.collect(upTo: context.maxUploadSize)
        } catch is NIOTooManyBytesError {
            throw HTTPProblem(.payloadTooLarge, "Request bodies are limited to \(context.maxUploadSize) bytes.")
        }
    }
}

/// JSON responses with the contract's headers.
enum JSONResponses {
    static func encode(_ value: some Encodable) throws -> Data {
        // The customer, the most frequent answer, has a writer of its own.
        if let customer = value as? CustomerDetails { return CustomerJSONWriter.encode(customer) }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(value)
    }

    static func make(_ status: HTTPResponse.Status, body: Data, headers extra: HTTPFields = [:]) -> Response {
        var headers = extra
        headers[.contentType] = "application/json"
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: body)))
    }

    static func make(_ status: HTTPResponse.Status, _ value: some Encodable, headers: HTTPFields = [:]) throws -> Response {
        make(status, body: try encode(value), headers: headers)
    }
}
