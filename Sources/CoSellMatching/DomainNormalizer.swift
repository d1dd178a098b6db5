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
public final class DomainNormalizer: @unchecked Sendable {
    private static let normalRule: Int32 = 1
    private static let wildcardRule: Int32 = 2
    private static let exceptionRule: Int32 = 4
    private static let intermediate: Int32 = 8

    private let rules: ByteTable
    private let freeMail: ByteTable
    /// Per-byte classes for the hot path (see `Cls`); never freed (lives as long as the normalizer).
    private let byteClass: UnsafeMutablePointer<UInt8>

    enum Cls {
        static let hostEnd: UInt8 = 1  // / ? # space tab ; , | \
        static let hostChar: UInt8 = 2  // a-z 0-9 - _ and non-ASCII bytes (after lowercasing)
        static let digit: UInt8 = 4
        static let trim: UInt8 = 8
    }

    static func makeByteClasses() -> UnsafeMutablePointer<UInt8> {
        let t = UnsafeMutablePointer<UInt8>.allocate(capacity: 256)
        t.initialize(repeating: 0, count: 256)
        for c in Array("/?#\t;,|\\ ".utf8) { t[Int(c)] |= Cls.hostEnd }
        for c in UInt8(0x61)...UInt8(0x7A) { t[Int(c)] |= Cls.hostChar }
        for c in UInt8(0x30)...UInt8(0x39) { t[Int(c)] |= Cls.hostChar | Cls.digit }
        t[0x2D] |= Cls.hostChar
        t[0x5F] |= Cls.hostChar
        for c in 0x80...0xFF { t[c] |= Cls.hostChar }
        for c in [0x20, 0x09, 0x22, 0x27, 0x3C, 0x3E, 0x0A, 0x0D] { t[c] |= Cls.trim }
        return t
    }

