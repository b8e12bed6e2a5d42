import Foundation

/// A customer rebuilt from nothing but its history (`GET /v1/customers/{id}/history`), the way a
/// consumer of the events would: to compare with what the service answers for the customer.
struct HistoryFold: Equatable, CustomStringConvertible {
    struct Address: Equatable {
        var id: String
        var street: String
        var city: String
        var postalCode: String
        var primary: Bool

        init(_ json: [String: Any]) {
            id = json["id"] as? String ?? ""
            street = json["street"] as? String ?? ""
            city = json["city"] as? String ?? ""
            postalCode = json["postalCode"] as? String ?? ""
            primary = json["primary"] as? Bool ?? false
        }
    }

    var name: String?
    var email: String?
    var phone: String?
    var birthDate: String?
    var status: String?
    var addresses: [Address] = []
    var version = 0

    var description: String {
        "v\(version) \(status ?? "-") \(name ?? "-") \(email ?? "-") \(phone ?? "nil") "
            + addresses.map { "\($0.city)\($0.primary ? "*" : "")" }.joined(separator: ",")
    }

    /// Applies the history items in order. Throws when an item is unknown, so that a new event
    /// type cannot go unchecked.
    init(history items: [[String: Any]]) throws {
        for item in items {
            let data = item["data"] as? [String: Any] ?? [:]
            version = item["version"] as? Int ?? -1
            switch item["type"] as? String {
            case "customer.registered":
                name = data["name"] as? String
                email = data["email"] as? String
                phone = data["phone"] as? String
                birthDate = data["birthDate"] as? String
                status = data["status"] as? String
                addresses = (data["addresses"] as? [[String: Any]] ?? []).map(Address.init)
            case "customer.profile_updated":
                let changed = data["changed"] as? [String] ?? []
                if changed.contains("name") { name = data["name"] as? String }
                if changed.contains("phone") { phone = data["phone"] as? String }
                if changed.contains("birthDate") { birthDate = data["birthDate"] as? String }
            case "customer.email_changed":
                email = data["email"] as? String
            case "customer.address_added":
                let address = Address(data["address"] as? [String: Any] ?? [:])
                if address.primary { markPrimary(nil) }
                addresses.append(address)
            case "customer.address_updated":
                let address = Address(data["address"] as? [String: Any] ?? [:])
                if address.primary { markPrimary(nil) }
                if let index = addresses.firstIndex(where: { $0.id == address.id }) { addresses[index] = address }
            case "customer.address_removed":
                addresses.removeAll { $0.id == data["addressId"] as? String }
                if let next = data["newPrimaryAddressId"] as? String { markPrimary(next) }
            case "customer.primary_address_changed":
                markPrimary(data["addressId"] as? String)
            case "customer.deactivated":
                status = "inactive"
            case "customer.reactivated":
                status = "active"
            case "customer.erased":
                status = "erased"
            case let other:
                throw UnknownEvent(type: other ?? "nil")
            }
        }
    }

    /// The service's answer for the customer, in the same shape.
    init(customer json: [String: Any]) {
        name = json["name"] as? String
        email = json["email"] as? String
        phone = json["phone"] as? String
        birthDate = json["birthDate"] as? String
        status = json["status"] as? String
        addresses = (json["addresses"] as? [[String: Any]] ?? []).map(Address.init)
        version = json["version"] as? Int ?? -1
    }

    private mutating func markPrimary(_ id: String?) {
        for index in addresses.indices { addresses[index].primary = addresses[index].id == id }
    }

    struct UnknownEvent: Error {
        let type: String
    }
}
