import Logging
import Mediator

/// Logs each request's type, outcome and duration. Never logs the request's content: it holds
/// personal data.
///
/// Every line logged while the request runs, by any logger, carries its type as `request` when
/// the process's logging uses ``metadataProvider``.
public struct LoggingBehavior: PipelineBehavior {
    @TaskLocal static var currentRequest: String?

    /// `request`: the mediator request the running task is handling, if any.
    public static let metadataProvider = Logger.MetadataProvider {
        currentRequest.map { ["request": .string($0)] } ?? [:]
    }

    let logger: Logger

    public init(logger: Logger) {
        self.logger = logger
    }

    public func handle<R: Request>(
        _ request: R,
        context: MediatorContext,
        next: @Sendable (R, MediatorContext) async throws -> R.Response
    ) async throws -> R.Response {
        let start = ContinuousClock.now
        let name = String(describing: R.self)
        do {
            let response = try await Self.$currentRequest.withValue(name) { try await next(request, context) }
            logger.debug("handled", metadata: ["request": .string(name), "duration": .string("\(ContinuousClock.now - start)")])
            return response
        } catch {
            logger.info(
                "failed",
                metadata: [
                    "request": .string(name),
                    "error": .string(String(describing: type(of: error))),
                    "duration": .string("\(ContinuousClock.now - start)"),
                ]
            )
            throw error
        }
    }
}
