import Foundation

/// Normalizes company names to comparison keys: Unicode folding (diacritics, case, width), punctuation,
/// `&`/`+` as "and", a leading "The", and legal forms across countries removed.
/// `"The Müller & Söhne GmbH & Co. KG"` -> `"muller sohne"` (connecting words inside the key are dropped).
public final class NameNormalizer: @unchecked Sendable {
    public static let shared = NameNormalizer()

    /// Legal forms as written; each is matched both with dots as separators (`s a`) and without (`sa`).
    public static let legalForms: [String] = [
        // English-speaking
        "inc", "inc.", "incorporated", "llc", "l.l.c.", "llp", "l.l.p.", "lllp", "pllc", "lp", "l.p.", "ltd", "ltd.",
        "limited", "corp", "corp.", "corporation", "co", "co.", "company", "and co", "and company", "plc",
        "p.l.c.", "pc", "p.c.", "co. ltd", "co., ltd.", "company limited", "co ltd", "co. limited",
        "pty ltd", "pty. ltd.", "pty limited", "pty", "proprietary limited", "pte ltd", "pte. ltd.", "pte",
        "pvt ltd", "pvt. ltd.", "private limited", "ltd. co.", "cic", "lc", "l.c.",
        // German-speaking
        "gmbh", "gmbh and co kg", "gmbh and co. kg", "gmbh and co. kgaa", "ag", "ag and co. kg", "kg", "kgaa",
        "ohg", "gbr", "ug", "ug (haftungsbeschrankt)", "e.v.", "ev", "eg", "e.g.", "mbh", "se", "e.k.", "ek",
        "aktiengesellschaft", "kommanditgesellschaft", "gesellschaft mit beschrankter haftung",
        // French, Spanish, Portuguese, Italian
        "sa", "s.a.", "sas", "s.a.s.", "sasu", "sarl", "s.a.r.l.", "eurl", "sca", "scs", "snc", "sci", "eirl",
        "sa de cv", "s.a. de c.v.", "s. de r.l.", "s. de r.l. de c.v.", "sl", "s.l.", "slu", "s.l.u.",
        "sll", "sc", "s.c.", "scp", "ltda", "ltda.", "lda", "lda.", "me", "eireli", "s/a",
        "spa", "s.p.a.", "srl", "s.r.l.", "srls", "s.r.l.s.", "sapa", "snc", "sas",
        // Benelux, Nordics
        "bv", "b.v.", "nv", "n.v.", "bvba", "vof", "v.o.f.", "cv", "c.v.", "sprl", "scrl", "asbl",
        "ab", "ab (publ)", "publ", "aktiebolag", "oy", "oyj", "ab oy", "as", "a/s", "asa", "aps", "ans", "hf",
        "ehf", "i/s", "k/s",
        // Central / Eastern Europe
        "sro", "s.r.o.", "spol. s r.o.", "a.s.", "sp. z o.o.", "sp z oo", "spolka z o.o.", "s.a.", "kft", "zrt",
        "nyrt", "bt", "doo", "d.o.o.", "dd", "d.d.", "ad", "ood", "eood", "ooo", "zao", "oao", "pao", "ao",
        "tov", "srl", "sa",
        // Asia
        "kk", "k.k.", "kabushiki kaisha", "kabushikigaisha", "kabushiki gaisha", "kabushikikaisha", "kabushikaisha",
        "gk", "godo kaisha",
        "yk", "yugen kaisha", "co. ltd.", "bhd", "sdn bhd", "sdn. bhd.", "berhad", "tbk", "pt", "pt.",
        "jsc", "pjsc", "llc.", "ltd. sti.", "a.s", "as.",
        // Other
        "sagl", "sarl", "ag", "ltd liability co", "limited liability company", "limited partnership",
    ]

    /// Forms that are also stripped when they lead the name ("Kabushiki Kaisha Toyota", "PT Astra").
    static let leadingForms: [String] = [
        "kabushiki kaisha", "kabushikigaisha", "kabushikikaisha", "kabushikaisha", "kk", "k.k.", "pt", "pt.", "ooo",
        "zao", "oao", "pao", "ao",
    ]

