import Foundation

extension Customer {
    /// Changes name, phone and birth date at once (a merge patch); records
    /// ``CustomerProfileUpdated`` listing only the fields whose value really changed.
    public mutating func updateProfile(
        name newName: PersonName?,
        phone phoneUpdate: FieldUpdate<PhoneNumber>,
        birthDate birthDateUpdate: FieldUpdate<BirthDate>,
        at now: Date
    ) throws {
        try ensureNotErased()
        var changed: [CustomerProfileUpdated.Field] = []
        if let newName, newName != name { changed.append(.name) }
        let newPhone = phoneUpdate.applied(to: phone)
        if newPhone != phone { changed.append(.phone) }
        let newBirthDate = birthDateUpdate.applied(to: birthDate)
        if newBirthDate != birthDate { changed.append(.birthDate) }
        guard !changed.isEmpty else { return }

        if let newName { setName(newName) }
        setPhone(newPhone)
        setBirthDate(newBirthDate)
        let metadata = advance(at: now)
        record(
            CustomerProfileUpdated(
                metadata: metadata,
                changed: changed,
                name: changed.contains(.name) ? name.value : nil,
                phone: newPhone?.value,
                birthDate: newBirthDate?.description
            )
        )
    }

    /// Changes the e-mail address; records ``CustomerEmailChanged`` unless it is the same.
    ///
    /// Uniqueness among customers is not checked here: the database's unique index is the only
    /// reliable judge of that under concurrency.
    public mutating func changeEmail(to newEmail: EmailAddress, at now: Date) throws {
        try ensureNotErased()
        guard newEmail != email else { return }
        setEmail(newEmail)
        record(CustomerEmailChanged(metadata: advance(at: now), email: newEmail.value))
    }
}
