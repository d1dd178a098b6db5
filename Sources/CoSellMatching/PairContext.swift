import Foundation

enum CountryRelation { case agree, unknown, conflict }

/// Pairwise comparisons between a host-side and a partner-side record, on raw arena bytes. A class: the
/// passes' closures capture it once, where a struct of a dozen references was copied (each retained and
/// released) for every record they look at.
final class PairContext: @unchecked Sendable {
    let options: MatchOptions
    let hr: UnsafeMutablePointer<Row>
    let pr: UnsafeMutablePointer<Row>
    let ha: UnsafeMutablePointer<UInt8>
    let pa: UnsafeMutablePointer<UInt8>
    let hostCount: Int
    let partnerCount: Int
    // Keep the tables alive while the raw pointers are used.
    let host: AccountTable
    let partner: AccountTable
    /// Word counts of both tables, for name-only matches (`MatchOptions.distinctiveTypos`); nil in
    /// duplicate detection within one table.
    var words: WordFrequencies? = nil
    /// Misspellings of common words, and the partner records without a domain by their names brought to
    /// the common words; nil when name-only typos are not looked for.
    var spelling: SpellingIndex? = nil
    var correctedPartners: HashMultiMap? = nil
    /// The partner records without a domain by their words (`WordVariants.indexes`): nil when name-only
    /// typos are not looked for.
    var wordIndexes: WordIndexes? = nil

    init(host: AccountTable, partner: AccountTable, options: MatchOptions) {
        self.host = host
        self.partner = partner
        self.options = options
        hr = host.rows
        pr = partner.rows
        ha = host.arena
        pa = partner.arena
        hostCount = host.count
        partnerCount = partner.count
    }

    @inline(__always) func spanEqual(
        _ a: UnsafePointer<UInt8>, _ sa: UInt64, _ b: UnsafePointer<UInt8>, _ sb: UInt64
    ) -> Bool {
        let la = spanLength(sa)
        return la == spanLength(sb) && bytesEqual(a + spanOffset(sa), b + spanOffset(sb), la)
    }

    @inline(__always) func sameDomain(_ h: Int, _ p: Int) -> Bool {
        let a = hr[h]
        let b = pr[p]
        return a.domainHash == b.domainHash && a.hasDomain && b.hasDomain && spanEqual(ha, a.domain, pa, b.domain)
    }

    @inline(__always) func keysEqual(_ h: Int, _ p: Int) -> Bool {
        hr[h].keyHash == pr[p].keyHash && spanEqual(ha, hr[h].key, pa, pr[p].key)
    }

    /// Countries on both sides; a distinctive legal form (GmbH, K.K., Pty Ltd ...) counts as evidence
    /// of where a company is registered when the country is missing or to contradict it.
    @inline(__always) func countryRelation(_ h: Int, _ p: Int) -> CountryRelation {
        let x = hr[h]
        let y = pr[p]
        if spanLength(x.country) != 0 && spanLength(y.country) != 0 {
            return spanEqual(ha, x.country, pa, y.country) ? .agree : .conflict
        }
        if x.formRegions != 0 {
            if y.formRegions != 0 && x.formRegions & y.formRegions == 0 { return .conflict }
            if y.countryIndex != 0 && x.formRegions & (1 << UInt64(y.countryIndex - 1)) == 0 { return .conflict }
        }
        if y.formRegions != 0 && x.countryIndex != 0 && y.formRegions & (1 << UInt64(x.countryIndex - 1)) == 0 {
            return .conflict
        }
        return .unknown
    }

