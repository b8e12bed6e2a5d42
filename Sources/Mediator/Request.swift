/// A message sent through the ``Mediator`` to exactly one handler, which answers with a
/// ``Response``.
///
/// Commands (which change state) and queries (which only read) are both requests; mark commands
/// with ``Command`` so that behaviours such as a unit of work can tell them apart.
public protocol Request: Sendable {
    associatedtype Response: Sendable
}

/// A request that changes state. Pipeline behaviours use this marker to wrap commands, and only
/// commands, in a transaction.
public protocol Command: Request {}

/// A request that only reads.
public protocol Query: Request {}
