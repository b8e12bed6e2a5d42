import CustomerApplication
import CustomerDomain
import FeatureFlags
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import Validation

/// Turns every error that reaches it into an `application/problem+json` response, so that no
/// route can answer an error any other way. Unknown errors become a 500 whose body says nothing
/// about internals; the details go to the log.
public struct ProblemDetailsMiddleware<Context: RequestContext>: RouterMiddleware {
    public init() {}

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            let (problem, headers) = Self.problem(for: error, path: request.uri.path)
            if problem.kind == .internal {
                // The type and the error's own description; never its debug dump (a driver's can hold
                // the statement with its bound values, which are personal data).
                context.logger.error("unhandled error", metadata: ["error": .string(String(describing: error)), "type": .string("\(type(of: error))")])
            }
            let response = Self.response(problem, headers: headers)
            // A response to HEAD has no body, an error's included (RFC 9110 §9.3.2).
            return request.method == .head ? response.createHeadResponse() : response
        }
    }

    static func response(_ problem: ProblemDetails, headers extra: [String: String] = [:]) -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let body = (try? encoder.encode(problem)) ?? Data("{\"status\":\(problem.status)}".utf8)
        var headers: HTTPFields = [.contentType: "application/problem+json"]
        for (name, value) in extra {
            if let field = HTTPField.Name(name) { headers[field] = value }
        }
        return Response(
            status: HTTPResponse.Status(code: problem.status),
            headers: headers,
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: body))
        )
    }

    /// The problem an error stands for, with any extra headers.
    static func problem(for error: any Error, path: String) -> (ProblemDetails, [String: String]) {
        switch error {
        case let error as HTTPProblem:
            return (ProblemDetails(error.kind, detail: error.detail, instance: path, code: error.code, errors: error.errors), error.headers)
        case let error as ValidationError:
            return (
                ProblemDetails(.validation, detail: "The request has \(error.failures.count) invalid field(s).", instance: path, errors: error.failures),
                [:]
            )
        case is FeatureDisabled:
            return (ProblemDetails(.featureDisabled, detail: "This feature is not available.", instance: path), [:])
        case let error as ApplicationError:
            return (problem(for: error, path: path), [:])
        case let error as CustomerDomainError:
            return (problem(for: error, path: path), [:])
        case is NIOTooManyBytesError:
            return (ProblemDetails(.payloadTooLarge, detail: "The request body is larger than this service accepts.", instance: path), [:])
        case let error as HTTPError:
            switch error.status.code {
            case 404: return (ProblemDetails(.notFound, detail: "No resource lives at this path.", instance: path), [:])
            case 401: return (ProblemDetails(.unauthorized, detail: "This route needs an access token.", instance: path), ["WWW-Authenticate": "Bearer realm=\"customerflow\""])
            case 413: return (ProblemDetails(.payloadTooLarge, detail: "The request body is larger than this service accepts.", instance: path), [:])
            case 400..<500: return (ProblemDetails(.malformedRequest, detail: error.body ?? "The request is malformed.", instance: path), [:])
            default: return (ProblemDetails(.internal, detail: "Something went wrong on our side.", instance: path), [:])
            }
        default:
            return (ProblemDetails(.internal, detail: "Something went wrong on our side.", instance: path), [:])
        }
    }

    static func problem(for error: ApplicationError, path: String) -> ProblemDetails {
        switch error.code {
        case .notFound: ProblemDetails(.notFound, detail: error.message, instance: path)
        case .gone: ProblemDetails(.gone, detail: error.message, instance: path)
        case .preconditionFailed: ProblemDetails(.preconditionFailed, detail: error.message, instance: path)
        case .emailTaken, .documentTaken, .concurrentModification:
            ProblemDetails(.conflict, detail: error.message, instance: path, code: error.code.rawValue)
        case .idempotencyKeyReused:
            ProblemDetails(
                .validation, detail: error.message, instance: path, code: error.code.rawValue,
                errors: [ValidationFailure(field: "Idempotency-Key", code: error.code.rawValue, message: error.message)]
            )
        case .malformedCursor, .unstorableText: ProblemDetails(.malformedRequest, detail: error.message, instance: path, code: error.code.rawValue)
        case .unavailable: ProblemDetails(.unavailable, detail: error.message, instance: path)
        default: ProblemDetails(.internal, detail: "Something went wrong on our side.", instance: path)
        }
    }

    static func problem(for error: CustomerDomainError, path: String) -> ProblemDetails {
        switch error.code {
        case .invalidState: ProblemDetails(.conflict, detail: error.message, instance: path, code: error.code.rawValue)
        case .customerErased: ProblemDetails(.gone, detail: error.message, instance: path)
        case .addressNotFound: ProblemDetails(.notFound, detail: error.message, instance: path)
        case .tooManyAddresses:
            ProblemDetails(
                .validation, detail: error.message, instance: path,
                errors: [ValidationFailure(field: "addresses", code: error.code.rawValue, message: error.message)]
            )
        default:
            ProblemDetails(
                .validation, detail: error.message, instance: path,
                errors: [ValidationFailure(field: "body", code: error.code.rawValue, message: error.message)]
            )
        }
    }
}