    /// Two registered names (each with its legal form), a country named in one only ("American Motors
    /// (Canada) Inc." / "American Motors Corporation"), and nothing on the other record that places it in
    /// that country (its country, or a legal form used there): on the names alone, that country's company
    /// of the group, not the same account. A name without a legal form is a CRM's short label, which a
    /// qualifier only locates ("University of Edinburgh (UK)"); on one domain the qualifier is only how
    /// one CRM wrote the account, and this is not asked.
    @inline(__always) func countryApart(_ h: Int, _ p: Int) -> Bool {
        let x = hr[h]
        let y = pr[p]
        if x.hasCountryQualifier == y.hasCountryQualifier || !x.hasLegalForm || !y.hasLegalForm { return false }
        let (named, other) = x.hasCountryQualifier ? (x, y) : (y, x)
        if other.countryIndex != 0 { return named.formRegions & (1 << UInt64(other.countryIndex - 1)) == 0 }
        return named.formRegions & other.formRegions == 0
    }

    /// First label of the registrable domain ("acme" for acme.co.uk).
    @inline(__always) func sldLabelEqual(_ h: Int, _ p: Int) -> Bool {
        let a = hr[h].domain
        let b = pr[p].domain
        let pa0 = ha + spanOffset(a)
        let pb0 = pa + spanOffset(b)
        let la = spanLength(a)
        let lb = spanLength(b)
        var i = 0
        while i < la && pa0[i] != 0x2E { i += 1 }
        var j = 0
        while j < lb && pb0[j] != 0x2E { j += 1 }
        return i == j && bytesEqual(pa0, pb0, i)
    }

    @inline(__always) func keySimilarity(_ h: Int, _ p: Int, minimum: Double) -> Double {
        let a = hr[h].key
        let b = pr[p].key
        let la = spanLength(a)
        let lb = spanLength(b)
        if la == 0 || lb == 0 { return 0 }
        return nameSimilarity(ha + spanOffset(a), la, pa + spanOffset(b), lb, minimum: minimum)
    }

    /// Name similarity of two same-domain records when they are one account, nil when the names differ
    /// in a word (a parent and a subsidiary: "Acme Holdings" / "Acme Robotics"). One account: keys at
    /// most `maxSameDomainEdits` edits apart (typos), also when compared without spaces (a split or
    /// joined word: "Kove an" / "Kovean"), or equal without spaces once a legal form fused into the last
    /// word by a typo is dropped ("Silver KoveanC orp." / "Silver Kovean Corp"), or a leading "The" fused
    /// into the first.
    @inline(__always) func sameDomainNameSimilarity(_ h: Int, _ p: Int) -> Double? {
        let x = hr[h]
        let y = pr[p]
        if let s = sameDomainSimilarity(x.key, y.key) { return s }
        if x.literalKey != x.key || y.literalKey != y.key {
            // Plurals and abbreviations brought to one form can hide a typo ("IndustriesS AS" / "Industries").
            if let s = sameDomainSimilarity(x.literalKey, y.literalKey) { return s }
        }
        return equalButForGroupWords(x.key, y.key) ? 0.95 : nil
    }

    /// Words that say how a company presents itself, not which company it is: on one domain, "Acme
    /// Group" and "Acme" are one account ("Acme Holdings" and "Acme Robotics" are a family).
    static let groupWords: ByteTable = {
        let words = ["group", "international", "global", "worldwide"]
        var t = ByteTable(capacity: words.count)
        for (i, w) in words.enumerated() { t.insert(Array(w.utf8), value: Int32(i)) }
        return t
    }()

