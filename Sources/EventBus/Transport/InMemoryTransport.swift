import Foundation
import Synchronization

/// The embedded transport: a topic exchange inside the process.
///
/// Each consumer group has a queue; a published message is copied to every group whose bindings
/// match its routing key. Messages wait in the queue until acknowledged and are redelivered to
/// the group's next consumer if one stops before acknowledging. A message no group is bound to
/// is dropped (there is nobody to tell), which is what a process with no subscribers wants.
/// Nothing survives the process: use a broker when events must reach other services.
public final class InMemoryTransport: Transport {
    public var messagingSystem: String { "customerflow.in_memory" }

    private final class GroupQueue: Sendable {
        struct State {
            var bindings: [TopicPattern] = []
            var messages: [(sequence: UInt64, message: OutboundMessage, redelivered: Bool)] = []
            var inFlight: Set<UInt64> = []
            var waiter: CheckedContinuation<Void, Never>?
            var nextSequence: UInt64 = 0
        }
        let state = Mutex(State())
    }

    private let groups = Mutex<[String: GroupQueue]>([:])

    public init() {}

    public func publish(_ messages: [OutboundMessage]) async throws -> [PublishResult] {
        let queues = groups.withLock { Array($0.values) }
        for message in messages {
            for queue in queues {
                let waiter = queue.state.withLock { state -> CheckedContinuation<Void, Never>? in
                    guard state.bindings.contains(where: { $0.matches(message.routingKey) }) else { return nil }
                    state.nextSequence += 1
                    state.messages.append((state.nextSequence, message, false))
                    defer { state.waiter = nil }
                    return state.waiter
                }
                waiter?.resume()
            }
        }
        return Array(repeating: .confirmed, count: messages.count)
    }

    /// Creates the group's queue with its bindings now, before any consumer runs: messages
    /// published from here on wait in it.
    ///
    /// - Important: Call it for every subscription of the process before the relay starts. A
    ///   group's queue otherwise exists only once its consumer has started, and the relay, which
    ///   starts beside the consumers, can publish the rows left pending before a restart first:
    ///   the group would never see them.
    public func declare(group: String, bindings: [String]) {
        let queue = groups.withLock { groups in
            if let existing = groups[group] { return existing }
            let created = GroupQueue()
            groups[group] = created
            return created
        }
        queue.state.withLock { state in
            for binding in bindings where !state.bindings.contains(TopicPattern(binding)) {
                state.bindings.append(TopicPattern(binding))
            }
        }
    }

    public func consume(
        group: String,
        bindings: [String],
        prefetch: Int,
        handler: @escaping @Sendable (Delivery) async throws -> Void
    ) async throws {
        declare(group: group, bindings: bindings)
        guard let queue = groups.withLock({ $0[group] }) else { return }
        while !Task.isCancelled {
            let next = queue.state.withLock { state -> (UInt64, OutboundMessage, Bool)? in
                guard let entry = state.messages.first(where: { !state.inFlight.contains($0.sequence) }) else { return nil }
                state.inFlight.insert(entry.sequence)
                return (entry.sequence, entry.message, entry.redelivered)
            }
            guard let (sequence, message, redelivered) = next else {
                await withTaskCancellationHandler {
                    await withCheckedContinuation { continuation in
                        let ready = queue.state.withLock { state -> Bool in
                            if Task.isCancelled || state.messages.contains(where: { !state.inFlight.contains($0.sequence) }) { return true }
                            state.waiter = continuation
                            return false
                        }
                        if ready { continuation.resume() }
                    }
                } onCancel: {
                    let waiter = queue.state.withLock { state in
                        defer { state.waiter = nil }
                        return state.waiter
                    }
                    waiter?.resume()
                }
                continue
            }
            let acknowledged = Mutex(false)
            var failure: (any Error)?
            do {
                try await handler(
                Delivery(body: message.body, routingKey: message.routingKey, headers: message.headers, redelivered: redelivered) {
                    acknowledged.withLock { $0 = true }
                    queue.state.withLock { state in
                        state.messages.removeAll { $0.sequence == sequence }
                        state.inFlight.remove(sequence)
                    }
                }
                )
            } catch {
                failure = error
            }
            if !acknowledged.withLock({ $0 }) {
                // Not acknowledged (the consumer stopped mid-way): give it back for redelivery.
                queue.state.withLock { state in
                    state.inFlight.remove(sequence)
                    if let index = state.messages.firstIndex(where: { $0.sequence == sequence }) {
                        state.messages[index].redelivered = true
                    }
                }
            }
            if let failure { throw failure }
        }
    }

    public func shutdown() async {}
}
