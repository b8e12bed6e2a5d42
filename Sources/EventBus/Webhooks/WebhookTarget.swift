import Foundation

/// Which URLs a subscription may target: `http` or `https` only, and no loopback, private,
/// link-local or unspecified address unless private targets are allowed (an endpoint inside the
/// network is a way into it: SSRF).
///
/// - Important: Host names are resolved when the subscription is created and every address they
///   resolve to is checked; a name that later resolves elsewhere (DNS rebinding) is not caught.
public enum WebhookTarget {
    /// Why `url` may not be a target, or `nil` when it may.
    public static func refusal(of url: String, allowPrivate: Bool) -> String? {
        guard let components = URLComponents(string: url), let scheme = components.scheme?.lowercased(), ["http", "https"].contains(scheme) else {
            return "must be an http or https URL"
        }
        guard let host = components.host, !host.isEmpty else { return "must name a host" }
        if components.user != nil || components.password != nil { return "must not carry credentials" }
        if allowPrivate { return nil }
        let bare = host.hasPrefix("[") ? String(host.dropFirst().dropLast()) : host
        if bare.lowercased() == "localhost" || bare.lowercased().hasSuffix(".localhost") { return "must not be a loopback address" }
        let addresses = isIPAddress(bare) ? [bare] : resolve(bare)
        if addresses.isEmpty { return "names a host that does not resolve" }
        for address in addresses where isPrivate(address) {
            return "must not be a loopback, private or link-local address (\(address))"
        }
        return nil
    }

    static func isIPAddress(_ text: String) -> Bool {
        var v4 = in_addr()
        var v6 = in6_addr()
        return inet_pton(AF_INET, text, &v4) == 1 || inet_pton(AF_INET6, text, &v6) == 1
    }

    static func resolve(_ host: String) -> [String] {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var result: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, nil, &hints, &result) == 0, let first = result else { return [] }
        defer { freeaddrinfo(first) }
        var addresses: [String] = []
        var cursor: UnsafeMutablePointer<addrinfo>? = first
        while let entry = cursor {
            var buffer = [CChar](repeating: 0, count: Int(NI_MAXHOST))
            if getnameinfo(entry.pointee.ai_addr, entry.pointee.ai_addrlen, &buffer, socklen_t(buffer.count), nil, 0, NI_NUMERICHOST) == 0 {
                addresses.append(String(cString: buffer))
            }
            cursor = entry.pointee.ai_next
        }
        return addresses
    }

    /// Loopback, private, link-local, unique-local, unspecified or mapped IPv4 of those.
    static func isPrivate(_ address: String) -> Bool {
        var v4 = in_addr()
        if inet_pton(AF_INET, address, &v4) == 1 {
            let value = UInt32(bigEndian: v4.s_addr)
            let a = value >> 24, b = (value >> 16) & 0xff
            return a == 127 || a == 10 || a == 0 || (a == 172 && (16...31).contains(b)) || (a == 192 && b == 168) || (a == 169 && b == 254)
                || (a == 100 && (64...127).contains(b))
        }
        var v6 = in6_addr()
        guard inet_pton(AF_INET6, address, &v6) == 1 else { return true }
        let bytes = withUnsafeBytes(of: v6) { Array($0) }
        if bytes.allSatisfy({ $0 == 0 }) { return true }
        if bytes[0..<15].allSatisfy({ $0 == 0 }) && bytes[15] == 1 { return true }
        if bytes[0] & 0xfe == 0xfc { return true }
        if bytes[0] == 0xfe && bytes[1] & 0xc0 == 0x80 { return true }
        if bytes[0..<10].allSatisfy({ $0 == 0 }) && bytes[10] == 0xff && bytes[11] == 0xff {
            return isPrivate("\(bytes[12]).\(bytes[13]).\(bytes[14]).\(bytes[15])")
        }
        return false
    }
}