    /// Equal keys once the words of `groupWords` are left out of both (and something is left).
    func equalButForGroupWords(_ a: UInt64, _ b: UInt64) -> Bool {
        let la = spanLength(a)
        let lb = spanLength(b)
        if la == 0 || lb == 0 || la > 255 || lb > 255 { return false }
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 512) { buf -> Bool in
            let x = buf.baseAddress!
            let y = x + 256
            func strip(_ p: UnsafePointer<UInt8>, _ n: Int, into d: UnsafeMutablePointer<UInt8>) -> (Int, Bool) {
                var k = 0
                var dropped = false
                TokenCounts.forEachToken(p, n) { s, l in
                    if Self.groupWords.lookup(p + s, l) != nil {
                        dropped = true
                        return
                    }
                    if k > 0 {
                        d[k] = 0x20
                        k += 1
                    }
                    for j in 0..<l { d[k + j] = p[s + j] }
                    k += l
                }
                return (k, dropped)
            }
            let (nx, dx) = strip(ha + spanOffset(a), la, into: x)
            let (ny, dy) = strip(pa + spanOffset(b), lb, into: y)
            return (dx || dy) && nx > 0 && nx == ny && bytesEqual(x, y, nx)
        }
    }

    /// `sameDomainNameSimilarity` on two keys (spans of the host and the partner arena).
    @inline(__always) func sameDomainSimilarity(_ a: UInt64, _ b: UInt64) -> Double? {
        let threshold = options.sameDomainNameThreshold
        let la = spanLength(a)
        let lb = spanLength(b)
        if la == 0 || lb == 0 { return nil }
        let sim = nameSimilarity(ha + spanOffset(a), la, pa + spanOffset(b), lb, minimum: threshold)
        // Within `maxSameDomainEdits` edits (typos), not a word apart ("Acme Services" / "Acme Ventures").
        if sim >= threshold && Int(((1 - sim) * Double(max(la, lb))).rounded()) <= options.maxSameDomainEdits {
            return sim
        }
        if la > 255 || lb > 255 { return nil }
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 512) { buf -> Double? in
            let x = buf.baseAddress!
            let y = x + 256
            let nx = despace(ha + spanOffset(a), la, into: x)
            let ny = despace(pa + spanOffset(b), lb, into: y)
            if nx == la && ny == lb {
                // No spaces: only the legal-form case below can still apply.
            } else {
                let s = nameSimilarity(x, nx, y, ny, minimum: threshold)
                let longest = max(nx, ny)
                if s >= threshold && Int(((1 - s) * Double(longest)).rounded()) <= options.maxSameDomainEdits {
                    return s
                }
            }
            let tx = NameNormalizer.formTailLength(x, nx)
            let ty = NameNormalizer.formTailLength(y, ny)
            // Keys end in the singular ("systems" -> "system"), but a word fused with a legal form was
            // not seen as a word: compare it with its plural "s" too.
            if tx > 0 && equalOrPlural(x, nx - tx, y, ny) { return 1 }
            if ty > 0 && equalOrPlural(x, nx, y, ny - ty) { return 1 }
            // A leading "The" fused with the next word by a split ("TheG ildel Biotech" / "Gildel Biotech").
            let ox = nx > 6 && x[0] == 0x74 && x[1] == 0x68 && x[2] == 0x65 ? 3 : 0
            let oy = ny > 6 && y[0] == 0x74 && y[1] == 0x68 && y[2] == 0x65 ? 3 : 0
            if ox != oy && equalOrPlural(x + ox, nx - ox, y + oy, ny - oy) { return 1 }
            return nil
        }
    }

    /// Equal, or equal but for a final "s" on one side.
    @inline(__always) func equalOrPlural(
        _ x: UnsafePointer<UInt8>, _ nx: Int, _ y: UnsafePointer<UInt8>, _ ny: Int
    )
        -> Bool
    {
        if nx == ny { return bytesEqual(x, y, nx) }
        if nx == ny + 1 && x[ny] == 0x73 { return bytesEqual(x, y, ny) }
        if ny == nx + 1 && y[nx] == 0x73 { return bytesEqual(x, y, nx) }
        return false
    }

    @inline(__always) func despace(_ src: UnsafePointer<UInt8>, _ n: Int, into dst: UnsafeMutablePointer<UInt8>) -> Int
    {
        var k = 0
        for i in 0..<n where src[i] != 0x20 {
            dst[k] = src[i]
            k += 1
        }
        return k
    }

    /// Score for a name-based same-account match, or nil if domains or countries forbid it.
    @inline(__always) func nameOnlyScore(_ h: Int, _ p: Int, similarity: Double) -> Double? {
        let hd = hr[h].hasDomain
        let pd = pr[p].hasDomain
        var labelBonus = 0.0
        let c = countryRelation(h, p)
        if c == .conflict { return nil }
        if hd && pd {
            // Different registrable domains: only the same company under another TLD (acme.com / acme.de),
            // with the exact name and the same country on both sides.
            if similarity < 1 || c != .agree || !sldLabelEqual(h, p) { return nil }
            labelBonus = 0.03
        }
        if similarity < 1 {
            // A typo: with `typoTolerance`, the country on both sides must agree; otherwise another word of
            // the name must be distinctive.
            let byCountry = options.typoTolerance && c == .agree
            if !byCountry && !distinctiveTypo(h, p) { return nil }
        } else if let words, isGenericName(h, words) {
            return nil
        }
        let countryBonus = c == .agree ? 0.05 : 0.0
        return similarity * (0.9 + countryBonus + labelBonus)
    }

    /// A name of one word that many names of both tables use ("General", "Eastern"): not a match on
    /// the name alone ("The General Corporation" / "General LLC").
    @inline(__always) func isGenericName(_ h: Int, _ words: WordFrequencies) -> Bool {
        let k = hr[h].literalKey
        let n = spanLength(k)
        let p = ha + spanOffset(k)
        for i in 0..<n where p[i] == 0x20 { return false }
        return words.count(p, n) >= words.genericLimit
    }

    /// Two names one edit apart are one company on the names alone when the edit is inside a long word
    /// (at least six letters on both sides, no digit: "Microship" / "Microchip", not "Tack" / "Tech" or
    /// "Model 3" / "Model 5") and another word of the name is distinctive in both tables ("Loyola
    /// University of Chicage"); a typo in the one distinctive word of "Kalove Systems" could be another
    /// company. Off when word counts are not available.
    func distinctiveTypo(_ h: Int, _ p: Int) -> Bool {
        guard let words, options.distinctiveTypos else { return false }
        let a = hr[h].literalKey
        let b = pr[p].literalKey
        let la = spanLength(a)
        let lb = spanLength(b)
        if la < options.fuzzyMinimumLength || lb < options.fuzzyMinimumLength { return false }
        let x = ha + spanOffset(a)
        let y = pa + spanOffset(b)
        var i = 0
        while i < la && i < lb && x[i] == y[i] { i += 1 }
        /// The word of `q[0..<n]` around position `at`: its start and length.
        func word(_ q: UnsafePointer<UInt8>, _ n: Int, _ at: Int) -> (Int, Int) {
            var s = min(at, n)
            while s > 0 && q[s - 1] != 0x20 { s -= 1 }
            var e = min(at, n)
            while e < n && q[e] != 0x20 { e += 1 }
            return (s, e - s)
        }
        let (sa, na) = word(x, la, i)
        let (sb, nb) = word(y, lb, i)
        if na < 6 || nb < 6 { return false }
        for j in 0..<na where x[sa + j] >= 0x30 && x[sa + j] <= 0x39 { return false }
        for j in 0..<nb where y[sb + j] >= 0x30 && y[sb + j] <= 0x39 { return false }
        var distinctive = false
        var otherWord = false
        let limit = words.distinctiveLimit
        TokenCounts.forEachToken(x, la) { s, n in
            if distinctive || s == sa || n < 4 { return }
            otherWord = true
            if words.count(x + s, n) <= limit { distinctive = true }
        }
        if distinctive { return true }
        // A misspelled common word next to a word both names share ("Lucent Technoligies" / "Lucent
        // Technologies"): the one side's word is in many names, the other's in few. Two rare words one letter
        // apart ("Kalove" / "Kalovi") may be two companies, and so may a first word that looks like a
        // common one ("Genetec Systems" / "Genetic Systems"): a company's own name comes first.
        return otherWord && sa > 0 && words.misspelling(x + sa, na, of: y + sb, nb)
    }

    /// Typo candidates from a fuzzy index for key `kp[0..<len]`, calling `found(record, similarity)`: the
    /// records one edit away (a letter changed, added or dropped), each under one of the probe's three
    /// blocks at its own length (the index holds every key under the blocks of the lengths one away).
    @inline(__always) func fuzzyProbe(
        _ kp: UnsafePointer<UInt8>, _ len: Int, index: HashMultiMap, rows: UnsafeMutablePointer<Row>,
        arena: UnsafeMutablePointer<UInt8>, _ found: (Int, Double) -> Void
    ) {
        for part in 0..<3 {
            var e = index.head(fuzzyBlockKey(part, kp, len, assumedLength: len))
            var seen = 0
            while e != 0 && seen < options.maxBlockComparisons {
                let q = index.value(e)
                e = index.next(e)
                seen += 1
                let qs = rows[q].literalKey
                let ql = spanLength(qs)
                if ql < len - 1 || ql > len + 1 { continue }
                let d = oneEditDistance(kp, len, arena + spanOffset(qs), ql)
                if d != 1 { continue }  // exact matches are found by the key index
                found(q, 1 - 1 / Double(max(len, ql)))
            }
        }
    }

    /// How many records ahead a pass asks for the slots its lookups will read (`HashMultiMap.prefetch`):
    /// the host pass took 0.38 s instead of 0.44 s at 1M with the domain and name slots asked for six
    /// records ahead; the typo blocks' filter words asked for too made no difference.
    static let ahead = 6

    /// Whether name-only typo candidates are looked for at all.
    var typoProbes: Bool { options.typoTolerance || (options.distinctiveTypos && words != nil) }

    func hostPass(_ range: Range<Int>, partnerIndex: TableIndex, into out: inout [RawOverlap]) {
        let threshold = options.sameDomainNameThreshold
        let cap = options.maxBlockComparisons
        var candidates: [(p: Int32, score: Double)] = []
        let scratch = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: 2 * NameNormalizer.outCapacity)
        defer { scratch.deallocate() }
        let ahead = Self.ahead
        for h in range {
            if h + ahead < range.upperBound {
                let later = hr[h + ahead]
                if later.hasDomain { partnerIndex.domain.prefetch(later.domainHash) }
                partnerIndex.key.prefetch(later.keyHash)
            }
            let hrow = hr[h]
            var hasSameAccount = false
            // 1. Registrable domain.
            if hrow.hasDomain {
                var e = partnerIndex.domain.head(hrow.domainHash)
                var bestFamily: Int32 = -1
                var bestFamilySim = -1.0
                var familyCountry = CountryRelation.unknown
                var seen = 0
                while e != 0 && seen < cap {
                    let p = partnerIndex.domain.value(e)
                    e = partnerIndex.domain.next(e)
                    guard sameDomain(h, p) else { continue }
                    seen += 1
                    let c = countryRelation(h, p)
                    let same = c == .conflict ? nil : sameDomainNameSimilarity(h, p)
                    if let sim = same {
                        hasSameAccount = true
                        out.append(
                            RawOverlap(h: Int32(h), p: Int32(p), relation: 0, method: 2, score: Float(0.9 + 0.1 * sim)))
                    } else {
                        let s = keySimilarity(h, p, minimum: threshold) + (c == .conflict ? 0 : 0.001)
                        if s > bestFamilySim {
                            bestFamilySim = s
                            bestFamily = Int32(p)
                            familyCountry = c
                        }
                    }
                }
                if !hasSameAccount && bestFamily >= 0 {
                    out.append(
                        RawOverlap(
                            h: Int32(h), p: bestFamily, relation: 1, method: 0,
                            score: familyCountry == .conflict ? 0.8 : 0.9))
                }
            }
            // 2. Name: exact key, then typo-tolerant blocks over partner records without a domain.
            let len = spanLength(hrow.key)
            if len == 0 { continue }
            candidates.removeAll(keepingCapacity: true)
            var e = partnerIndex.key.head(hrow.keyHash)
            var seen = 0
            var plain = 0  // candidates without a legal form on both sides
            while e != 0 {
                let p = partnerIndex.key.value(e)
                e = partnerIndex.key.next(e)
                guard keysEqual(h, p) else { continue }
                seen += 1
                if !(hrow.hasLegalForm && pr[p].hasLegalForm) { plain += 1 }
                if plain > options.maxNameCandidates || seen > options.maxLegalNameCandidates {
                    candidates.removeAll(keepingCapacity: true)  // too common a name to mean anything
                    break
                }
                if sameDomain(h, p) { continue }
                if let s = nameOnlyScore(h, p, similarity: 1) { candidates.append((Int32(p), s)) }
            }
            let ll = spanLength(hrow.literalKey)
            // Typos: for a record with no candidate yet, and, for one without a domain, also beside the
            // records of its exact name, which joins the other list's misspellings of a company's name
            // into its group ("... of the Univeristy of California" beside "... University ...").
            let exactFound = candidates.count
            if (exactFound == 0 || !hrow.hasDomain) && !hasSameAccount && ll >= options.fuzzyMinimumLength
                && typoProbes
            {
                fuzzyProbe(ha + spanOffset(hrow.literalKey), ll, index: partnerIndex.fuzzyNoDomain, rows: pr, arena: pa)
                {
                    p, sim in
                    if candidates.contains(where: { $0.p == Int32(p) }) { return }
                    if let s = nameOnlyScore(h, p, similarity: sim) { candidates.append((Int32(p), s)) }
                }
                // Misspellings that would make the name's own records look like namesakes go.
                if exactFound > 0 && candidates.count > exactFound && !consistent(candidates.map { $0.p }) {
                    candidates.removeLast(candidates.count - exactFound)
                }
            }
            if candidates.isEmpty && !hrow.hasDomain && ll >= options.fuzzyMinimumLength {
                correctedCandidates(h, scratch: scratch.baseAddress!, into: &candidates)
            }
            if candidates.isEmpty && !hrow.hasDomain && !hasSameAccount {
                wordVariantCandidates(
                    h, partnerKeys: partnerIndex.key, scratch: scratch.baseAddress!, into: &candidates)
                if candidates.isEmpty {
                    severalWordCandidates(h, into: &candidates)
                }
                if candidates.isEmpty {
                    joinedWordCandidates(h, scratch: scratch.baseAddress!, into: &candidates)
                }
            }
            // Long names written two ways with a word more or less, or with a few words more at the end:
            // also beside the exact name's records,
            // which is what joins a company's spellings into one group.
            if !hrow.hasDomain {
                let found = candidates.count
                alignedWordCandidates(h, into: &candidates)
                longerNameCandidates(h, into: &candidates)
                // Spellings that would make the name's own records look like namesakes (another country)
                // go, and those stay.
                if found > 0 && candidates.count > found && !consistent(candidates.map { $0.p }) {
                    candidates.removeLast(candidates.count - found)
                }
            }
            if candidates.isEmpty { continue }
            if candidates.count > 1 && !consistent(candidates.map { $0.p }) { continue }  // ambiguous namesakes
            for c in candidates {
                out.append(RawOverlap(h: Int32(h), p: c.p, relation: 0, method: 1, score: Float(c.score)))
            }
        }
    }

    /// Name-only candidates once misspelled common words are corrected on both sides ("The United States
    /// of Amercia as respresented by the Secretary of the Navy" / "... the Secretay of the Navy"): two
    /// records without a domain, equal corrected names, at least one word corrected, a word of the name
    /// kept as written, and no country or legal form against it.
    func correctedCandidates(
        _ h: Int, scratch: UnsafeMutablePointer<UInt8>, into candidates: inout [(p: Int32, score: Double)]
    ) {
        guard let spelling, let index = correctedPartners else { return }
        let k = hr[h].literalKey
        let n = spanLength(k)
        if SpellingIndex.formCapacity(n) > NameNormalizer.outCapacity { return }
        let form = spelling.correctedForm(ha + spanOffset(k), n, into: scratch)
        if !form.kept { return }
        let other = scratch + NameNormalizer.outCapacity
        var e = index.head(hashBytes(scratch, form.count))
        var seen = 0
        while e != 0 && seen < options.maxNameCandidates {
            let p = index.value(e)
            e = index.next(e)
            let pk = pr[p].literalKey
            let pn = spanLength(pk)
            if SpellingIndex.formCapacity(pn) > NameNormalizer.outCapacity { continue }
            let pf = spelling.correctedForm(pa + spanOffset(pk), pn, into: other)
            guard pf.count == form.count && bytesEqual(scratch, other, form.count) else { continue }
            seen += 1
            let corrections = form.corrections + pf.corrections
            if corrections == 0 || !pf.kept { continue }  // equal as written: the key index's
            let c = countryRelation(h, p)
            if c == .conflict { continue }
            let similarity = max(0.5, 1 - Double(corrections) / Double(max(n, 1)))
            candidates.append((Int32(p), similarity * (c == .agree ? 0.95 : 0.9)))
        }
    }

    /// Partner records with a domain: typo matches against host records without a domain, and a family
    /// pair when the host has the domain but the record got no pair in the host pass.
    func partnerPass(
        _ range: Range<Int>, hostIndex: TableIndex, touched: [Bool], hostMatched: [Bool], into out: inout [RawOverlap]
    ) {
        let ahead = Self.ahead
        for p in range {
            if p + ahead < range.upperBound {
                let later = pr[p + ahead]
                if later.hasDomain && !touched[p + ahead] { hostIndex.domain.prefetch(later.domainHash) }
            }
            let prow = pr[p]
            guard prow.hasDomain else { continue }
            if !touched[p], let o = partnerFamily(p, hostIndex: hostIndex) { out.append(o) }
            let len = spanLength(prow.literalKey)
            if len < options.fuzzyMinimumLength || !typoProbes { continue }
            fuzzyProbe(pa + spanOffset(prow.literalKey), len, index: hostIndex.fuzzyNoDomain, rows: hr, arena: ha) {
                h, sim in
                if hostMatched[h] { return }
                if let s = nameOnlyScore(h, p, similarity: sim) {
                    out.append(RawOverlap(h: Int32(h), p: Int32(p), relation: 0, method: 1, score: Float(s)))
                }
            }
        }
    }

    /// Several partner candidates for one host record are acceptable only if they do not disagree
    /// among themselves on domain or country (i.e. they look like duplicates of one company).
    func consistent(_ ps: [Int32]) -> Bool {
        var domain: UInt64 = 0
        var country: UInt64 = 0
        var hasCountry = false
        for p32 in ps {
            let r = pr[Int(p32)]
            if r.hasDomain {
                if domain != 0 && domain != r.domainHash { return false }
                domain = r.domainHash
            }
            if spanLength(r.country) != 0 {
                if hasCountry && !spanEqual(pa, country, pa, r.country) { return false }
                country = r.country
                hasCountry = true
            }
        }
        return true
    }

    /// A family pair for a partner record whose domain the host also has, but which got no pair.
    func partnerFamily(_ p: Int, hostIndex: TableIndex) -> RawOverlap? {
        var e = hostIndex.domain.head(pr[p].domainHash)
        var best: Int32 = -1
        var bestSim = -1.0
        var bestCountry = CountryRelation.unknown
        var seen = 0
        while e != 0 && seen < options.maxBlockComparisons {
            let h = hostIndex.domain.value(e)
            e = hostIndex.domain.next(e)
            guard sameDomain(h, p) else { continue }
            seen += 1
            let c = countryRelation(h, p)
            let s = keySimilarity(h, p, minimum: 0) + (c == .conflict ? 0 : 0.001)
            if s > bestSim {
                bestSim = s
                best = Int32(h)
                bestCountry = c
            }
        }
        if best < 0 { return nil }
        return RawOverlap(h: best, p: Int32(p), relation: 1, method: 0, score: bestCountry == .conflict ? 0.8 : 0.9)
    }
}
