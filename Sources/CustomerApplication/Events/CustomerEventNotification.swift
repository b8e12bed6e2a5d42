import CustomerDomain
import Mediator

/// A domain event on its way to in-process handlers, inside the transaction that recorded it.
public struct CustomerEventNotification: Notification {
    public let event: any CustomerEvent

    public init(event: any CustomerEvent) {
        self.event = event
    }
}
