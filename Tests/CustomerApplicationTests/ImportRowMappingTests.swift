import CustomerApplication
import Testing

@Suite("Import row mapping")
struct ImportRowMappingTests {
    @Test("aliases fill the register command by their JSON paths; NULL or a missing column leaves the field absent")
    func aliasesFillTheCommand() {
        let row = ImportRow(number: 1, columns: [
            ("name", "Ana"), ("email", "ana@example.com"), ("phone", nil), ("document.type", "cpf"), ("document.number", "52998224725"),
            ("address.street", "Rua A"), ("address.city", "Recife"), ("address.country", nil),
        ])
        let command = ImportRowMapping.command(from: row)
        #expect(command.name == "Ana")
        #expect(command.email == "ana@example.com")
        #expect(command.phone == nil)
        #expect(command.birthDate == nil)
        #expect(command.document == DocumentInput(type: "cpf", number: "52998224725"))
        #expect(command.addresses == [AddressInput(street: "Rua A", city: "Recife", primary: true)])
    }

    @Test("a row without document or address columns registers neither")
    func noDocumentNoAddress() {
        let command = ImportRowMapping.command(from: ImportRow(number: 1, columns: [("name", "Ana"), ("document.number", nil), ("address.city", nil)]))
        #expect(command.document == nil)
        #expect(command.addresses == nil)
    }

    @Test("columns that name no field are reported before anything is imported")
    func unknownColumns() {
        #expect(ImportRowMapping.unknownColumns(["name", "nome", "address.cidade", "email"]) == ["nome", "address.cidade"])
    }
}
