/// What a partial update asks of an optional field: leave it, set it, or clear it.
///
/// JSON merge patch (RFC 7396) has exactly these three meanings: a missing member, a value,
/// and `null`.
public enum FieldUpdate<Value: Sendable & Equatable>: Sendable, Equatable {
    case keep
    case set(Value)
    case clear

    /// The value the field has after the update, starting from `current`.
    public func applied(to current: Value?) -> Value? {
        switch self {
        case .keep: return current
        case .set(let value): return value
        case .clear: return nil
        }
    }
}
