import FeatureFlags
import Hummingbird

/// The caller as feature flags see them. Until authentication exists there is no user: rollouts
/// stick to the customer a request is about.
enum FeatureCaller {
    static func context(of request: Request, customer: String? = nil) -> FeatureContext {
        FeatureContext(user: nil, groups: [], targetingKey: customer)
    }
}
