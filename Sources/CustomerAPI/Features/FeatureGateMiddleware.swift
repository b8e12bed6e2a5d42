import FeatureFlags
import Hummingbird

/// Serves the routes behind it only while `flag` is on for the caller; otherwise they answer 404
/// problem `feature-disabled`, as if they did not exist.
public struct FeatureGateMiddleware<Context: RequestContext>: RouterMiddleware {
    let flag: String
    let flags: FeatureFlagEvaluator

    public init(_ flag: String, flags: FeatureFlagEvaluator) {
        self.flag = flag
        self.flags = flags
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard flags.isEnabled(flag, for: FeatureCaller.context(of: request)) else { throw FeatureDisabled(flag: flag) }
        return try await next(request, context)
    }
}