    deinit { byteClass.deallocate() }

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
        var table = ByteTable(capacity: 16_000)
        // Parse the list as bytes: one rule per line, first whitespace-separated token, `//` comments.
        let bytes = Array(publicSuffixList.utf8)
        var i = 0
        let n = bytes.count
        var rule: [UInt8] = []
        while i < n {
            var e = i
            while e < n && bytes[e] != 0x0A && bytes[e] != 0x0D { e += 1 }
            var s = i
            while s < e && (bytes[s] == 0x20 || bytes[s] == 0x09) { s += 1 }
            var t = s
            while t < e && bytes[t] != 0x20 && bytes[t] != 0x09 { t += 1 }
            i = e + 1
            if t == s || (t - s >= 2 && bytes[s] == 0x2F && bytes[s + 1] == 0x2F) { continue }
            var flag = DomainNormalizer.normalRule
            if bytes[s] == 0x21 {
                s += 1
                flag = DomainNormalizer.exceptionRule
            } else if t - s >= 2 && bytes[s] == 0x2A && bytes[s + 1] == 0x2E {
                s += 2
                flag = DomainNormalizer.wildcardRule
            }
            if s >= t { continue }
            rule = Array(bytes[s..<t])
            if rule.contains(where: { $0 >= 0x80 || ($0 >= 0x41 && $0 <= 0x5A) }) {
                rule = Array(String(decoding: rule, as: UTF8.self).lowercased().utf8)
            }
            table.insert(rule, value: flag, combine: { $0 | $1 })
            // Mark every proper tail ("uk" for "co.uk") so lookups can stop at the first unknown tail.
            for (k, c) in rule.enumerated() where c == 0x2E {
                table.insert(Array(rule[(k + 1)...]), value: DomainNormalizer.intermediate, combine: { $0 | $1 })
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
        byteClass = DomainNormalizer.makeByteClasses()
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
        let cls = UnsafePointer(byteClass)
        var lo = 0
        var hi = min(count, DomainNormalizer.maxInput)
        while lo < hi && cls[Int(input[lo])] & Cls.trim != 0 { lo += 1 }
        while hi > lo && cls[Int(input[hi - 1])] & Cls.trim != 0 { hi -= 1 }
        if lo >= hi { return (.none, 0) }
        // One pass: lowercase ASCII into scratch, note non-ASCII bytes and a "Name <address>" form.
        var nonASCII = false
        var angle = -1
        var n = 0
        var j = lo
        while j < hi {
            var c = input[j]
            if c &- 0x41 < 26 { c |= 0x20 } else if c >= 0x80 { nonASCII = true } else if c == 0x3C { angle = n }
            scratch[n] = c
            n += 1
            j += 1
        }
        var base0 = 0
        if angle >= 0 {
            // Keep what is between the last '<' and the next '>'.
            var a = n - 1
            while a >= 0 && scratch[a] != 0x3C { a -= 1 }
            base0 = a + 1
            var r = base0
            while r < n && scratch[r] != 0x3E { r += 1 }
            n = r
            while base0 < n && cls[Int(scratch[base0])] & Cls.trim != 0 { base0 += 1 }
            while n > base0 && cls[Int(scratch[n - 1])] & Cls.trim != 0 { n -= 1 }
            if base0 >= n { return (.none, 0) }
        }
        if nonASCII {
            // IDN: lowercase with Unicode rules; map ideographic full stops to dots.
            let s = String(decoding: UnsafeBufferPointer(start: scratch + base0, count: n - base0), as: UTF8.self)
                .lowercased()
                .replacingOccurrences(of: "\u{3002}", with: ".")
                .replacingOccurrences(of: "\u{FF0E}", with: ".")
                .replacingOccurrences(of: "\u{FF61}", with: ".")
            n = 0
            base0 = 0
            for c in s.utf8 where n < DomainNormalizer.bufferCapacity {
                scratch[n] = c
                n += 1
            }
        }
        let b = UnsafePointer(scratch)
        var start = base0
        // Scheme ("https://"), "mailto:" or a scheme-relative "//".
        var i = base0
        let schemeLimit = min(n - 2, base0 + 16)
        while i < schemeLimit {
            let c = b[i]
            if c == 0x3A {
                if b[i + 1] == 0x2F && b[i + 2] == 0x2F { start = i + 3 }
                break
            }
            if !(isLowerAlnum(c) || c == 0x2B || c == 0x2D || c == 0x2E) { break }
            i += 1
        }
        if start == base0 && n - base0 > 7 && b[base0] == 0x6D && b[base0 + 1] == 0x61 && b[base0 + 2] == 0x69
            && b[base0 + 3] == 0x6C && b[base0 + 4] == 0x74 && b[base0 + 5] == 0x6F && b[base0 + 6] == 0x3A
        {
            start = base0 + 7  // mailto:
        }
        if start == base0 && n - base0 > 2 && b[base0] == 0x2F && b[base0 + 1] == 0x2F { start = base0 + 2 }
        // Host ends at path, query, fragment, whitespace or a list separator; remember the last '@' and ':'.
        var end = start
        var at = -1
        var colon = -1
        while end < n {
            let c = b[end]
            if cls[Int(c)] & Cls.hostEnd != 0 { break }
            if c == 0x40 {
                at = end
                colon = -1
            } else if c == 0x3A {
                colon = end
            }
            end += 1
        }
        if at >= 0 { start = at + 1 }  // e-mail address or userinfo
        if colon >= start {
            // Port: only digits may follow.
            var k = colon + 1
            while k < end && cls[Int(b[k])] & Cls.digit != 0 { k += 1 }
            if k != end { return (.none, 0) }
            end = colon
        }
        while start < end && b[start] == 0x2E { start += 1 }
        while end > start && b[end - 1] == 0x2E { end -= 1 }
        if end - start < 3 { return (.none, 0) }
        // Validate characters and labels; reject IPv4 literals.
        var hasDot = false
        var allDigits = true
        var prevDot = true
        var p = start
        while p < end {
            let c = b[p]
            if c == 0x2E {
                if prevDot { return (.none, 0) }
                hasDot = true
                prevDot = true
            } else {
                let k = cls[Int(c)]
                if k & Cls.hostChar == 0 { return (.none, 0) }
                if k & Cls.digit == 0 { allDigits = false }
                prevDot = false
            }
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
