import Foundation

/// What a website / URL / e-mail value reduces to.
public enum DomainResult: Sendable, Hashable, Codable {
    /// A registrable domain usable for matching, e.g. `example.co.uk`.
    case domain(String)
    /// A free-mail or disposable-mail domain (e.g. `gmail.com`): never used for matching.
    case freeMail(String)
    /// Blank, malformed, an IP address, or a bare public suffix.
    case none

    /// The matchable registrable domain, or nil.
    public var matchable: String? {
        if case .domain(let d) = self { return d }
        return nil
    }
}

enum DomainStatus: UInt8 {
    case none = 0
    case domain = 1
    case freeMail = 2
}

/// Reduces websites, URLs and e-mail addresses to registrable domains with the Public Suffix List,
/// and flags free-mail / disposable-mail domains.
public final class DomainNormalizer: Sendable {
    private static let normalRule: Int32 = 1
    private static let wildcardRule: Int32 = 2
    private static let exceptionRule: Int32 = 4
    private static let intermediate: Int32 = 8

    private let rules: ByteTable
    private let freeMail: ByteTable

    /// The normalizer built from the bundled Public Suffix List and free-mail list.
    public static let shared: DomainNormalizer = {
        do {
            return DomainNormalizer(
                publicSuffixList: try bundledResource("public_suffix_list", "dat"),
                freeMailList: try bundledResource("free_mail_domains", "txt"))
        } catch {
            fatalError("CoSellMatching resources missing: \(error)")
        }
    }()

    static func bundledResource(_ name: String, _ ext: String) throws -> String {
        let url =
            Bundle.module.url(forResource: name, withExtension: ext, subdirectory: "Resources")
            ?? Bundle.module.url(forResource: name, withExtension: ext)
        guard let url else {
            throw AccountImportError(kind: .io, message: "resource \(name).\(ext) not found in bundle")
        }
        return try String(contentsOf: url, encoding: .utf8)
    }

    /// - Parameters:
    ///   - publicSuffixList: contents of a `public_suffix_list.dat` file.
    ///   - freeMailList: one registrable domain per line, `#` comments.
    public init(publicSuffixList: String, freeMailList: String) {
        var table = ByteTable(capacity: 10_000)
        for rawLine in publicSuffixList.split(whereSeparator: { $0 == "\n" || $0 == "\r" }) {
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("//") { continue }
            var rule = String(line.split(separator: " ").first ?? "").lowercased()
            var flag = DomainNormalizer.normalRule
            if rule.hasPrefix("!") {
                rule.removeFirst()
                flag = DomainNormalizer.exceptionRule
            } else if rule.hasPrefix("*.") {
                rule.removeFirst(2)
                flag = DomainNormalizer.wildcardRule
            }
            if rule.isEmpty { continue }
            let bytes = Array(rule.utf8)
            table.insert(bytes, value: flag, combine: { $0 | $1 })
            // Mark every proper tail ("uk" for "co.uk") so lookups can stop at the first unknown tail.
            for (i, c) in bytes.enumerated() where c == 0x2E {
                table.insert(Array(bytes[(i + 1)...]), value: DomainNormalizer.intermediate, combine: { $0 | $1 })
            }
        }
        rules = table
        var free = ByteTable(capacity: 512)
        for rawLine in freeMailList.split(whereSeparator: { $0 == "\n" || $0 == "\r" }) {
            let line = rawLine.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            let d = line.trimmingCharacters(in: .whitespaces).lowercased()
            if !d.isEmpty { free.insert(Array(d.utf8), value: 1) }
        }
        freeMail = free
    }

