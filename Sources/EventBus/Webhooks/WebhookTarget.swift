import Foundation

/// Which URLs a subscription may target: `http` or `https` only, and no loopback, private,
/// link-local or unspecified address unless private targets are allowed (an endpoint inside the
/// network is a way into it: SSRF).
///
/// - Important: Host names are resolved when the subscription is created and every address they
///   resolve to is checked; a name that later resolves elsewhere (DNS rebinding) is not caught.
///   ``refusal(of:allowPrivate:)`` blocks while it resolves: call it off the concurrency pool.
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

    /// Loopback, private, shared (CGNAT), link-local, benchmarking, multicast, reserved,
    /// unique-local or unspecified; IPv6 forms that embed an IPv4 address (mapped, compatible,
    /// NAT64, 6to4) are judged by that address.
    public static func isPrivate(_ address: String) -> Bool {
        var v4 = in_addr()
        if inet_pton(AF_INET, address, &v4) == 1 {
            let value = UInt32(bigEndian: v4.s_addr)
            let a = value >> 24, b = (value >> 16) & 0xff
            return a == 127 || a == 10 || a == 0 || (a == 172 && (16...31).contains(b)) || (a == 192 && b == 168) || (a == 169 && b == 254)
                || (a == 100 && (64...127).contains(b)) || (a == 198 && (18...19).contains(b)) || a >= 224
        }
        var v6 = in6_addr()
        guard inet_pton(AF_INET6, address, &v6) == 1 else { return true }
        let bytes = withUnsafeBytes(of: v6) { Array($0) }
        func embedded(_ offset: Int) -> String { "\(bytes[offset]).\(bytes[offset + 1]).\(bytes[offset + 2]).\(bytes[offset + 3])" }
        if bytes.allSatisfy({ $0 == 0 }) { return true }
        if bytes[0..<15].allSatisfy({ $0 == 0 }) && bytes[15] == 1 { return true }
        if bytes[0] & 0xfe == 0xfc { return true }
        if bytes[0] == 0xfe && bytes[1] & 0xc0 == 0x80 { return true }
        if bytes[0] == 0xff { return true }
        // ::ffff:a.b.c.d (mapped) and ::a.b.c.d (compatible)
        if bytes[0..<10].allSatisfy({ $0 == 0 }) && ((bytes[10] == 0xff && bytes[11] == 0xff) || (bytes[10] == 0 && bytes[11] == 0)) {
            return isPrivate(embedded(12))
        }
        // 64:ff9b::/96 (NAT64)
        if bytes[0] == 0x00 && bytes[1] == 0x64 && bytes[2] == 0xff && bytes[3] == 0x9b && bytes[4..<12].allSatisfy({ $0 == 0 }) {
            return isPrivate(embedded(12))
        }
        // 2002::/16 (6to4)
        if bytes[0] == 0x20 && bytes[1] == 0x02 { return isPrivate(embedded(2)) }
        return false
    }
}