    /// Countries where a legal form is used, for forms distinctive enough to say something about where
    /// a company is registered. Generic forms (Inc, Ltd, Corp, LLC, SA, Co ...) are not listed.
    public static let legalFormCountries: [String: [String]] = {
        let dach = ["DE", "AT", "CH", "LU"]
        var m: [String: [String]] = [:]
        for f in [
            "gmbh", "gmbh and co kg", "gmbh and co. kg", "gmbh and co. kgaa", "kg", "kgaa", "ohg", "gbr", "ug",
            "ug (haftungsbeschrankt)", "e.v.", "mbh", "e.k.",
        ] { m[f] = dach }
        m["ag"] = ["DE", "AT", "CH"]
        m["aktiengesellschaft"] = ["DE", "AT", "CH"]
        m["kommanditgesellschaft"] = dach
        m["gesellschaft mit beschrankter haftung"] = dach
        m["ag and co. kg"] = ["DE", "AT", "CH"]
        for f in [
            "kk", "k.k.", "kabushiki kaisha", "kabushikigaisha", "kabushiki gaisha", "kabushikikaisha",
            "kabushikaisha", "gk", "godo kaisha", "yk", "yugen kaisha",
        ] {
            m[f] = ["JP"]
        }
        for f in ["pty ltd", "pty. ltd.", "pty limited", "pty", "proprietary limited"] { m[f] = ["AU", "ZA"] }
        for f in ["bv", "b.v.", "nv", "n.v.", "vof", "v.o.f."] { m[f] = ["NL", "BE"] }
        for f in ["bvba", "sprl", "scrl", "asbl"] { m[f] = ["BE"] }
        for f in ["oy", "oyj", "ab oy"] { m[f] = ["FI"] }
        for f in ["ab", "ab (publ)", "aktiebolag"] { m[f] = ["SE", "FI"] }
        for f in ["spa", "s.p.a.", "srls", "s.r.l.s.", "sapa"] { m[f] = ["IT", "CL"] }
        for f in ["srl", "s.r.l."] {
            m[f] = ["IT", "RO", "AR", "BE", "CR", "DO", "PE", "BO", "UY"].filter { _ in true }
        }
        for f in ["sl", "s.l.", "slu", "s.l.u.", "sll"] { m[f] = ["ES"] }
        for f in ["sarl", "s.a.r.l.", "eurl", "sasu"] { m[f] = ["FR", "LU", "MA", "CH", "BE"] }
        for f in ["sas", "s.a.s."] { m[f] = ["FR", "CO"] }
        for f in ["ltda", "ltda."] { m[f] = ["BR", "PT", "CO", "CL", "AR", "PE"] }
        for f in ["lda", "lda."] { m[f] = ["PT"] }
        for f in ["sp. z o.o.", "sp z oo", "spolka z o.o."] { m[f] = ["PL"] }
        for f in ["sro", "s.r.o.", "spol. s r.o."] { m[f] = ["CZ", "SK"] }
        for f in ["kft", "zrt", "nyrt", "bt"] { m[f] = ["HU"] }
        for f in ["doo", "d.o.o.", "dd", "d.d."] { m[f] = ["SI", "HR", "RS"] }
        for f in ["ooo", "zao", "oao", "pao", "ao"] { m[f] = ["RU", "UA"] }
        for f in ["a/s", "aps"] { m[f] = ["DK", "NO"] }
        m["asa"] = ["NO"]
        for f in ["plc", "p.l.c."] { m[f] = ["GB", "IE"] }
        for f in ["pte ltd", "pte. ltd.", "pte"] { m[f] = ["SG"] }
        for f in ["sdn bhd", "sdn. bhd.", "bhd", "berhad"] { m[f] = ["MY"] }
        for f in ["tbk", "pt", "pt."] { m[f] = ["ID"] }
        for f in ["pvt ltd", "pvt. ltd.", "private limited"] { m[f] = ["IN"] }
        for f in ["ehf", "hf"] { m[f] = ["IS"] }
        return m
    }()

    private let trailing: ByteTable  // last token -> index into formsByLast
    private let formsByLast: [[LegalForm]]  // longest first
    /// Legal forms of several words, at least `misspelledLongFormLength` long, recognized with two typos
    /// anywhere, their last word included ("Kabushiki Kiahsa", "Kabushi Kaisha").
    private let longForms: [LegalForm]
    private let leading: ByteTable
    private let leadingForms: [[LegalForm]]
    /// Per-byte mapping for the tokenizer (see `tokenize`); lives as long as the normalizer.
    private let byteMap: UnsafeMutablePointer<UInt8>

    deinit { byteMap.deallocate() }

    public init(legalForms: [String] = NameNormalizer.legalForms) {
        var seqs = Set<[[UInt8]]>()
        var regions: [[[UInt8]]: UInt64] = [:]
        func mask(_ form: String) -> UInt64 {
            (NameNormalizer.legalFormCountries[form] ?? []).reduce(0) { $0 | CountryNormalizer.bit(forCode: $1) }
        }
        for form in legalForms {
            for variant in NameNormalizer.tokenVariants(form) where !variant.isEmpty {
                seqs.insert(variant)
                regions[variant, default: 0] |= mask(form)
            }
        }
        var byLast: [[UInt8]: [[[UInt8]]]] = [:]
        for s in seqs { byLast[s.last!, default: []].append(s) }
        var table = ByteTable(capacity: byLast.count)
        var lists: [[[[UInt8]]]] = []
        for (last, list) in byLast.sorted(by: { $0.key.lexicographicallyPrecedes($1.key) }) {
            table.insert(last, value: Int32(lists.count))
            lists.append(list.sorted { $0.count > $1.count })
        }
        trailing = table
        formsByLast = lists.map {
            $0.map {
                LegalForm(bytes: Array($0.joined(separator: [0x20])), tokens: $0.count, regions: regions[$0] ?? 0)
            }
        }
        longForms = formsByLast.joined().filter {
            $0.tokens > 1 && $0.bytes.count >= NameNormalizer.misspelledLongFormLength
                && $0.bytes.allSatisfy { $0 == 0x20 || ($0 >= 0x61 && $0 <= 0x7A) }
        }
        var lead = ByteTable(capacity: 32)
        var leadList: [[LegalForm]] = []
        var leadSeqs = Set<[[UInt8]]>()
        var leadRegions: [[[UInt8]]: UInt64] = [:]
        for form in NameNormalizer.leadingForms {
            for v in NameNormalizer.tokenVariants(form) where !v.isEmpty {
                leadSeqs.insert(v)
                leadRegions[v, default: 0] |= mask(form)
            }
        }
        var byFirst: [[UInt8]: [LegalForm]] = [:]
        for s in leadSeqs {
            byFirst[s.first!, default: []].append(
                LegalForm(bytes: Array(s.joined(separator: [0x20])), tokens: s.count, regions: leadRegions[s] ?? 0))
        }
        for (first, list) in byFirst.sorted(by: { $0.key.lexicographicallyPrecedes($1.key) }) {
            lead.insert(first, value: Int32(leadList.count))
            leadList.append(list.sorted { $0.tokens > $1.tokens })
        }
        leading = lead
        leadingForms = leadList
        let map = UnsafeMutablePointer<UInt8>.allocate(capacity: 256)
        map.initialize(repeating: 0, count: 256)
        for c in 0..<256 {
            let b = UInt8(c)
            if (b >= 0x61 && b <= 0x7A) || (b >= 0x30 && b <= 0x39) || b >= 0x80 {
                map[c] = b
            } else if b >= 0x41 && b <= 0x5A {
                map[c] = b | 0x20
            }
        }
        map[0x27] = 1
        map[0x26] = 2
        map[0x2B] = 2
        map[0x28] = 3
        map[0x2D] = 4
        map[0x2E] = 5
        byteMap = map
    }

