import CustomerApplication
import CustomerDomain
import Foundation
import SQLKit
import Synchronization

/// Loads and stores the customer aggregate (customer row + address rows) inside one transaction.
///
/// It remembers the addresses of every customer it loaded, so that saving writes only the
/// address rows that changed.
final class SQLCustomerRepository: CustomerRepository {
    private let database: any SQLDatabase
    private let names: SchemaNames
    private let loadedAddresses = Mutex<[CustomerID: [Address]]>([:])

    init(database: any SQLDatabase, names: SchemaNames) {
        self.database = database
        self.names = names
    }

    func find(_ id: CustomerID) async throws -> Customer? {
        let rows = try await database.raw(CustomerRowMapping.customerStatement(id, names: names)).all()
        guard let first = rows.first else { return nil }
        let columns = try CustomerRowMapping.readCustomer(first)
        let addresses = try CustomerRowMapping.readAddresses(rows).map(Self.address(from:))
        loadedAddresses.withLock { $0[id] = addresses }
        return try Self.customer(from: columns, addresses: addresses)
    }

    func add(_ customer: Customer) async throws {
        do {
            try await database.raw(
                """
                INSERT INTO \(ident: names.customers)
                    (id, name, search_name, email, phone, document_type, document_number, birth_date, status,
                     deactivation_reason, version, created_at, updated_at)
                VALUES (\(values(of: customer)))
                """
            ).run()
        } catch let violation as UniqueViolation {
            throw translate(violation)
        }
        try await insertAddresses(customer.addresses, ordinals: Array(customer.addresses.indices), of: customer.id)
        loadedAddresses.withLock { $0[customer.id] = customer.addresses }
    }

    func update(_ customer: Customer, expectedVersion: Int) async throws {
        let erased = customer.status == .erased
        let updated: Int
        do {
            updated = try await database.matchedRows(
                """
                UPDATE \(ident: names.customers) SET
                    name = \(nullable(erased ? nil : customer.name.value)),
                    search_name = \(nullable(erased ? nil : CustomerRowMapping.searchName(customer.name.value))),
                    email = \(nullable(erased ? nil : customer.email.value)),
                    phone = \(nullable(customer.phone?.value)),
                    document_type = \(nullable(customer.document?.kind.rawValue)),
                    document_number = \(nullable(customer.document?.number)),
                    birth_date = \(nullable(customer.birthDate.map { DatabaseDay($0.day) })),
                    status = \(bind: customer.status.rawValue),
                    deactivation_reason = \(nullable(customer.deactivationReason)),
                    version = \(bind: customer.version),
                    updated_at = \(bind: DatabaseTimestamp(customer.updatedAt))
                WHERE id = \(bind: DatabaseUUID(customer.id.rawValue)) AND version = \(bind: expectedVersion)
                """
            )
        } catch let violation as UniqueViolation {
            throw translate(violation)
        }
        guard updated > 0 else {
            throw ConcurrencyConflict(customerID: customer.id, expectedVersion: expectedVersion)
        }
        let remembered = loadedAddresses.withLock { $0[customer.id] }
        let before: [Address]
        if let remembered {
            before = remembered
        } else {
            before = try await storedAddresses(of: customer.id)
        }
        try await saveAddressChanges(from: before, to: customer.addresses, of: customer.id)
        loadedAddresses.withLock { $0[customer.id] = customer.addresses }
    }

    // MARK: - Addresses

    /// The stored addresses of a customer this repository did not load itself.
    private func storedAddresses(of id: CustomerID) async throws -> [Address] {
        let rows = try await database.raw(Self.storedAddressesStatement(id, names: names)).all()
        return try CustomerRowMapping.readAddresses(rows).map(Self.address(from:))
    }

    // MARK: - Statements (internal so that tests can EXPLAIN them)

    static func storedAddressesStatement(_ id: CustomerID, names: SchemaNames) -> SQLQueryString {
        """
        SELECT \(unsafeRaw: CustomerRowMapping.addressColumns("a")) FROM \(ident: names.addresses) a
        WHERE a.customer_id = \(bind: DatabaseUUID(id.rawValue))
        """
    }

