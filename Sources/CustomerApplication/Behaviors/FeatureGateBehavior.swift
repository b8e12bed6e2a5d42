import FeatureFlags
import Mediator

/// Refuses a ``FeatureGatedRequest`` whose flag is off for the caller with ``FeatureDisabled``,
/// before validation and before its handler: a disabled feature changes nothing and reveals
/// nothing about its input.
public struct FeatureGateBehavior: PipelineBehavior {
    let flags: FeatureFlagEvaluator

    public init(flags: FeatureFlagEvaluator) {
        self.flags = flags
    }

    public func handle<R: Request>(
        _ request: R,
        context: MediatorContext,
        next: @Sendable (R, MediatorContext) async throws -> R.Response
    ) async throws -> R.Response {
        if let gated = request as? any FeatureGatedRequest {
            // The caller is the access token's subject; rollouts stick to the customer when there is none.
            var caller = context[FeatureContextKey.self] ?? FeatureContext(user: context.actor)
            if caller.targetingKey == nil { caller.targetingKey = gated.featureTargetingKey }
            let flag = type(of: gated).featureFlag
            guard flags.isEnabled(flag, for: caller) else { throw FeatureDisabled(flag: flag) }
        }
        return try await next(request, context)
    }
}