    /// Token sequences for a written legal form: dots as separators, and dots removed.
    static func tokenVariants(_ form: String) -> [[[UInt8]]] {
        let n = NameNormalizer.tokenizeSimple(form)
        let nodots = NameNormalizer.tokenizeSimple(form.replacingOccurrences(of: ".", with: ""))
        return [n, nodots]
    }

    static func tokenizeSimple(_ s: String) -> [[UInt8]] {
        var tokens: [[UInt8]] = []
        var cur: [UInt8] = []
        for c in s.lowercased().utf8 {
            if isLowerAlnum(c) || c >= 0x80 {
                cur.append(c)
            } else if c == 0x27 {
                continue
            } else {
                if !cur.isEmpty { tokens.append(cur) }
                cur = []
                if c == 0x26 || c == 0x2B { tokens.append(Array("and".utf8)) }
            }
        }
        if !cur.isEmpty { tokens.append(cur) }
        return tokens
    }

    /// The comparison key for a company name (empty if nothing is left).
    public func key(_ name: String) -> String { keys(name).key }

    /// The key before words were brought to one form (plurals, abbreviations): the name's own words,
    /// folded, without legal forms or qualifiers.
    public func literalKey(_ name: String) -> String { keys(name).literal }

    /// Both keys of a name, from one pass of `normalize`.
    func keys(_ name: String) -> (key: String, literal: String) {
        normalized(name) { out, r in
            func text(_ start: Int, _ count: Int) -> String {
                String(decoding: UnsafeBufferPointer(start: out + start, count: count), as: UTF8.self)
            }
            return (text(r.start, r.count), text(r.literalStart, r.literalCount))
        } ?? ("", "")
    }

    /// `normalize` on a string's bytes (cut at `maxInput`), `body` reading the result and its buffer;
    /// nil for an empty name.
    private func normalized<R>(_ name: String, _ body: (UnsafePointer<UInt8>, NameKeyRange) -> R) -> R? {
        let bytes = Array(name.utf8)
        let n = min(bytes.count, NameNormalizer.maxInput)
        let out = UnsafeMutablePointer<UInt8>.allocate(capacity: NameNormalizer.outCapacity)
        let starts = UnsafeMutablePointer<Int32>.allocate(capacity: NameNormalizer.maxInput + 2)
        defer {
            out.deallocate()
            starts.deallocate()
        }
        return bytes.withUnsafeBufferPointer { b -> R? in
            guard let base = b.baseAddress else { return nil }
            return body(out, normalize(base, n, out: out, starts: starts))
        }
    }

    /// The English name of the country a company's name names after it ("American Motors (Canada) Inc.",
    /// "Nissan Motor Corporation U.S.A." → "Canada", "United States"); nil when it names none.
    public func countryNamed(_ name: String) -> String? {
        let r = normalized(name) { _, r in r }
        guard let r, r.countryQualifier, r.regions != 0 else { return nil }
        let index = r.regions.trailingZeroBitCount
        guard index < CountryNormalizer.codeList.count else { return nil }
        return CountryNormalizer.name(ofCode: String(decoding: CountryNormalizer.codeList[index], as: UTF8.self))
    }

    /// The words of each name that the other does not have, as the names write them once folded ("Acme
    /// Holdings Ltd" / "ACME Robotics": ["holdings"], ["robotics"]): why two records of one domain were
    /// judged two companies of one group. A word counts as shared in its singular or plural form.
    public func wordsApart(_ a: String, _ b: String) -> (first: [String], second: [String]) {
        let wa = literalKey(a).split(separator: " ").map(String.init)
        let wb = literalKey(b).split(separator: " ").map(String.init)
        func base(_ w: String) -> String { w.count > 3 && w.hasSuffix("s") ? String(w.dropLast()) : w }
        let sa = Set(wa.map(base))
        let sb = Set(wb.map(base))
        return (wa.filter { !sb.contains(base($0)) }, wb.filter { !sa.contains(base($0)) })
    }

