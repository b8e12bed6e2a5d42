import Crypto
import Foundation

/// Signs webhook requests by the Standard Webhooks scheme (standardwebhooks.com): the
/// `webhook-id`, `webhook-timestamp` and `webhook-signature: v1,<base64 HMAC-SHA256>` headers,
/// the HMAC over `<id>.<timestamp>.<body>` keyed with the secret's bytes (`whsec_<base64>`).
public enum WebhookSigner {
    /// A new secret: 32 random bytes, `whsec_` + base64.
    public static func makeSecret() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return "whsec_" + Data(bytes).base64EncodedString()
    }

    /// The key bytes of a `whsec_…` secret; `nil` when it is not one.
    public static func key(of secret: String) -> SymmetricKey? {
        guard secret.hasPrefix("whsec_"), let bytes = Data(base64Encoded: String(secret.dropFirst(6))) else { return nil }
        return SymmetricKey(data: bytes)
    }

    /// `v1,<base64>` for this message.
    public static func signature(secret: String, id: String, timestamp: Int, body: Data) -> String? {
        guard let key = key(of: secret) else { return nil }
        var message = Data("\(id).\(timestamp).".utf8)
        message.append(body)
        let mac = HMAC<SHA256>.authenticationCode(for: message, using: key)
        return "v1," + Data(mac).base64EncodedString()
    }

    /// Whether `header` (space-separated `v1,<base64>` values) holds a valid signature; what a
    /// receiver checks.
    public static func verify(secret: String, id: String, timestamp: Int, body: Data, header: String) -> Bool {
        guard let expected = signature(secret: secret, id: id, timestamp: timestamp, body: body) else { return false }
        return header.split(separator: " ").contains { $0 == expected }
    }
}
