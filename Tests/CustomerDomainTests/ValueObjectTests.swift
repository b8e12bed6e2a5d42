import CustomerDomain
import Foundation
import Testing

@Suite("Value objects")
struct ValueObjectTests {
    @Test("names are trimmed, normalised to NFC and limited to 200 characters")
    func personName() throws {
        #expect(try PersonName("  Ana  ").value == "Ana")
        #expect(try PersonName("Jose\u{0301}").value == "Jos\u{00E9}")
        #expect(try PersonName(String(repeating: "a", count: 200)).value.count == 200)
        #expect(throws: CustomerDomainError.self) { try PersonName(String(repeating: "a", count: 201)) }
        #expect(throws: CustomerDomainError.self) { try PersonName("   ") }
        #expect(throws: CustomerDomainError.self) { try PersonName("Ana\u{0007}") }
        #expect(throws: CustomerDomainError.self) { try PersonName("Ana\nSouza") }
    }

    @Test("e-mails are trimmed and lower-cased; one @, a dot in the domain, no spaces, at most 254")
    func emailAddress() throws {
        #expect(try EmailAddress("  Ana.Souza@Example.COM ").value == "ana.souza@example.com")
        for bad in ["ana", "ana@", "@example.com", "ana@example", "a@b@c.com", "an a@example.com", "ana@.com", "ana@example.", "ana@exa..mple.com"] {
            #expect(throws: CustomerDomainError.self, "\(bad)") { try EmailAddress(bad) }
        }
        let long = String(repeating: "a", count: 243) + "@example.com"
        #expect(long.count == 255)
        #expect(throws: CustomerDomainError.self) { try EmailAddress(long) }
    }

    @Test("phones drop spaces, dashes, dots and parentheses and must be E.164")
    func phoneNumber() throws {
        #expect(try PhoneNumber("+55 (11) 98765-4321").value == "+5511987654321")
        #expect(try PhoneNumber("+1.415.555.2671").value == "+14155552671")
        for bad in ["11987654321", "+0123456789", "+1234567", "+1234567890123456", "+55 11 9876x4321", ""] {
            #expect(throws: CustomerDomainError.self, "\(bad)") { try PhoneNumber(bad) }
        }
    }

    @Test("CPF check digits are verified; formatting is removed")
    func cpf() throws {
        #expect(try TaxDocument(kind: .cpf, number: "529.982.247-25").number == "52998224725")
        #expect(throws: CustomerDomainError.self) { try TaxDocument(kind: .cpf, number: "529.982.247-26") }
        #expect(throws: CustomerDomainError.self) { try TaxDocument(kind: .cpf, number: "111.111.111-11") }
        #expect(throws: CustomerDomainError.self) { try TaxDocument(kind: .cpf, number: "5299822472") }
    }

    @Test("CNPJ check digits are verified, numeric and alphanumeric")
    func cnpj() throws {
        #expect(try TaxDocument(kind: .cnpj, number: "11.222.333/0001-81").number == "11222333000181")
        #expect(throws: CustomerDomainError.self) { try TaxDocument(kind: .cnpj, number: "11.222.333/0001-82") }
        #expect(throws: CustomerDomainError.self) { try TaxDocument(kind: .cnpj, number: "00.000.000/0000-00") }
        // The Receita Federal's published example of the alphanumeric CNPJ.
        #expect(try TaxDocument(kind: .cnpj, number: "12.ABC.345/01DE-35").number == "12ABC34501DE35")
        #expect(try TaxDocument(kind: .cnpj, number: "12abc34501de35").number == "12ABC34501DE35")
        #expect(throws: CustomerDomainError.self) { try TaxDocument(kind: .cnpj, number: "12.ABC.345/01DE-36") }
    }

    @Test("other documents keep their text, 1 to 40 characters")
    func otherDocument() throws {
        #expect(try TaxDocument(kind: .other, number: " P1234567 ").number == "P1234567")
        #expect(throws: CustomerDomainError.self) { try TaxDocument(kind: .other, number: String(repeating: "9", count: 41)) }
    }

    @Test("birth dates are real dates between 1900-01-01 and today (UTC)")
    func birthDate() throws {
        let today = Date(timeIntervalSince1970: 1_790_000_000)  // 2026-09-21
        #expect(try BirthDate("1900-01-01", today: today).description == "1900-01-01")
        #expect(try BirthDate("2024-02-29", today: today).description == "2024-02-29")
        #expect(try BirthDate(CalendarDay(utcDayOf: today), today: today).day == CalendarDay(utcDayOf: today))
        for bad in ["1899-12-31", "2023-02-29", "2026-09-22", "1990-13-01", "1990-1-01", "19900101", "tomorrow"] {
            #expect(throws: CustomerDomainError.self, "\(bad)") { try BirthDate(bad, today: today) }
        }
    }

    @Test("countries are assigned ISO 3166-1 alpha-2 codes, stored upper-case")
    func country() throws {
        #expect(try CountryCode("br").value == "BR")
        for bad in ["UK", "EU", "BRA", "", "1A"] {
            #expect(throws: CustomerDomainError.self, "\(bad)") { try CountryCode(bad) }
        }
    }

    @Test("postal codes allow letters, digits, spaces and dashes, stored upper-case")
    func postalCode() throws {
        #expect(try PostalAddress.postalCode("sw1a 1aa") == "SW1A 1AA")
        #expect(try PostalAddress.postalCode("01310-100") == "01310-100")
        #expect(throws: CustomerDomainError.self) { try PostalAddress.postalCode("01310/100") }
    }

    @Test("customer ids are UUIDv7 and sort by creation time")
    func customerIDs() {
        let earlier = CustomerID.generate(at: Date(timeIntervalSince1970: 1_790_000_000))
        let later = CustomerID.generate(at: Date(timeIntervalSince1970: 1_790_000_000.001))
        #expect(earlier.rawValue.version == 7)
        #expect(earlier < later)
        #expect(CustomerID("not-a-uuid") == nil)
        #expect(CustomerID(earlier.description) == earlier)
    }

    @Test("timestamps format as RFC 3339 with microseconds and survive the microsecond round trip")
    func timestamps() {
        let date = Date(timeIntervalSince1970: 1_790_000_000.123456)
        #expect(Timestamp.rfc3339(date) == "2026-09-21T14:13:20.123456Z")
        #expect(Timestamp.date(microseconds: Timestamp.microseconds(date)) == Timestamp.truncated(date))
        #expect(Timestamp.rfc3339(microseconds: 0) == "1970-01-01T00:00:00.000000Z")
        #expect(Timestamp.rfc3339(microseconds: -1) == "1969-12-31T23:59:59.999999Z")
    }
}