    /// Longest name input considered (bytes); longer names are cut.
    static let maxInput = 2048
    /// Output buffer size needed by `normalize` (`&` may grow to " and ").
    static let outCapacity = maxInput * 6 + 64

    /// Hot-path normalization into `out` (capacity `outCapacity`), `starts` (capacity maxInput + 2).
    /// Returns the key as a range of `out`.
    func normalize(
        _ input: UnsafePointer<UInt8>, _ count: Int, out: UnsafeMutablePointer<UInt8>,
        starts: UnsafeMutablePointer<Int32>
    ) -> NameKeyRange {
        let n = min(count, NameNormalizer.maxInput)
        var i = 0
        while i < n && input[i] < 0x80 { i += 1 }
        if i < n {
            var folded = NameNormalizer.foldUnicode(UnsafeBufferPointer(start: input, count: n))
            if folded.count > NameNormalizer.maxInput { folded.removeLast(folded.count - NameNormalizer.maxInput) }
            return folded.withUnsafeBufferPointer { tokenize($0.baseAddress ?? input, $0.count, out, starts) }
        }
        return tokenize(input, n, out, starts)
    }

    static func foldUnicode(_ input: UnsafeBufferPointer<UInt8>) -> [UInt8] {
        var s = String(decoding: input, as: UTF8.self)
        if let repaired = repairedMojibake(s) { s = repaired }
        // Letters that folding does not decompose.
        var needsMap = false
        for u in s.unicodeScalars where NameNormalizer.specialFolds[u] != nil {
            needsMap = true
            break
        }
        if needsMap {
            var t = ""
            for u in s.unicodeScalars {
                if let r = NameNormalizer.specialFolds[u] { t += r } else { t.unicodeScalars.append(u) }
            }
            s = t
        }
        let folded = s.folding(options: [.diacriticInsensitive, .caseInsensitive, .widthInsensitive], locale: nil)
        return Array(folded.lowercased().utf8)
    }

    /// `s` repaired when it is UTF-8 text that was read as Windows-1252 and written as UTF-8 again, once
    /// or twice, as a spreadsheet's round trip leaves it: "BÃ¼hler" and "FÃƒÂ¶rderung" for "Bühler" and
    /// "Förderung". Nil when it is not: no "Ã" or "Â", a character Windows-1252 does not have, or bytes
    /// that are not UTF-8 once read back ("SÃO PAULO" stays as it is).
    public static func repairedMojibake(_ s: String) -> String? {
        guard s.unicodeScalars.contains(where: { $0 == "\u{C3}" || $0 == "\u{C2}" }) else { return nil }
        var current = s
        var repaired = false
        for _ in 0..<2 {
            var bytes: [UInt8] = []
            var multibyte = false
            for u in current.unicodeScalars {
                if u.value < 0x100 {
                    bytes.append(UInt8(u.value))
                } else if let b = windows1252[u] {
                    bytes.append(b)
                } else {
                    return repaired ? current : nil
                }
                if u.value >= 0x80 { multibyte = true }
            }
            guard multibyte, let decoded = String(bytes: bytes, encoding: .utf8) else { break }
            current = decoded
            repaired = true
            if !current.unicodeScalars.contains(where: { $0 == "\u{C3}" || $0 == "\u{C2}" }) { break }
        }
        return repaired ? current : nil
    }

    /// The characters of Windows-1252 in 0x80...0x9F (where Latin-1 has control codes), by their byte.
    static let windows1252: [Unicode.Scalar: UInt8] = [
        "\u{20AC}": 0x80, "\u{201A}": 0x82, "\u{0192}": 0x83, "\u{201E}": 0x84, "\u{2026}": 0x85, "\u{2020}": 0x86,
        "\u{2021}": 0x87, "\u{02C6}": 0x88, "\u{2030}": 0x89, "\u{0160}": 0x8A, "\u{2039}": 0x8B, "\u{0152}": 0x8C,
        "\u{017D}": 0x8E, "\u{2018}": 0x91, "\u{2019}": 0x92, "\u{201C}": 0x93, "\u{201D}": 0x94, "\u{2022}": 0x95,
        "\u{2013}": 0x96, "\u{2014}": 0x97, "\u{02DC}": 0x98, "\u{2122}": 0x99, "\u{0161}": 0x9A, "\u{203A}": 0x9B,
        "\u{0153}": 0x9C, "\u{017E}": 0x9E, "\u{0178}": 0x9F,
    ]

    static let specialFolds: [Unicode.Scalar: String] = [
        "ß": "ss", "ẞ": "ss", "æ": "ae", "Æ": "ae", "œ": "oe", "Œ": "oe", "ø": "o", "Ø": "o", "ł": "l", "Ł": "l",
        "đ": "d", "Đ": "d", "ð": "d", "Ð": "d", "þ": "th", "Þ": "th", "ı": "i", "ħ": "h", "Ħ": "h",
        "\u{2019}": "'", "\u{2018}": "'", "\u{FF06}": "&", "\u{2013}": "-", "\u{2014}": "-",
    ]

