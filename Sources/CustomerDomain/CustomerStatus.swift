/// Where a customer is in its life: `active` and `inactive` can move into each other; `erased`
/// is final.
public enum CustomerStatus: String, Hashable, Sendable, CaseIterable, Codable {
    case active
    case inactive
    case erased
}
