import Validation

/// Turns a legacy row into the register command, by column alias: the JSON paths of the
/// register-customer request (`name`, `email`, `phone`, `birthDate`, `document.type`,
/// `document.number`, and one address as `address.street`, `address.number`, `address.complement`,
/// `address.district`, `address.city`, `address.state`, `address.postalCode`, `address.country`,
/// `address.label`). A missing column or a NULL means the field is absent.
public enum ImportRowMapping {
    /// Every alias the import understands.
    public static let aliases: Set<String> = [
        "name", "email", "phone", "birthDate", "document.type", "document.number",
        "address.label", "address.street", "address.number", "address.complement", "address.district", "address.city",
        "address.state", "address.postalCode", "address.country",
    ]

    /// Columns of the query that name no field: an error before any row is imported, since a
    /// misspelt alias would otherwise drop a field silently.
    public static func unknownColumns(_ names: [String]) -> [String] {
        names.filter { !aliases.contains($0) }
    }

    public static func command(from row: ImportRow) -> RegisterCustomerCommand {
        let text = { (name: String) -> String? in row[name] }
        var document: DocumentInput?
        if text("document.type") != nil || text("document.number") != nil {
            document = DocumentInput(type: text("document.type"), number: text("document.number"))
        }
        let addressFields = ["label", "street", "number", "complement", "district", "city", "state", "postalCode", "country"]
        var addresses: [AddressInput]?
        if addressFields.contains(where: { text("address." + $0) != nil }) {
            addresses = [
                AddressInput(
                    label: text("address.label"), street: text("address.street"), number: text("address.number"),
                    complement: text("address.complement"), district: text("address.district"), city: text("address.city"),
                    state: text("address.state"), postalCode: text("address.postalCode"), country: text("address.country"),
                    primary: true
                )
            ]
        }
        return RegisterCustomerCommand(
            name: text("name"), email: text("email"), phone: text("phone"), document: document, birthDate: text("birthDate"),
            addresses: addresses
        )
    }
}