    private func tokenize(
        _ b: UnsafePointer<UInt8>, _ n: Int, _ out: UnsafeMutablePointer<UInt8>, _ starts: UnsafeMutablePointer<Int32>
    ) -> NameKeyRange {
        var regions: UInt64 = 0
        var len = 0
        var tokenCount = 0
        var i = 0
        var inToken = false
        var tokenLength = 0  // bytes of the current token
        var afterInitial = false  // the previous token is one letter written with a dot ("G.", "B.")
        var qualifier = -1  // index of the token that opens the last "(...)" or " - ..." group
        var pendingQualifier = false
        // Capitals: an acronym in parentheses after a name written in mixed case ("Aluminum Company of
        // America (ALCOA)") is an alias; a place in parentheses ("Triumph Motorcycles (Meriden)") is not.
        var lowerSeen = false  // a lower-case ASCII letter so far
        var lowerOutside = false  // ... before the last group
        var lowerInGroup = false  // ... in the last group
        // Initials written with dots at the end of a name in mixed case ("... d'Aviation S.N.E.C.M.A."): an
        // alias like the acronym in parentheses, unless a legal form ("S.P.A.", "L.L.C.").
        var tokenLower = false  // the current token has a lower-case letter
        var lowerBeforeToken = false  // ... a token before it has one
        var runInitials = 0  // one-letter tokens joined into the last token
        var runUpper = false  // ... all written in capitals
        var runLowerBefore = false  // a lower-case letter before the first of them
        let map = UnsafePointer(byteMap)
        while i <= n {
            // byteMap: the lowercased byte for token bytes, 0 for separators, 1 for an apostrophe
            // (dropped inside a token: McDonald's -> mcdonalds), 2 for `&` / `+` ("and"), 3 for `(`,
            // 4 for `-`, 5 for `.`; the end of the input is a separator.
            let m = i < n ? map[Int(b[i])] : 0
            i += 1
            if m > 5 {
                if !inToken {
                    if len > 0 {
                        out[len] = 0x20
                        len += 1
                    }
                    starts[tokenCount] = Int32(len)
                    if pendingQualifier {
                        qualifier = tokenCount
                        pendingQualifier = false
                        lowerOutside = lowerSeen
                        lowerInGroup = false
                    }
                    tokenCount += 1
                    inToken = true
                    tokenLength = 0
                    lowerBeforeToken = lowerSeen
                    tokenLower = false
                }
                if b[i - 1] == m && m >= 0x61 && m <= 0x7A {
                    lowerSeen = true
                    lowerInGroup = true
                    tokenLower = true
                }
                out[len] = m
                len += 1
                tokenLength += 1
                continue
            }
            if m == 1 { continue }
            let wasInToken = inToken
            if inToken {
                // End of a token; one-letter tokens written with dots join the one before ("G.m.b.H." ->
                // gmbh, "B. V." -> bv, "A.B.C." -> abc).
                if tokenLength == 1 && afterInitial && tokenCount > 1 {
                    out[len - 2] = out[len - 1]
                    len -= 1
                    tokenCount -= 1
                    if qualifier == tokenCount { qualifier = -1 }
                    runInitials += 1
                    runUpper = runUpper && !tokenLower
                } else {
                    runInitials = tokenLength == 1 ? 1 : 0
                    runUpper = !tokenLower
                    runLowerBefore = lowerBeforeToken
                }
                afterInitial = tokenLength == 1 && m == 5
                inToken = false
            }
            if m == 2 {
                afterInitial = false
                pendingQualifier = false
                runInitials = 0
                if len > 0 {
                    out[len] = 0x20
                    len += 1
                }
                starts[tokenCount] = Int32(len)
                tokenCount += 1
                out[len] = 0x61
                out[len + 1] = 0x6E
                out[len + 2] = 0x64
                len += 3
            } else if m == 3 || (m == 4 && !wasInToken && len > 0) {
                // A parenthesis, or a dash after a space ("Acme - EMEA", not "Coca-Cola"), opens a qualifier.
                pendingQualifier = true
            }
        }
        let initialsAlias = runInitials >= 3 && runUpper && runLowerBefore ? tokenCount - 1 : -1
        var first = 0  // index of the first kept token
        if tokenCount - first <= 1 {
            return NameKeyRange(
                start: 0, count: len, regions: 0, hasLegalForm: false, literalStart: 0, literalCount: len)
        }
        var hasLegalForm = false
        var countryQualifier = false
        // Leading "the".
        if starts[1] == 4 && out[0] == 0x74 && out[1] == 0x68 && out[2] == 0x65 {
            first = 1
        }
        var changed = true
        while changed && tokenCount - first > 1 {
            changed = false
            // Trailing legal forms, repeatedly ("Acme Holdings Pty Ltd" -> "acme holdings"); keep >= 1 token.
            let lastStart = Int(starts[tokenCount - 1])
            if let idx = trailing.lookup(out + lastStart, len - lastStart) {
                for form in formsByLast[Int(idx)] {
                    if form.tokens >= tokenCount - first { continue }
                    let start = Int(starts[tokenCount - form.tokens])
                    let span = len - start
                    let eq = form.bytes.withUnsafeBufferPointer { f in
                        if span == f.count && memcmp(out + start, f.baseAddress!, f.count) == 0 { return true }
                        // A long form of several words with one typo in its first words ("Kabushika Kaisha").
                        return f.count >= NameNormalizer.misspelledFormLength && abs(span - f.count) <= 1
                            && oneEditDistance(out + start, span, f.baseAddress!, f.count) == 1
                    }
                    if eq {
                        if regions == 0 { regions = form.regions }
                        hasLegalForm = true
                        len = start > 0 ? start - 1 : 0
                        tokenCount -= form.tokens
                        changed = true
                        break
                    }
                }
                if changed { continue }
            }
            // A long legal form of one word with one typo ("Corporatin", "Aktiengesellchaft").
            if tokenCount - first > 1 && NameNormalizer.isMisspelledForm(out + lastStart, len - lastStart) {
                hasLegalForm = true
                len = lastStart - 1
                tokenCount -= 1
                changed = true
                continue
            }
            // A long legal form of several words with two typos ("Kabushiki Kiahsa", "Kabushi Kaisha").
            if let form = misspelledLongForm(out, starts, tokens: tokenCount - first, last: tokenCount, len: len) {
                if regions == 0 { regions = form.regions }
                hasLegalForm = true
                let start = Int(starts[tokenCount - form.tokens])
                len = start - 1
                tokenCount -= form.tokens
                changed = true
                continue
            }
            // Initials in capitals with dots closing a name in mixed case: an alias ("... S.N.E.C.M.A.").
            if initialsAlias == tokenCount - 1 {
                // Unless they name a country ("Nissan Motor Corporation U.S.A."): then a country qualifier.
                if let value = regionValue(out + lastStart, len - lastStart), value >= 0 && value < 64,
                    Self.namesCountry(out + lastStart, len - lastStart)
                {
                    regions = 1 << UInt64(value)
                    countryQualifier = true
                }
                len = lastStart - 1
                tokenCount -= 1
                changed = true
                continue
            }
            // A trailing "The" ("Carlyle Works, The").
            if len - lastStart == 3 && out[lastStart] == 0x74 && out[lastStart + 1] == 0x68
                && out[lastStart + 2] == 0x65
            {
                len = lastStart - 1
                tokenCount -= 1
                changed = true
                continue
            }
            // A trailing country or region qualifier: "Acme Group (Germany)", "Acme - EMEA"; and an acronym
            // in parentheses after a name in mixed case ("Societe Generale (S.O.G.I.E.)", "... (ALCOA)").
            if qualifier > first && qualifier < tokenCount {
                let q = Int(starts[qualifier])
                if let value = regionValue(out + q, len - q) {
                    if value >= 0 && value < 64 {
                        regions = 1 << UInt64(value)
                        countryQualifier = Self.namesCountry(out + q, len - q)
                    }
                    len = q - 1
                    tokenCount = qualifier
                    changed = true
                } else if qualifier == tokenCount - 1 && len - q >= 3 && lowerOutside && !lowerInGroup {
                    // In parentheses or after a dash ("Centre National ... - C.N.R.S.").
                    len = q - 1
                    tokenCount = qualifier
                    changed = true
                }
                qualifier = -1
            }
        }
        // Leading forms (Japanese KK, Indonesian PT, Russian OOO).
        if tokenCount - first > 1 {
            let s0 = Int(starts[first])
            let firstEnd = Int(starts[first + 1]) - 1
            if let idx = leading.lookup(out + s0, firstEnd - s0) {
                for form in leadingForms[Int(idx)] {
                    if form.tokens >= tokenCount - first { continue }
                    let cut = Int(starts[first + form.tokens]) - 1
                    if cut - s0 == form.bytes.count
                        && form.bytes.withUnsafeBufferPointer({ memcmp(out + s0, $0.baseAddress!, $0.count) == 0 })
                    {
                        if regions == 0 { regions = form.regions }
                        hasLegalForm = true
                        first += form.tokens
                        break
                    }
                }
            }
        }
        let start = Int(starts[first])
        if len > NameNormalizer.maxInput || tokenCount - first < 1 {
            return NameKeyRange(
                start: start, count: len - start, regions: regions, hasLegalForm: hasLegalForm, literalStart: start,
                literalCount: len - start, countryQualifier: countryQualifier)
        }
        let r = canonicalWords(out, starts, first: first, tokenCount: tokenCount, len: len)
        return NameKeyRange(
            start: r.start, count: r.count, regions: regions, hasLegalForm: hasLegalForm || r.droppedForm,
            literalStart: start, literalCount: len - start, countryQualifier: countryQualifier)
    }

