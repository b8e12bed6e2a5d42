/// Values that travel with one request through the pipeline: the unit of work a behaviour
/// opened, the caller's identity, pre-validation failures, a request id.
///
/// A context is a value: a behaviour that adds something passes the changed copy to `next`, and
/// nothing leaks to other requests. There is no global or task-local state.
public struct MediatorContext: Sendable {
    private var values: [ObjectIdentifier: any Sendable] = [:]

    /// The mediator that is dispatching the request, so that behaviours and handlers can publish
    /// notifications without holding a reference of their own.
    public internal(set) var mediator: Mediator?

    public init() {}

    public subscript<Key: MediatorContextKey>(key: Key.Type) -> Key.Value? {
        get { values[ObjectIdentifier(key)] as? Key.Value }
        set { values[ObjectIdentifier(key)] = newValue }
    }
}

/// A typed key of ``MediatorContext``; declare one `enum` per value kind.
public protocol MediatorContextKey {
    associatedtype Value: Sendable
}
