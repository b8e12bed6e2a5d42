import Mediator

/// The context key of the caller who sent a command: the access token's subject. History rows
/// and integration events record it as their `actor`.
public enum ActorContextKey: MediatorContextKey {
    public typealias Value = String
}

extension MediatorContext {
    /// Who sent the request being handled; `nil` without authentication.
    public var actor: String? {
        get { self[ActorContextKey.self] }
        set { self[ActorContextKey.self] = newValue }
    }
}
