import CustomerDomain
import Foundation
import Testing

@Suite("Customer aggregate")
struct CustomerTests {
    let now = Date(timeIntervalSince1970: 1_790_000_000)

    func postal(_ city: String = "São Paulo") throws -> PostalAddress {
        try PostalAddress(label: nil, street: "Rua A", number: "1", complement: nil, district: nil, city: city, state: nil, postalCode: "01000-000", country: "BR")
    }

    func registered(addresses: Int = 1) throws -> Customer {
        var customer = try Customer.register(
            id: .generate(at: now), name: PersonName("Ana"), email: EmailAddress("ana@example.com"),
            addresses: try (0..<addresses).map { .init(id: .generate(at: now), postal: try postal("City \($0)"), primary: false) },
            at: now
        )
        _ = customer.dequeueEvents()
        return customer
    }

    @Test("registration records CustomerRegistered at version 1; the first address becomes primary")
    func registers() throws {
        let customer = try Customer.register(
            id: .generate(at: now), name: PersonName("Ana"), email: EmailAddress("ana@example.com"),
            addresses: [.init(id: .generate(at: now), postal: try postal(), primary: false), .init(id: .generate(at: now), postal: try postal("Rio"), primary: false)],
            at: now
        )
        #expect(customer.version == 1)
        #expect(customer.status == .active)
        #expect(customer.addresses.map(\.isPrimary) == [true, false])
        #expect(customer.pendingEvents.count == 1)
        #expect(customer.pendingEvents.first is CustomerRegistered)
        #expect(customer.pendingEvents.first?.version == 1)
    }

    @Test("registration refuses two primary addresses and more than ten")
    func registrationGuards() throws {
        #expect(throws: CustomerDomainError.self) {
            try Customer.register(
                id: .generate(), name: PersonName("Ana"), email: EmailAddress("a@b.co"),
                addresses: [.init(id: .generate(), postal: try postal(), primary: true), .init(id: .generate(), postal: try postal(), primary: true)],
                at: now
            )
        }
        #expect(throws: CustomerDomainError.self) {
            try Customer.register(
                id: .generate(), name: PersonName("Ana"), email: EmailAddress("a@b.co"),
                addresses: try (0..<11).map { _ in .init(id: .generate(), postal: try postal(), primary: false) }, at: now
            )
        }
    }

    @Test("updating the profile records only the fields that changed")
    func profileChanges() throws {
        var customer = try registered()
        try customer.updateProfile(name: PersonName("Ana Maria"), phone: .set(PhoneNumber("+5511987654321")), birthDate: .keep, at: now)
        let event = try #require(customer.pendingEvents.last as? CustomerProfileUpdated)
        #expect(event.changed == [.name, .phone])
        #expect(event.version == 2)
        #expect(customer.version == 2)
        try customer.updateProfile(name: nil, phone: .clear, birthDate: .keep, at: now)
        #expect(customer.phone == nil)
        #expect(customer.version == 3)
    }

    @Test("a change that changes nothing records no event and keeps the version")
    func recordsNoEventWhenNothingChanges() throws {
        var customer = try registered()
        try customer.updateProfile(name: PersonName("Ana"), phone: .keep, birthDate: .clear, at: now)
        try customer.changeEmail(to: EmailAddress("ANA@example.com"), at: now)
        try customer.setPrimaryAddress(customer.addresses[0].id, at: now)
        try customer.updateAddress(customer.addresses[0].id, to: try postal("City 0"), primary: true, at: now)
        #expect(customer.pendingEvents.isEmpty)
        #expect(customer.version == 1)
    }

    @Test("adding a primary address moves the flag; the eleventh address is refused")
    func addressRules() throws {
        var customer = try registered(addresses: 9)
        let first = customer.addresses[0].id
        let added = try customer.addAddress(.init(id: .generate(at: now), postal: try postal("Rio"), primary: true), at: now)
        #expect(customer.addresses.filter(\.isPrimary).map(\.id) == [added.id])
        let event = try #require(customer.pendingEvents.last as? CustomerAddressAdded)
        #expect(event.previousPrimaryAddressId == first)
        #expect(throws: CustomerDomainError.self) {
            try customer.addAddress(.init(id: .generate(at: now), postal: try postal(), primary: false), at: now)
        }
    }

    @Test("removing the primary address promotes the oldest remaining one")
    func removingPrimary() throws {
        var customer = try registered(addresses: 3)
        try customer.setPrimaryAddress(customer.addresses[2].id, at: now)
        let primary = customer.addresses[2].id
        try customer.removeAddress(primary, at: now)
        #expect(customer.addresses.map(\.isPrimary) == [true, false])
        let event = try #require(customer.pendingEvents.last as? CustomerAddressRemoved)
        #expect(event.newPrimaryAddressId == customer.addresses[0].id)
        #expect(throws: CustomerDomainError.self) { try customer.removeAddress(primary, at: now) }
    }

    @Test("the primary address cannot be unmarked directly")
    func cannotUnmarkPrimary() throws {
        var customer = try registered(addresses: 2)
        #expect(throws: CustomerDomainError.self) {
            try customer.updateAddress(customer.addresses[0].id, to: try postal(), primary: false, at: now)
        }
    }

    @Test("deactivate and reactivate only from the right state")
    func lifecycle() throws {
        var customer = try registered()
        #expect { try customer.reactivate(at: now) } throws: { ($0 as? CustomerDomainError)?.code == .invalidState }
        try customer.deactivate(reason: "asked", at: now)
        #expect(customer.status == .inactive)
        #expect(customer.deactivationReason == "asked")
        #expect { try customer.deactivate(reason: "again", at: now) } throws: { ($0 as? CustomerDomainError)?.code == .invalidState }
        #expect(throws: CustomerDomainError.self) { try customer.deactivate(reason: " ", at: now) }
        try customer.reactivate(at: now)
        #expect(customer.status == .active)
        #expect(customer.version == 3)
    }

    @Test("erasure clears personal data and then refuses every change")
    func erasure() throws {
        var customer = try registered(addresses: 2)
        try customer.updateProfile(name: nil, phone: .set(PhoneNumber("+5511987654321")), birthDate: .keep, at: now)
        try customer.erase(at: now)
        #expect(customer.status == .erased)
        #expect(customer.addresses.isEmpty && customer.phone == nil && customer.document == nil)
        #expect(customer.pendingEvents.last is CustomerErased)
        #expect { try customer.erase(at: now) } throws: { ($0 as? CustomerDomainError)?.code == .customerErased }
        #expect { try customer.changeEmail(to: EmailAddress("x@y.co"), at: now) } throws: { ($0 as? CustomerDomainError)?.code == .customerErased }
        #expect { try customer.reactivate(at: now) } throws: { ($0 as? CustomerDomainError)?.code == .customerErased }
        #expect {
            try customer.addAddress(.init(id: .generate(), postal: try postal(), primary: false), at: now)
        } throws: {
            ($0 as? CustomerDomainError)?.code == .customerErased
        }
    }

    @Test("events encode only their payload; erasure's payload is empty")
    func eventPayloads() throws {
        var customer = try registered()
        try customer.changeEmail(to: EmailAddress("new@example.com"), at: now)
        try customer.erase(at: now)
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let events = customer.dequeueEvents()
        #expect(String(decoding: try encoder.encode(events[0] as! CustomerEmailChanged), as: UTF8.self) == #"{"email":"new@example.com"}"#)
        #expect(String(decoding: try encoder.encode(events[1] as! CustomerErased), as: UTF8.self) == "{}")
        #expect(customer.pendingEvents.isEmpty)
    }
}