    /// Normalizes a website, URL or e-mail address.
    public func normalize(_ value: String) -> DomainResult {
        let out = UnsafeMutablePointer<UInt8>.allocate(capacity: DomainNormalizer.bufferCapacity)
        let scratch = UnsafeMutablePointer<UInt8>.allocate(capacity: DomainNormalizer.bufferCapacity)
        defer {
            out.deallocate()
            scratch.deallocate()
        }
        let bytes = Array(value.utf8)
        let r = bytes.withUnsafeBufferPointer { b -> (status: DomainStatus, count: Int) in
            guard let base = b.baseAddress else { return (.none, 0) }
            return normalize(base, b.count, out: out, scratch: scratch)
        }
        let d = String(decoding: UnsafeBufferPointer(start: out, count: r.count), as: UTF8.self)
        switch r.status {
        case .none: return .none
        case .domain: return .domain(d)
        case .freeMail: return .freeMail(d)
        }
    }

    /// Registrable domain of an already extracted host name (`a.b.example.co.uk` -> `example.co.uk`),
    /// nil when the host is itself a public suffix.
    public func registrableDomain(ofHost host: String) -> String? {
        let bytes = Array(host.lowercased().utf8)
        return bytes.withUnsafeBufferPointer { b -> String? in
            guard let base = b.baseAddress, b.count > 0 else { return nil }
            guard let r = registrableStart(base, b.count) else { return nil }
            return String(decoding: UnsafeBufferPointer(start: base + r, count: b.count - r), as: UTF8.self)
        }
    }

    /// True if the registrable domain is a known free-mail or disposable-mail domain.
    public func isFreeMail(_ registrableDomain: String) -> Bool {
        freeMail.lookup(registrableDomain.lowercased()) != nil
    }

    /// Offset of the registrable domain inside a lowercased host, or nil if the host is a public suffix.
    func registrableStart(_ base: UnsafePointer<UInt8>, _ n: Int) -> Int? {
        withUnsafeTemporaryAllocation(of: Int.self, capacity: n / 2 + 2) { starts -> Int? in
            // Label start offsets, left to right.
            starts[0] = 0
            var labelCount = 1
            var i = 0
            while i < n {
                if base[i] == 0x2E {
                    starts[labelCount] = i + 1
                    labelCount += 1
                }
                i += 1
            }
            if labelCount < 2 { return nil }
            // Walk suffixes from the top-level label leftwards; the last match is the longest.
            var ps = labelCount - 1  // label where the public suffix starts (default rule "*")
            var k = labelCount - 1
            var parentWildcard = false
            while k >= 0 {
                let s = starts[k]
                let f = rules.lookup(base + s, n - s) ?? 0
                if f & DomainNormalizer.exceptionRule != 0 { return s }  // the exception itself is registrable
                if f & DomainNormalizer.normalRule != 0 || parentWildcard { ps = k }
                if f == 0 { break }  // no rule ends with this suffix: nothing longer can match
                parentWildcard = f & DomainNormalizer.wildcardRule != 0
                k -= 1
            }
            return ps == 0 ? nil : starts[ps - 1]
        }
    }


    /// Longest website value considered (bytes).
    static let maxInput = 1024
    /// Buffer size needed for `out` and `scratch`.
    static let bufferCapacity = maxInput * 4 + 16