    /// Writes the difference between two address lists: deletes, then updates (the rows losing
    /// the primary flag first, so the one-primary index never sees two), then inserts.
    private func saveAddressChanges(from before: [Address], to after: [Address], of customer: CustomerID) async throws {
        let afterIDs = Set(after.map(\.id))
        let removed = before.filter { !afterIDs.contains($0.id) }.map { DatabaseUUID($0.id.rawValue) }
        if !removed.isEmpty {
            try await database.raw(
                "DELETE FROM \(ident: names.addresses) WHERE id IN (\(binds: removed.map { $0 as any Encodable & Sendable }))"
            ).run()
        }
        let previous = Dictionary(uniqueKeysWithValues: before.enumerated().map { ($1.id, (ordinal: $0, address: $1)) })
        var changed: [(ordinal: Int, address: Address)] = []
        var inserted: [(ordinal: Int, address: Address)] = []
        for (ordinal, address) in after.enumerated() {
            if let old = previous[address.id] {
                if old.address != address || old.ordinal != ordinal { changed.append((ordinal, address)) }
            } else {
                inserted.append((ordinal, address))
            }
        }
        changed.sort { !$0.address.isPrimary && $1.address.isPrimary }
        for (ordinal, address) in changed {
            let postal = address.postal
            try await database.raw(
                """
                UPDATE \(ident: names.addresses) SET
                    ordinal = \(bind: ordinal), label = \(nullable(postal.label)), street = \(bind: postal.street),
                    number = \(bind: postal.number), complement = \(nullable(postal.complement)),
                    district = \(nullable(postal.district)), city = \(bind: postal.city), state = \(nullable(postal.state)),
                    postal_code = \(bind: postal.postalCode), country = \(bind: postal.country.value),
                    is_primary = \(bind: address.isPrimary)
                WHERE id = \(bind: DatabaseUUID(address.id.rawValue))
                """
            ).run()
        }
        try await insertAddresses(inserted.map(\.address), ordinals: inserted.map(\.ordinal), of: customer)
    }

    private func insertAddresses(_ addresses: [Address], ordinals: [Int], of customer: CustomerID) async throws {
        guard !addresses.isEmpty else { return }
        let rows: [SQLQueryString] = zip(addresses, ordinals).map { address, ordinal in
            let postal = address.postal
            return """
                (\(bind: DatabaseUUID(address.id.rawValue)), \(bind: DatabaseUUID(customer.rawValue)), \(bind: ordinal),
                 \(nullable(postal.label)), \(bind: postal.street), \(bind: postal.number), \(nullable(postal.complement)),
                 \(nullable(postal.district)), \(bind: postal.city), \(nullable(postal.state)), \(bind: postal.postalCode),
                 \(bind: postal.country.value), \(bind: address.isPrimary))
                """
        }
        try await database.raw(
            """
            INSERT INTO \(ident: names.addresses)
                (id, customer_id, ordinal, label, street, number, complement, district, city, state, postal_code, country, is_primary)
            VALUES \(rows.joined(separator: ", "))
            """
        ).run()
    }

    // MARK: - Mapping

    private func values(of customer: Customer) -> SQLQueryString {
        """
        \(bind: DatabaseUUID(customer.id.rawValue)), \(bind: customer.name.value),
        \(bind: CustomerRowMapping.searchName(customer.name.value)), \(bind: customer.email.value),
        \(nullable(customer.phone?.value)), \(nullable(customer.document?.kind.rawValue)), \(nullable(customer.document?.number)),
        \(nullable(customer.birthDate.map { DatabaseDay($0.day) })), \(bind: customer.status.rawValue),
        \(nullable(customer.deactivationReason)), \(bind: customer.version), \(bind: DatabaseTimestamp(customer.createdAt)),
        \(bind: DatabaseTimestamp(customer.updatedAt))
        """
    }

    private func translate(_ violation: UniqueViolation) -> any Error {
        if names.isEmailViolation(violation) {
            return ApplicationError(.emailTaken, "Another customer has this e-mail address.")
        }
        if names.isDocumentViolation(violation) {
            return ApplicationError(.documentTaken, "Another customer has this document.")
        }
        return violation
    }

    private static func address(from details: AddressDetails) throws -> Address {
        Address(
            id: details.id,
            postal: try PostalAddress(
                label: details.label, street: details.street, number: details.number, complement: details.complement,
                district: details.district, city: details.city, state: details.state, postalCode: details.postalCode,
                country: details.country
            ),
            isPrimary: details.primary
        )
    }

    private static func customer(from columns: CustomerRowMapping.CustomerColumns, addresses: [Address]) throws -> Customer {
        let erased = columns.status == .erased
        var document: TaxDocument?
        if let type = columns.documentType, let number = columns.documentNumber, let kind = TaxDocument.Kind(rawValue: type) {
            document = try TaxDocument(kind: kind, number: number)
        }
        return Customer(
            restoringID: columns.id,
            name: erased ? .redacted : try PersonName(columns.name ?? ""),
            email: erased ? .redacted : try EmailAddress(columns.email ?? ""),
            phone: try columns.phone.map(PhoneNumber.init),
            document: document,
            birthDate: columns.birthDate.map(BirthDate.init(stored:)),
            addresses: addresses,
            status: columns.status,
            deactivationReason: columns.deactivationReason,
            version: columns.version,
            createdAt: columns.createdAt,
            updatedAt: columns.updatedAt
        )
    }
}
