import Foundation

extension Customer {
    /// Adds an address. It becomes primary when asked to, or when it is the first one; the
    /// address that was primary then loses the flag.
    @discardableResult
    public mutating func addAddress(_ new: NewAddress, at now: Date) throws -> Address {
        try ensureNotErased()
        guard addresses.count < Self.maxAddresses else {
            throw CustomerDomainError(.tooManyAddresses, "A customer has at most \(Self.maxAddresses) addresses.")
        }
        var updated = addresses
        let makePrimary = new.primary || updated.isEmpty
        let previousPrimary = makePrimary ? primaryAddress?.id : nil
        if makePrimary {
            for index in updated.indices { updated[index].isPrimary = false }
        }
        let address = Address(id: new.id, postal: new.postal, isPrimary: makePrimary)
        updated.append(address)
        setAddresses(updated)
        record(
            CustomerAddressAdded(
                metadata: advance(at: now),
                address: AddressPayload(address),
                previousPrimaryAddressId: previousPrimary
            )
        )
        return address
    }

    /// Replaces the content of an address. `primary: true` moves the primary flag to it;
    /// `primary: false` on the primary address is refused, because a customer with addresses
    /// always has exactly one primary: mark another address primary instead.
    @discardableResult
    public mutating func updateAddress(_ id: AddressID, to postal: PostalAddress, primary: Bool, at now: Date) throws -> Address {
        try ensureNotErased()
        guard let index = addresses.firstIndex(where: { $0.id == id }) else {
            throw CustomerDomainError(.addressNotFound, "The customer has no address with that id.")
        }
        let current = addresses[index]
        if current.isPrimary && !primary {
            throw CustomerDomainError(
                .invalidState, "The primary address cannot be unmarked; mark another address as primary instead.")
        }
        let movesPrimary = primary && !current.isPrimary
        guard current.postal != postal || movesPrimary else { return current }

        var updated = addresses
        let previousPrimary = movesPrimary ? primaryAddress?.id : nil
        if movesPrimary {
            for other in updated.indices { updated[other].isPrimary = false }
        }
        updated[index].postal = postal
        updated[index].isPrimary = current.isPrimary || movesPrimary
        setAddresses(updated)
        let address = updated[index]
        record(
            CustomerAddressUpdated(
                metadata: advance(at: now),
                address: AddressPayload(address),
                previousPrimaryAddressId: previousPrimary
            )
        )
        return address
    }

    /// Removes an address. Removing the primary one makes the oldest remaining address primary.
    public mutating func removeAddress(_ id: AddressID, at now: Date) throws {
        try ensureNotErased()
        guard let index = addresses.firstIndex(where: { $0.id == id }) else {
            throw CustomerDomainError(.addressNotFound, "The customer has no address with that id.")
        }
        var updated = addresses
        let removed = updated.remove(at: index)
        var newPrimary: AddressID?
        if removed.isPrimary, !updated.isEmpty {
            updated[0].isPrimary = true
            newPrimary = updated[0].id
        }
        setAddresses(updated)
        record(CustomerAddressRemoved(metadata: advance(at: now), addressId: id, newPrimaryAddressId: newPrimary))
    }

    /// Makes an address the primary one; nothing happens when it already is.
    public mutating func setPrimaryAddress(_ id: AddressID, at now: Date) throws {
        try ensureNotErased()
        guard let index = addresses.firstIndex(where: { $0.id == id }) else {
            throw CustomerDomainError(.addressNotFound, "The customer has no address with that id.")
        }
        guard !addresses[index].isPrimary else { return }
        let previous = primaryAddress?.id
        var updated = addresses
        for other in updated.indices { updated[other].isPrimary = other == index }
        setAddresses(updated)
        record(CustomerPrimaryAddressChanged(metadata: advance(at: now), addressId: id, previousPrimaryAddressId: previous))
    }
}
