/// Who is asking, for filters that answer per caller.
///
/// `user` and `groups` come from the authenticated caller; `targetingKey` is what the answer
/// should stick to when there is no user (the customer a request is about). Percentages use the
/// user when there is one, else the targeting key.
public struct FeatureContext: Hashable, Sendable {
    public var user: String?
    public var groups: [String]
    public var targetingKey: String?

    public init(user: String? = nil, groups: [String] = [], targetingKey: String? = nil) {
        self.user = user
        self.groups = groups
        self.targetingKey = targetingKey
    }

    /// The identity percentages stick to.
    var stickyKey: String? { user ?? targetingKey }
}
