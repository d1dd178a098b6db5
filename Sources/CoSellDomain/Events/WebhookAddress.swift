import Foundation

/// Which hosts a webhook may be sent to: a guard against server-side request forgery (a
/// subscription pointing cosell's server at a service on its own machine or network, such as a
/// cloud metadata endpoint). Pure: literal addresses are parsed here; names are resolved (and their
/// addresses checked again) by the worker at delivery time.
public enum WebhookAddress {
    /// Why an address is not public, in words; nil for a public address.
    public static func privateKind(ofIPv4 b: [UInt8]) -> String? {
        precondition(b.count == 4)
        switch (b[0], b[1]) {
        case (0, _): return "a \"this network\" address"
        case (10, _): return "a private address"
        case (100, 64...127): return "a shared (carrier-grade NAT) address"
        case (127, _): return "a loopback address"
        case (169, 254): return "a link-local address"
        case (172, 16...31): return "a private address"
        case (192, 168): return "a private address"
        case (192, 0) where b[2] == 0: return "an IETF protocol address"
        case (198, 18...19): return "a benchmarking address"
        case (224...239, _): return "a multicast address"
        case (240...255, _): return "a reserved address"
        default: return nil
        }
    }

    /// Why an IPv6 address is not public, in words; nil for a public address. IPv4 addresses carried
    /// in IPv6 (mapped, compatible, NAT64, 6to4) are judged by their IPv4 address.
    public static func privateKind(ofIPv6 b: [UInt8]) -> String? {
        precondition(b.count == 16)
        let zeros10 = b[0..<10].allSatisfy { $0 == 0 }
        if b.allSatisfy({ $0 == 0 }) { return "the unspecified address" }
        if b[0..<15].allSatisfy({ $0 == 0 }) && b[15] == 1 { return "a loopback address" }
        if zeros10 && b[10] == 0xFF && b[11] == 0xFF { return privateKind(ofIPv4: Array(b[12..<16])) }
        if zeros10 && b[10] == 0 && b[11] == 0 {
            return privateKind(ofIPv4: Array(b[12..<16])) ?? "a deprecated IPv4-compatible address"
        }
        if b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xFF && b[3] == 0x9B && b[4..<12].allSatisfy({ $0 == 0 }) {
            return privateKind(ofIPv4: Array(b[12..<16]))
        }
        if b[0] == 0x20 && b[1] == 0x02 { return privateKind(ofIPv4: Array(b[2..<6])) }
        if b[0] == 0xFE && (b[1] & 0xC0) == 0x80 { return "a link-local address" }
        if b[0] == 0xFE && (b[1] & 0xC0) == 0xC0 { return "a site-local address" }
        if (b[0] & 0xFE) == 0xFC { return "a unique local address" }
        if b[0] == 0xFF { return "a multicast address" }
        return nil
    }

    /// Why a URL host is not public, in words, when it is a literal address or a name that always
    /// means this machine (`localhost`, `*.localhost`); nil otherwise (a public literal or a name).
    public static func privateKind(ofHost raw: String) -> String? {
        var host = raw.lowercased()
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        while host.hasSuffix(".") { host.removeLast() }
        if host == "localhost" || host.hasSuffix(".localhost") { return "this machine (localhost)" }
        if let v4 = ipv4(host) { return privateKind(ofIPv4: v4) }
        if let v6 = ipv6(host) { return privateKind(ofIPv6: v6) }
        return nil
    }

    /// An IPv4 literal in any form a resolver accepts (`127.0.0.1`, `127.1`, `2130706433`,
    /// `0x7f.0.0.1`, `0177.0.0.1`), as four bytes; nil when `s` is not one.
    public static func ipv4(_ s: String) -> [UInt8]? {
        let parts = s.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...4).contains(parts.count) else { return nil }
        var values: [UInt64] = []
        for p in parts {
            guard !p.isEmpty, p.count <= 32 else { return nil }
            let lower = p.lowercased()
            let v: UInt64?
            if lower.hasPrefix("0x") {
                v = lower.count == 2 ? 0 : UInt64(lower.dropFirst(2), radix: 16)
            } else if lower.count > 1 && lower.hasPrefix("0") {
                v = UInt64(lower.dropFirst(), radix: 8)
            } else {
                v = UInt64(lower, radix: 10)
            }
            guard let v else { return nil }
            values.append(v)
        }
        // All parts but the last are one byte; the last fills the remaining bytes.
        for v in values.dropLast() where v > 255 { return nil }
        let lastBytes = 4 - (values.count - 1)
        guard values.last! < (UInt64(1) << (8 * UInt64(lastBytes))) else { return nil }
        var out = values.dropLast().map { UInt8($0) }
        let last = values.last!
        for i in (0..<lastBytes).reversed() { out.append(UInt8((last >> (8 * UInt64(i))) & 0xFF)) }
        return out
    }

    /// An IPv6 literal (with `::`, an IPv4 tail, a zone such as `%eth0`), as sixteen bytes.
    public static func ipv6(_ text: String) -> [UInt8]? {
        var s = Substring(text)
        if let zone = s.firstIndex(of: "%") { s = s[..<zone] }
        guard s.contains(":"), s.count <= 45 else { return nil }
        func groups(_ part: Substring) -> [UInt16]? {
            if part.isEmpty { return [] }
            var out: [UInt16] = []
            let pieces = part.split(separator: ":", omittingEmptySubsequences: false)
            for (i, p) in pieces.enumerated() {
                if i == pieces.count - 1, p.contains(".") {
                    guard p.split(separator: ".").count == 4, let v4 = ipv4(String(p)),
                        p.allSatisfy({ $0.isNumber || $0 == "." })
                    else { return nil }
                    out.append(UInt16(v4[0]) << 8 | UInt16(v4[1]))
                    out.append(UInt16(v4[2]) << 8 | UInt16(v4[3]))
                } else {
                    guard (1...4).contains(p.count), let v = UInt16(p, radix: 16) else { return nil }
                    out.append(v)
                }
            }
            return out
        }
        var words: [UInt16]
        if let range = s.range(of: "::") {
            let head = s[..<range.lowerBound]
            let tail = s[range.upperBound...]
            guard !tail.contains("::"), let h = groups(head), let t = groups(tail), h.count + t.count <= 7 else {
                return nil
            }
            words = h + Array(repeating: 0, count: 8 - h.count - t.count) + t
        } else {
            guard let all = groups(s), all.count == 8 else { return nil }
            words = all
        }
        return words.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
    }
}
