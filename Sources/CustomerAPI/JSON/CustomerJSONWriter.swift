import CustomerApplication
import CustomerDomain
import Foundation

/// Writes a customer, and a page of the listing, as JSON straight into bytes: the answers of
/// every read and write of customers, the hottest encodings of the service.
///
/// - Important: the output is the document `JSONEncoder` writes for ``CustomerDetails`` with
///   `.sortedKeys` and `.withoutEscapingSlashes` (keys in the same order, `null` for absent
///   values, the same string escapes), without the encoder's boxing of every value (8.8% of a
///   GET by id's CPU in a profile). A test compares the two.
enum CustomerJSONWriter {
    static func encode(_ customer: CustomerDetails) -> Data {
        var out = [UInt8]()
        out.reserveCapacity(320 + 256 * customer.addresses.count)
        write(customer, to: &out)
        return Data(out)
    }

    static func write(_ customer: CustomerDetails, to out: inout [UInt8]) {
        out.append(contentsOf: #"{"addresses":["#.utf8)
        for (index, address) in customer.addresses.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            write(address, to: &out)
        }
        out.append(contentsOf: #"],"birthDate":"#.utf8)
        string(customer.birthDate, to: &out)
        out.append(contentsOf: #","createdAt":"#.utf8)
        string(Timestamp.rfc3339(customer.createdAt), to: &out)
        out.append(contentsOf: #","document":"#.utf8)
        if let document = customer.document {
            out.append(contentsOf: #"{"number":"#.utf8)
            string(document.number, to: &out)
            out.append(contentsOf: #","type":"#.utf8)
            string(document.type, to: &out)
            out.append(UInt8(ascii: "}"))
        } else {
            out.append(contentsOf: "null".utf8)
        }
        out.append(contentsOf: #","email":"#.utf8)
        string(customer.email, to: &out)
        out.append(contentsOf: #","id":"#.utf8)
        string(customer.id.description, to: &out)
        out.append(contentsOf: #","name":"#.utf8)
        string(customer.name, to: &out)
        out.append(contentsOf: #","phone":"#.utf8)
        string(customer.phone, to: &out)
        out.append(contentsOf: #","status":"#.utf8)
        string(customer.status.rawValue, to: &out)
        out.append(contentsOf: #","updatedAt":"#.utf8)
        string(Timestamp.rfc3339(customer.updatedAt), to: &out)
        out.append(contentsOf: #","version":"#.utf8)
        out.append(contentsOf: String(customer.version).utf8)
        out.append(UInt8(ascii: "}"))
    }

    /// A page of the listing: `{"items": [...], "nextCursor": ...}`, items as `CustomerSummary`
    /// encodes them.
    static func encode(_ page: CustomerPage) -> Data {
        var out = [UInt8]()
        out.reserveCapacity(64 + 256 * page.items.count)
        out.append(contentsOf: #"{"items":["#.utf8)
        for (index, item) in page.items.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            out.append(contentsOf: #"{"city":"#.utf8)
            string(item.city, to: &out)
            out.append(contentsOf: #","createdAt":"#.utf8)
            string(Timestamp.rfc3339(item.createdAt), to: &out)
            out.append(contentsOf: #","email":"#.utf8)
            string(item.email, to: &out)
            out.append(contentsOf: #","id":"#.utf8)
            string(item.id.description, to: &out)
            out.append(contentsOf: #","name":"#.utf8)
            string(item.name, to: &out)
            out.append(contentsOf: #","status":"#.utf8)
            string(item.status.rawValue, to: &out)
            out.append(contentsOf: #","updatedAt":"#.utf8)
            string(Timestamp.rfc3339(item.updatedAt), to: &out)
            out.append(UInt8(ascii: "}"))
        }
        out.append(contentsOf: #"],"nextCursor":"#.utf8)
        string(page.nextCursor, to: &out)
        out.append(UInt8(ascii: "}"))
        return Data(out)
    }

    static func write(_ address: AddressDetails, to out: inout [UInt8]) {
        out.append(contentsOf: #"{"city":"#.utf8)
        string(address.city, to: &out)
        out.append(contentsOf: #","complement":"#.utf8)
        string(address.complement, to: &out)
        out.append(contentsOf: #","country":"#.utf8)
        string(address.country, to: &out)
        out.append(contentsOf: #","district":"#.utf8)
        string(address.district, to: &out)
        out.append(contentsOf: #","id":"#.utf8)
        string(address.id.description, to: &out)
        out.append(contentsOf: #","label":"#.utf8)
        string(address.label, to: &out)
        out.append(contentsOf: #","number":"#.utf8)
        string(address.number, to: &out)
        out.append(contentsOf: #","postalCode":"#.utf8)
        string(address.postalCode, to: &out)
        out.append(contentsOf: #","primary":"#.utf8)
        out.append(contentsOf: (address.primary ? "true" : "false").utf8)
        out.append(contentsOf: #","state":"#.utf8)
        string(address.state, to: &out)
        out.append(contentsOf: #","street":"#.utf8)
        string(address.street, to: &out)
        out.append(UInt8(ascii: "}"))
    }

    /// A JSON string, or `null`: quotes, backslashes and control characters escaped as
    /// `JSONEncoder` escapes them; everything else, `/` and non-ASCII included, as is.
    static func string(_ text: String?, to out: inout [UInt8]) {
        guard let text else {
            out.append(contentsOf: "null".utf8)
            return
        }
        out.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out.append(contentsOf: #"\""#.utf8)
            case UInt8(ascii: "\\"): out.append(contentsOf: #"\\"#.utf8)
            case 0x0A: out.append(contentsOf: #"\n"#.utf8)
            case 0x0D: out.append(contentsOf: #"\r"#.utf8)
            case 0x09: out.append(contentsOf: #"\t"#.utf8)
            case 0x08: out.append(contentsOf: #"\b"#.utf8)
            case 0x0C: out.append(contentsOf: #"\f"#.utf8)
            case 0..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                out.append(contentsOf: #"\u00"#.utf8)
                out.append(hex[Int(byte >> 4)])
                out.append(hex[Int(byte & 0x0F)])
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}
