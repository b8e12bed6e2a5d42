/// A gate refused the request because its flag is off for the caller. Over HTTP: 404, problem
/// type `feature-disabled` (the feature does not exist for this caller).
public struct FeatureDisabled: Error, Hashable, Sendable, CustomStringConvertible {
    public let flag: String

    public init(flag: String) {
        self.flag = flag
    }

    public var description: String { "feature \(flag) is disabled" }
}