    /// Second pass over the key's tokens, written after them in `out`: the words CRMs write in several
    /// ways are brought to one form.
    /// - common abbreviations spelled out ("Univ" -> university, "Intl" -> international, "Mfg");
    /// - plurals to the singular ("Systems" -> system, "Industries" -> industry, "Americas" -> america);
    /// - a legal form inside the name before "of" dropped ("Packaging Corp. of America" -> packaging of
    ///   america).
    /// Both sides of a comparison go through it, so only consistency matters, not correct English.
    private func canonicalWords(
        _ out: UnsafeMutablePointer<UInt8>, _ starts: UnsafeMutablePointer<Int32>, first: Int, tokenCount: Int,
        len: Int
    ) -> (start: Int, count: Int, droppedForm: Bool) {
        let base = NameNormalizer.maxInput + 8
        var w = base
        var dropped = false
        func end(_ k: Int) -> Int { k + 1 < tokenCount ? Int(starts[k + 1]) - 1 : len }
        for k in first..<tokenCount {
            let s = Int(starts[k])
            let n = end(k) - s
            let p = out + s
            if k + 1 < tokenCount && tokenCount - first > 2 && NameNormalizer.formsBeforeOf.lookup(p, n) != nil {
                let ns = Int(starts[k + 1])
                if end(k + 1) - ns == 2 && out[ns] == 0x6F && out[ns + 1] == 0x66 {
                    dropped = true
                    continue
                }
            }
            // A connecting word inside the name ("Board of Regents of the University Texas System",
            // "University & Agricultural & Mechanical College", "Queen's University at Kingston").
            if k > first && k + 1 < tokenCount && NameNormalizer.connectingWords.lookup(p, n) != nil { continue }
            if w > base {
                out[w] = 0x20
                w += 1
            }
            if let e = NameNormalizer.abbreviations.lookup(p, n) {
                let word = NameNormalizer.abbreviationWords[Int(e)]
                for b in word {
                    out[w] = b
                    w += 1
                }
                continue
            }
            var m = n
            var digits = false
            for j in 0..<n where p[j] >= 0x30 && p[j] <= 0x39 { digits = true }
            if !digits && n >= 5 && p[n - 1] == 0x73 && p[n - 2] == 0x65 && p[n - 3] == 0x69 {
                // "...ies" -> "...y"
                memmove(out + w, p, n - 3)
                w += n - 3
                out[w] = 0x79
                w += 1
                continue
            }
            if !digits && n >= 4 && p[n - 1] == 0x73 && p[n - 2] != 0x73 && p[n - 2] != 0x75 && p[n - 2] != 0x69 {
                m = n - 1  // "systems" -> "system"; not "express", "genus", "genesis"
            }
            memmove(out + w, p, m)
            w += m
        }
        return (base, w - base, dropped)
    }

