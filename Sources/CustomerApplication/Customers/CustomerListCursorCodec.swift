import Crypto
import CustomerDomain
import Foundation

/// Makes and reads the opaque `cursor` of customer listings.
///
/// A cursor holds the sort key of the last item of a page and a digest of the filters it was
/// made for, authenticated with HMAC-SHA256 under a server key. A cursor that was altered, made
/// by another key, or sent back with other filters is refused as malformed instead of silently
/// paging through something else.
public struct CustomerListCursorCodec: Sendable {
    private let key: SymmetricKey

    /// - Parameter secret: the server key; replicas that share it accept each other's cursors.
    public init(secret: String) {
        self.key = SymmetricKey(data: SHA256.hash(data: Data(secret.utf8)))
    }

    public func encode(_ position: CustomerListPosition, filter: CustomerFilter) -> String {
        let payload = "1|\(position.createdAtMicroseconds)|\(position.id)|\(Self.digest(filter))"
        let mac = Data(HMAC<SHA256>.authenticationCode(for: Data(payload.utf8), using: key)).prefix(16)
        return Self.base64URL(Data(payload.utf8)) + "." + Self.base64URL(mac)
    }

    public func decode(_ cursor: String, filter: CustomerFilter) throws -> CustomerListPosition {
        let malformed = ApplicationError(.malformedCursor, "The cursor is not one this service issued for these filters.")
        let parts = cursor.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2,
              let payload = Self.fromBase64URL(String(parts[0])),
              let mac = Self.fromBase64URL(String(parts[1])),
              mac.count == 16
        else { throw malformed }
        let expected = Data(HMAC<SHA256>.authenticationCode(for: payload, using: key)).prefix(16)
        guard Self.constantTimeEqual(expected, mac) else { throw malformed }
        let fields = String(decoding: payload, as: UTF8.self).split(separator: "|", omittingEmptySubsequences: false)
        guard fields.count == 4, fields[0] == "1",
              let micros = Int64(fields[1]),
              let id = CustomerID(String(fields[2])),
              fields[3] == Self.digest(filter)
        else { throw malformed }
        return CustomerListPosition(createdAtMicroseconds: micros, id: id)
    }

    private static func digest(_ filter: CustomerFilter) -> String {
        let text = [filter.status?.rawValue ?? "", filter.prefix ?? "", filter.email ?? "", filter.document ?? ""]
            .map { "\($0.utf8.count):\($0)" }.joined()
        return SHA256.hash(data: Data(text.utf8)).prefix(8).map { String(format: "%02x", $0) }.joined()
    }

    private static func constantTimeEqual(_ lhs: Data, _ rhs: Data) -> Bool {
        guard lhs.count == rhs.count else { return false }
        var difference: UInt8 = 0
        for (left, right) in zip(lhs, rhs) { difference |= left ^ right }
        return difference == 0
    }

    static func base64URL(_ data: Data) -> String {
        data.base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static func fromBase64URL(_ text: String) -> Data? {
        guard text.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }) else { return nil }
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        return Data(base64Encoded: base64)
    }
}