    /// Hot-path normalization. Writes the registrable domain (lowercase) into `out` and returns its
    /// length. `out` and `scratch` need `bufferCapacity` bytes.
    func normalize(
        _ input: UnsafePointer<UInt8>, _ count: Int, out: UnsafeMutablePointer<UInt8>,
        scratch: UnsafeMutablePointer<UInt8>
    ) -> (status: DomainStatus, count: Int) {
        var lo = 0
        var hi = min(count, DomainNormalizer.maxInput)
        // "Name <address>": keep the address.
        var q = hi - 1
        while q >= lo {
            if input[q] == 0x3C {
                lo = q + 1
                var r = lo
                while r < hi && input[r] != 0x3E { r += 1 }
                hi = r
                break
            }
            q -= 1
        }
        while lo < hi && isTrimByte(input[lo]) { lo += 1 }
        while hi > lo && isTrimByte(input[hi - 1]) { hi -= 1 }
        if lo >= hi { return (.none, 0) }
        var nonASCII = false
        // Lowercase ASCII into scratch.
        var n = 0
        var j = lo
        while j < hi {
            var c = input[j]
            if c >= 0x41 && c <= 0x5A { c |= 0x20 } else if c >= 0x80 { nonASCII = true }
            scratch[n] = c
            n += 1
            j += 1
        }
        if nonASCII {
            // IDN: lowercase with Unicode rules; map ideographic full stops to dots.
            let s = String(decoding: UnsafeBufferPointer(start: scratch, count: n), as: UTF8.self).lowercased()
                .replacingOccurrences(of: "\u{3002}", with: ".")
                .replacingOccurrences(of: "\u{FF0E}", with: ".")
                .replacingOccurrences(of: "\u{FF61}", with: ".")
            n = 0
            for c in s.utf8 where n < DomainNormalizer.bufferCapacity {
                scratch[n] = c
                n += 1
            }
        }
        let b = UnsafePointer(scratch)
        var start = 0
        // Scheme.
        var i = 0
        while i + 2 < n && i < 16 {
            if b[i] == 0x3A && b[i + 1] == 0x2F && b[i + 2] == 0x2F {
                start = i + 3
                break
            }
            let c = b[i]
            if !(isLowerAlnum(c) || c == 0x2B || c == 0x2D || c == 0x2E) { break }
            i += 1
        }
        if start == 0 && n > 7 && b[0] == 0x6D && b[1] == 0x61 && b[2] == 0x69 && b[3] == 0x6C && b[4] == 0x74
            && b[5] == 0x6F && b[6] == 0x3A
        {
            start = 7  // mailto:
        }
        if start == 0 && n > 2 && b[0] == 0x2F && b[1] == 0x2F { start = 2 }
        // Host ends at path, query, fragment, whitespace or a list separator.
        var end = start
        while end < n {
            let c = b[end]
            if c == 0x2F || c == 0x3F || c == 0x23 || c == 0x20 || c == 0x09 || c == 0x3B || c == 0x2C || c == 0x7C
                || c == 0x5C
            {
                break
            }
            end += 1
        }
        // E-mail address or userinfo: keep what follows the last '@'.
        var k = end - 1
        while k >= start {
            if b[k] == 0x40 {
                start = k + 1
                break
            }
            k -= 1
        }
        // Port.
        k = end - 1
        while k >= start {
            let c = b[k]
            if c == 0x3A {
                end = k
                break
            }
            if c < 0x30 || c > 0x39 { break }
            k -= 1
        }
        while start < end && b[start] == 0x2E { start += 1 }
        while end > start && b[end - 1] == 0x2E { end -= 1 }
        if end - start < 3 { return (.none, 0) }
        // Validate characters and labels; reject IPv4 literals.
        var hasDot = false
        var allDigits = true
        var prev: UInt8 = 0x2E
        var p = start
        while p < end {
            let c = b[p]
            if c == 0x2E {
                if prev == 0x2E { return (.none, 0) }
                hasDot = true
            } else if isLowerAlnum(c) || c == 0x2D || c == 0x5F || c >= 0x80 {
                if c < 0x30 || c > 0x39 { allDigits = false }
            } else {
                return (.none, 0)
            }
            prev = c
            p += 1
        }
        if !hasDot || allDigits { return (.none, 0) }
        guard let r = registrableStart(b + start, end - start) else { return (.none, 0) }
        let rs = start + r
        let len = end - rs
        out.update(from: b + rs, count: len)
        return (freeMail.lookup(out, len) != nil ? .freeMail : .domain, len)
    }
}

@inline(__always)
func isTrimByte(_ c: UInt8) -> Bool {
    c == 0x20 || c == 0x09 || c == 0x22 || c == 0x27 || c == 0x3C || c == 0x3E || c == 0x0A || c == 0x0D
}

@inline(__always)
func isLowerAlnum(_ c: UInt8) -> Bool {
    (c >= 0x61 && c <= 0x7A) || (c >= 0x30 && c <= 0x39)
}
