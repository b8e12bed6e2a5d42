import FeatureFlags
import Mediator

/// A request that exists only while its feature flag is on for the caller; the
/// ``FeatureGateBehavior`` refuses it otherwise.
public protocol FeatureGatedRequest: Request {
    static var featureFlag: String { get }
    /// What a percentage rollout sticks to when the caller is anonymous: the customer concerned.
    var featureTargetingKey: String? { get }
}

/// The caller as feature flags see them (user, groups), set by the HTTP layer.
public enum FeatureContextKey: MediatorContextKey {
    public typealias Value = FeatureContext
}

extension EraseCustomerCommand: FeatureGatedRequest {
    public static var featureFlag: String { ProductFeatures.erasure }
    public var featureTargetingKey: String? { id.description }
}

extension GetCustomerHistoryQuery: FeatureGatedRequest {
    public static var featureFlag: String { ProductFeatures.history }
    public var featureTargetingKey: String? { id.description }
}
