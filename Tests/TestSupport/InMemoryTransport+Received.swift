import EventBus
import Foundation
import Synchronization

extension InMemoryTransport {
    /// Consumes `group` (bound to `customer.#`) until `count` messages have come, at most 10 s;
    /// returns their bodies as text, in order.
    public func receivedBodies(group: String, count: Int) async throws -> [String] {
        let received = ReceivedBodies()
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask {
                try await self.consume(group: group, bindings: ["customer.#"], prefetch: 1) { delivery in
                    received.values.withLock { $0.append(String(decoding: delivery.body, as: UTF8.self)) }
                    await delivery.ack()
                }
            }
            let deadline = ContinuousClock.now + .seconds(10)
            while received.values.withLock({ $0.count }) < count, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(10))
            }
            tasks.cancelAll()
        }
        return received.values.withLock { $0 }
    }
}

/// The bodies a consumer received, shared with its task.
public final class ReceivedBodies: Sendable {
    public let values = Mutex<[String]>([])
    public init() {}
}