    /// Words that join the words of a name, dropped inside it (not first or last): "of", "the", "and",
    /// and their French, German, Spanish and Italian counterparts.
    static let connectingWords: ByteTable = {
        let words = [
            "of", "the", "and", "for", "at", "by", "as", "on", "de", "la", "le", "les", "des", "du", "der", "die",
            "das", "den", "zur", "zu", "und", "et", "del", "di", "da", "dei", "della", "y", "e",
        ]
        var t = ByteTable(capacity: words.count)
        for (i, w) in words.enumerated() { t.insert(Array(w.utf8), value: Int32(i)) }
        return t
    }()

    /// Legal forms at least this long are recognized with one typo.
    static let misspelledFormLength = 9
    /// Legal forms of one word recognized with one typo ("Corporatin", "Incorporatd").
    static let misspelledForms: [[UInt8]] = legalForms.map { Array($0.utf8) }.filter { f in
        f.count >= misspelledFormLength && f.allSatisfy { $0 >= 0x61 && $0 <= 0x7A }
    }

    /// Whether `p[0..<n]` is one edit from a legal form of one word at least `misspelledFormLength` long.
    @inline(__always) static func isMisspelledForm(_ p: UnsafePointer<UInt8>, _ n: Int) -> Bool {
        if n < misspelledFormLength - 1 { return false }
        for f in misspelledForms where abs(f.count - n) <= 1 {
            if f.withUnsafeBufferPointer({ oneEditDistance(p, n, $0.baseAddress!, f.count) }) == 1 { return true }
        }
        return false
    }

    /// Legal forms of several words at least this long are recognized with two typos.
    static let misspelledLongFormLength = 14

    /// The long legal form of several words (`longForms`) that the name's last words are, one or two
    /// edits away, its first letter as written; nil when none is. `tokens` counts the words that may go
    /// (at least one of the name's is kept), `last` is the index after the name's last word.
    @inline(__always) private func misspelledLongForm(
        _ out: UnsafeMutablePointer<UInt8>, _ starts: UnsafeMutablePointer<Int32>, tokens: Int, last: Int, len: Int
    ) -> LegalForm? {
        for form in longForms where form.tokens < tokens {
            let start = Int(starts[last - form.tokens])
            let span = len - start
            if abs(span - form.bytes.count) > 2 || out[start] != form.bytes[0] { continue }
            let d = form.bytes.withUnsafeBufferPointer {
                boundedOSA(out + start, span, $0.baseAddress!, form.bytes.count, maxDistance: 2)
            }
            if d >= 1 && d <= 2 { return form }
        }
        return nil
    }

    /// Legal forms dropped inside a name when "of" follows ("Container Corp. of America").
    static let formsBeforeOf: ByteTable = {
        let words = ["corp", "corporation", "inc", "incorporated", "co", "company", "ltd", "limited"]
        var t = ByteTable(capacity: words.count)
        for (i, w) in words.enumerated() { t.insert(Array(w.utf8), value: Int32(i)) }
        return t
    }()

