import Foundation

/// Port: moves integration events from the outbox to subscribers.
///
/// - Important: ``publish(_:)`` returns one result per message, in order, only once the transport
///   has taken responsibility for each (a broker confirm). It throws ``TransportUnavailable`` when
///   the transport cannot be reached at all: that is no message's fault and costs no attempt.
///   ``consume(group:bindings:prefetch:handler:)`` declares the group's queue and its bindings,
///   delivers its messages one at a time in the order the transport holds them, and runs until
///   its task is cancelled.
public protocol Transport: Sendable {
    func publish(_ messages: [OutboundMessage]) async throws -> [PublishResult]

    /// - Parameter handler: handles one delivery and acknowledges it. When it throws, the
    ///   transport stops this consumer, gives unacknowledged messages back for redelivery, and
    ///   rethrows.
    func consume(
        group: String,
        bindings: [String],
        prefetch: Int,
        handler: @escaping @Sendable (Delivery) async throws -> Void
    ) async throws

    /// `messaging.system` of the spans: `rabbitmq`, or `customerflow.in_memory`.
    var messagingSystem: String { get }

    /// Closes connections; called once on shutdown.
    func shutdown() async

    /// Connects if not connected, for readiness probes; throws when the broker cannot be reached.
    /// The caller bounds how long it waits.
    func checkConnection() async throws

    /// Whether the transport can be reached now, asked by a backoff (``ReconnectBackoff/wait``)
    /// to end early: cheap, bounded, and independent of the connections in use.
    func isReachable() async -> Bool
}

extension Transport {
    public func isReachable() async -> Bool {
        (try? await checkConnection()) != nil
    }
}

/// A message to publish.
public struct OutboundMessage: Hashable, Sendable {
    /// The CloudEvent id.
    public let id: String
    /// Routing key: the event type (`customer.registered.v1`).
    public let routingKey: String
    /// The structured CloudEvents JSON.
    public let body: Data
    /// Protocol headers: CloudEvents attributes (`ce-*`) and trace context (`traceparent`).
    public let headers: [String: String]

    public init(id: String, routingKey: String, body: Data, headers: [String: String]) {
        self.id = id
        self.routingKey = routingKey
        self.body = body
        self.headers = headers
    }
}

/// What happened to one published message.
public enum PublishResult: Hashable, Sendable {
    /// The transport has it (persisted and confirmed, for a broker).
    case confirmed
    /// The transport refused this message (nack, returned as unroutable, too large…).
    case rejected(String)
}

/// A received message, to be acknowledged once handled.
public struct Delivery: Sendable {
    public let body: Data
    public let routingKey: String
    public let headers: [String: String]
    /// Whether the transport delivered it before (a redelivery after a lost acknowledgement).
    public let redelivered: Bool
    private let acknowledge: @Sendable () async -> Void

    public init(body: Data, routingKey: String, headers: [String: String], redelivered: Bool, acknowledge: @escaping @Sendable () async -> Void) {
        self.body = body
        self.routingKey = routingKey
        self.headers = headers
        self.redelivered = redelivered
        self.acknowledge = acknowledge
    }

    /// Tells the transport the message is handled; it will not be delivered to this group again.
    public func ack() async { await acknowledge() }
}

/// The transport cannot be reached (no connection, connection lost, channel closed).
public struct TransportUnavailable: Error, Hashable, Sendable, CustomStringConvertible {
    public let reason: String
    public init(_ reason: String) { self.reason = reason }
    public var description: String { "transport unavailable: \(reason)" }
}

extension Transport {
    /// A transport without a connection (in-process) is always reachable.
    public func checkConnection() async throws {}

    public var messagingSystem: String { String(describing: type(of: self)) }
}
