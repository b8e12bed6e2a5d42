import Foundation

/// A customer: the aggregate root that guards every rule about one person or company and
/// records what happened to it as ``CustomerEvent``s.
///
/// Each behaviour guards its invariants, changes state, bumps ``version`` and records exactly one
/// event; a call that would change nothing records nothing and leaves the version alone.
/// Nothing but reads is allowed once the customer is ``CustomerStatus/erased``.
///
/// - Important: The aggregate is a value. A repository loads it, a handler calls behaviours on
///   its copy, and the unit of work saves that copy together with ``pendingEvents``.
public struct Customer: Sendable {
    public static let maxAddresses = 10
    public static let maxReasonLength = 500

    public let id: CustomerID
    public private(set) var name: PersonName
    public private(set) var email: EmailAddress
    public private(set) var phone: PhoneNumber?
    public private(set) var document: TaxDocument?
    public private(set) var birthDate: BirthDate?
    public private(set) var addresses: [Address]
    public private(set) var status: CustomerStatus
    public private(set) var deactivationReason: String?
    public private(set) var version: Int
    public let createdAt: Date
    public private(set) var updatedAt: Date

    /// Events recorded since the customer was loaded or registered, oldest first.
    public private(set) var pendingEvents: [any CustomerEvent] = []

    /// Rebuilds a customer from storage. It records no event: nothing happened, it was read.
    public init(
        restoringID id: CustomerID,
        name: PersonName,
        email: EmailAddress,
        phone: PhoneNumber?,
        document: TaxDocument?,
        birthDate: BirthDate?,
        addresses: [Address],
        status: CustomerStatus,
        deactivationReason: String?,
        version: Int,
        createdAt: Date,
        updatedAt: Date
    ) {
        self.id = id
        self.name = name
        self.email = email
        self.phone = phone
        self.document = document
        self.birthDate = birthDate
        self.addresses = addresses
        self.status = status
        self.deactivationReason = deactivationReason
        self.version = version
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    /// An address to create together with the customer or on its own.
    public struct NewAddress: Sendable, Hashable {
        public let id: AddressID
        public let postal: PostalAddress
        public let primary: Bool

        public init(id: AddressID, postal: PostalAddress, primary: Bool) {
            self.id = id
            self.postal = postal
            self.primary = primary
        }
    }

    /// Registers a new customer at version 1.
    ///
    /// The first address becomes primary when none is marked; marking more than one is an error.
    public static func register(
        id: CustomerID,
        name: PersonName,
        email: EmailAddress,
        phone: PhoneNumber? = nil,
        document: TaxDocument? = nil,
        birthDate: BirthDate? = nil,
        addresses newAddresses: [NewAddress] = [],
        at now: Date
    ) throws -> Customer {
        guard newAddresses.count <= maxAddresses else {
            throw CustomerDomainError(.tooManyAddresses, "A customer has at most \(maxAddresses) addresses.")
        }
        let primaries = newAddresses.filter(\.primary).count
        guard primaries <= 1 else {
            throw CustomerDomainError(.multiplePrimaryAddresses, "At most one address may be marked primary.")
        }
        var addresses: [Address] = []
        for (index, new) in newAddresses.enumerated() {
            let primary = primaries == 0 ? index == 0 : new.primary
            addresses.append(Address(id: new.id, postal: new.postal, isPrimary: primary))
        }
        var customer = Customer(
            restoringID: id, name: name, email: email, phone: phone, document: document, birthDate: birthDate,
            addresses: addresses, status: .active, deactivationReason: nil, version: 1, createdAt: now, updatedAt: now
        )
        customer.pendingEvents.append(
            CustomerRegistered(
                metadata: EventMetadata(customerID: id, version: 1, occurredAt: now),
                name: name.value,
                email: email.value,
                phone: phone?.value,
                document: document.map(DocumentPayload.init),
                birthDate: birthDate?.description,
                status: .active,
                addresses: addresses.map(AddressPayload.init)
            )
        )
        return customer
    }

    /// The primary address, if the customer has any address.
    public var primaryAddress: Address? { addresses.first(where: \.isPrimary) }

    /// Hands the recorded events over (to the unit of work) and forgets them.
    public mutating func dequeueEvents() -> [any CustomerEvent] {
        defer { pendingEvents.removeAll() }
        return pendingEvents
    }

    // MARK: - Internal bookkeeping shared by the behaviours

    func ensureNotErased() throws {
        guard status != .erased else {
            throw CustomerDomainError(.customerErased, "The customer was erased; only reads are allowed.")
        }
    }

    /// Bumps the version and timestamp and returns the metadata for the event being recorded.
    mutating func advance(at now: Date) -> EventMetadata {
        version += 1
        updatedAt = max(updatedAt, now)
        return EventMetadata(customerID: id, version: version, occurredAt: now)
    }

    mutating func record(_ event: any CustomerEvent) {
        pendingEvents.append(event)
    }

    // The mutators below are used by the behaviours in the extensions of this type.
    mutating func setName(_ value: PersonName) { name = value }
    mutating func setEmail(_ value: EmailAddress) { email = value }
    mutating func setPhone(_ value: PhoneNumber?) { phone = value }
    mutating func setBirthDate(_ value: BirthDate?) { birthDate = value }
    mutating func setAddresses(_ value: [Address]) { addresses = value }
    mutating func setStatus(_ value: CustomerStatus, reason: String?) {
        status = value
        deactivationReason = reason
    }
    mutating func clearPersonalData() {
        name = .redacted
        email = .redacted
        phone = nil
        document = nil
        birthDate = nil
        addresses = []
        deactivationReason = nil
    }
}