    /// Abbreviations written out, as (abbreviation, word) pairs; the word in its singular form.
    static let abbreviationPairs: [(String, String)] = [
        ("univ", "university"), ("intl", "international"), ("mfg", "manufacturing"), ("natl", "national"),
        ("hldgs", "holding"), ("hldg", "holding"), ("labs", "laboratory"), ("lab", "laboratory"),
        ("mgmt", "management"), ("svcs", "service"), ("svc", "service"), ("assn", "association"),
        ("inst", "institute"), ("ctr", "center"), ("centre", "center"), ("dept", "department"),
        ("cie", "compagnie"), ("bros", "brother"), ("tech", "technology"), ("technologies", "technology"),
        ("us", "united state"), ("usa", "united state america"), ("uk", "united kingdom"), ("gov", "government"),
        ("govt", "government"), ("corp", "corporation"), ("inc", "incorporated"), ("ltd", "limited"),
    ]
    static let abbreviationWords: [[UInt8]] = abbreviationPairs.map { Array($0.1.utf8) }
    static let abbreviations: ByteTable = {
        var t = ByteTable(capacity: abbreviationPairs.count)
        for (i, pair) in abbreviationPairs.enumerated() { t.insert(Array(pair.0.utf8), value: Int32(i)) }
        return t
    }()

    /// Country or region qualifiers (space-separated tokens, compared without the spaces): a country's
    /// index in `CountryNormalizer.codeList`, or -1 for a region ("EMEA", "North America").
    @inline(__always) private func regionValue(_ p: UnsafePointer<UInt8>, _ count: Int) -> Int32? {
        if count <= 0 || count > 40 { return nil }
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 40) { buf -> Int32? in
            let d = buf.baseAddress!
            var k = 0
            for j in 0..<count where p[j] != 0x20 {
                d[k] = p[j]
                k += 1
            }
            return NameNormalizer.qualifiers.lookup(d, k)
        }
    }

    /// A qualifier that names a country as people write one after a company's name: its name ("Canada",
    /// "The Netherlands") or one of the abbreviations used that way ("USA", "UK"). Other codes of two or
    /// three letters are also a company's initials as often ("Mitsubishi Electric ... America, Inc. (ITA)").
    @inline(__always) static func namesCountry(_ p: UnsafePointer<UInt8>, _ count: Int) -> Bool {
        if count >= 4 { return true }
        func `is`(_ s: StaticString) -> Bool {
            s.utf8CodeUnitCount == count && memcmp(p, s.utf8Start, count) == 0
        }
        return `is`("us") || `is`("usa") || `is`("uk") || `is`("uae")
    }

    /// Region words accepted as a qualifier next to the country names.
    static let regionWords: [String] = [
        "emea", "apac", "apj", "latam", "amer", "americas", "north america", "south america", "latin america",
        "central america", "europe", "eu", "asia", "asia pacific", "africa", "middle east", "mea", "mena",
        "nordics", "nordic", "benelux", "dach", "anz", "uk and ireland", "worldwide", "global", "international",
        "hq", "headquarters", "western europe", "eastern europe", "central europe", "cee", "asean", "greater china",
    ]

    static let qualifiers: ByteTable = {
        var t = ByteTable(capacity: CountryNormalizer.aliases.count + regionWords.count)
        for (alias, _) in CountryNormalizer.aliases.sorted(by: { $0.key < $1.key }) {
            let bytes = Array(alias.utf8)
            if bytes.isEmpty { continue }
            t.insert(bytes, value: CountryNormalizer.byteTable.lookup(bytes) ?? -1)
        }
        for w in regionWords { t.insert(Array(w.replacingOccurrences(of: " ", with: "").utf8), value: -1) }
        return t
    }()

    /// Legal forms written without spaces or dots ("corp", "gmbh", "ltd"), at least three letters: a name
    /// that ends in one once its spaces are removed ("Silver KoveanC orp") may carry a form split by a typo.
    static let formTails: ByteTable = {
        var t = ByteTable(capacity: 256)
        for form in legalForms {
            let bytes = Array(form.lowercased().utf8.filter { isLowerAlnum($0) })
            if bytes.count >= 3 && bytes.count <= maxFormTail { t.insert(bytes, value: Int32(bytes.count)) }
        }
        return t
    }()
    static let maxFormTail = 16

    /// Length of the longest legal form (as in `formTails`) that `p[0..<count]` ends with, keeping at least
    /// three bytes before it; 0 if none.
    static func formTailLength(_ p: UnsafePointer<UInt8>, _ count: Int) -> Int {
        var l = min(maxFormTail, count - 3)
        while l >= 3 {
            if formTails.lookup(p + (count - l), l) != nil { return l }
            l -= 1
        }
        return 0
    }
}

struct LegalForm {
    var bytes: [UInt8]  // tokens joined by single spaces
    var tokens: Int
    var regions: UInt64  // country bits (CountryNormalizer.bit) where the form is used; 0 = no signal
}

/// A normalized name: the key's range in the output buffer and the countries its legal form implies.
struct NameKeyRange {
    var start: Int
    var count: Int
    var regions: UInt64
    /// A legal form was written (and removed): the name is a registered company's, not a placeholder.
    var hasLegalForm: Bool
    /// The key before `canonicalWords` (plurals, abbreviations, inner legal forms), in the same buffer.
    var literalStart: Int
    var literalCount: Int
    /// `regions` came from a country the name itself names, in parentheses, after a dash or as initials
    /// ("Acme (Canada) Inc.", "Acme - Germany", "Nissan Motor Corporation U.S.A."), not from a legal form.
    var countryQualifier = false
}
