/// The scopes an access token may grant. No scope implies another: a token that may erase may
/// not read unless it also carries `customers:read`.
public enum AccessScope: String, Hashable, Sendable, CaseIterable {
    case customersRead = "customers:read"
    case customersWrite = "customers:write"
    /// Erasure and export: the data subject's rights, kept apart from everyday writes.
    case customersErase = "customers:erase"
    /// `/admin/*`, the dashboard and, unless configured public, `/metrics`.
    case admin
}
