import CustomerDomain
import Foundation
import Mediator

/// On ``CustomerErased``, removes personal data from every stored history item and outbox event
/// of the customer, in the erasing transaction.
public struct RedactPersonalDataOnErasure: NotificationHandler {
    public init() {}

    public func handle(_ notification: CustomerEventNotification, context: MediatorContext) async throws {
        guard let erased = notification.event as? CustomerErased else { return }
        let unitOfWork = try context.unitOfWork()
        try await unitOfWork.transaction.redactPersonalData(of: erased.customerID, using: Self.redact)
    }

    /// Removes the keys of `PersonalData.eventPayloadKeys` at any depth of a JSON document.
    /// A CloudEvent envelope keeps its attributes; only what is inside `data` is touched.
    @Sendable
    public static func redact(_ json: Data) throws -> Data {
        let object = try JSONSerialization.jsonObject(with: json, options: [.fragmentsAllowed])
        let cleaned: Any
        if var envelope = object as? [String: Any], envelope["specversion"] != nil, let data = envelope["data"] {
            envelope["data"] = strip(data)
            cleaned = envelope
        } else {
            cleaned = strip(object)
        }
        return try JSONSerialization.data(withJSONObject: cleaned, options: [.sortedKeys, .fragmentsAllowed, .withoutEscapingSlashes])
    }

    private static func strip(_ value: Any) -> Any {
        if let object = value as? [String: Any] {
            var result: [String: Any] = [:]
            for (key, member) in object where !PersonalData.eventPayloadKeys.contains(key) {
                result[key] = strip(member)
            }
            return result
        }
        if let array = value as? [Any] {
            return array.map(strip)
        }
        return value
    }
}
