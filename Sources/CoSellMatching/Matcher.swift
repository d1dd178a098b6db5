import Dispatch
import Foundation

public enum OverlapRelation: String, Sendable, Codable, Hashable, CaseIterable {
    case same_account, same_family
}

public enum MatchMethod: String, Sendable, Codable, Hashable, CaseIterable {
    case domain
    case name
    case domainAndName = "domain+name"
}

/// One overlap between a host record and a partner record (indices into the two tables).
public struct Overlap: Sendable, Codable, Hashable {
    public var hostIndex: Int
    public var partnerIndex: Int
    public var relation: OverlapRelation
    public var method: MatchMethod
    /// Confidence in the stated relation, 0...1.
    public var score: Double
}

/// Two records of one file recognised as the same company.
public struct DuplicatePair: Sendable, Codable, Hashable {
    public var firstIndex: Int
    public var secondIndex: Int
    public var method: MatchMethod
    public var score: Double
}

public struct MatchOptions: Sendable, Codable, Hashable {
    /// Minimum name similarity for two records with the same registrable domain to be the same account.
    public var sameDomainNameThreshold: Double = 0.8
    /// ... and at most this many character edits apart.
    public var maxSameDomainEdits: Int = 2
    /// Name keys shorter than this only match exactly when there is no domain agreement.
    public var fuzzyMinimumLength: Int = 8
    /// Also match names one typo apart when no shared domain supports them (needs the same country on
    /// both sides and no conflicting domains). Off by default: on large lists one-edit neighbours are
    /// often different companies (measured precision of such matches was about 0.3 on the synthetic
    /// benchmark). Typos are always tolerated between records sharing a registrable domain.
    public var typoTolerance: Bool = false
    /// Cap on comparisons per record inside one domain block.
    public var maxBlockComparisons: Int = 2000
    /// A name shared by more records than this on the other side is not distinctive: no name-only match.
    public var maxNameCandidates: Int = 16
    /// Worker threads (default: active processors).
    public var threads: Int = max(1, ProcessInfo.processInfo.activeProcessorCount)
    public init() {}
}

public struct MatchResult: Sendable {
    /// Overlaps sorted by host index, then partner index.
    public var overlaps: [Overlap]
    public var hostDuplicates: [DuplicatePair]
    public var partnerDuplicates: [DuplicatePair]
}

final class Box<T>: @unchecked Sendable {
    var value: T
    init(_ v: T) { value = v }
}

/// Runs `body(i)` for i in 0..<n on up to n threads and waits.
func parallelFor(_ n: Int, _ body: @escaping @Sendable (Int) -> Void) {
    if n <= 1 {
        body(0)
        return
    }
    DispatchQueue.concurrentPerform(iterations: n) { i in body(i) }
}

/// Hash indexes over one table: by registrable domain, by exact name key, and by typo-tolerant blocks
/// over the records that have no usable domain.
struct TableIndex: @unchecked Sendable {
    let domain: HashMultiMap
    let key: HashMultiMap
    let fuzzyNoDomain: HashMultiMap

    init(_ t: AccountTable, minLength: Int, fuzzy: Bool = true) {
        let n = t.count
        var withDomain = 0
        var noDomainFuzzy = 0
        for i in 0..<n {
            let r = t.rows[i]
            if r.hasDomain { withDomain += 1 } else if fuzzy && spanLength(r.key) >= minLength { noDomainFuzzy += 1 }
        }
        let d = HashMultiMap(expected: withDomain)
        let k = HashMultiMap(expected: n)
        let f = HashMultiMap(expected: noDomainFuzzy * 3)
        for i in 0..<n {
            let r = t.rows[i]
            if r.hasDomain { d.insert(key: r.domainHash, value: Int32(i)) }
            let len = spanLength(r.key)
            if len == 0 { continue }
            k.insert(key: r.keyHash, value: Int32(i))
            if fuzzy && !r.hasDomain && len >= minLength {
                let p = UnsafePointer(t.arena + spanOffset(r.key))
                for part in 0..<3 { f.insert(key: fuzzyBlockKey(part, p, len, assumedLength: len), value: Int32(i)) }
            }
        }
        domain = d
        key = k
        fuzzyNoDomain = f
    }
}

/// Typo-tolerant blocking. A key of assumed length L is cut in thirds A|B|C (cuts at L/3 and 2L/3);
/// one edit touches at most one third, so one of AB, BC or A+C is intact. For a probe of another
/// length, A is its prefix and C its suffix of the lengths the assumed L implies. BC blocks also carry
/// the first character, which keeps blocks of names ending in a common word small (an edit on the very
/// first character then relies on the other two keys).
@inline(__always)
func fuzzyBlockKey(_ part: Int, _ p: UnsafePointer<UInt8>, _ len: Int, assumedLength l: Int) -> UInt64 {
    let c1 = l / 3
    let c2 = (2 * l) / 3
    let tag = UInt64(l) &* 0x1000_0001 &+ UInt64(part) &* 0x9E37_79B9
    switch part {
    case 0:  // AB: prefix of length c2
        return hashBytes(p, c2, seed: 0x1234_5678_9ABC_DEF1 &+ tag)
    case 1:  // BC: suffix of length l - c1, plus the first character
        return hashBytes(
            p + (len - (l - c1)), l - c1, seed: 0x0FED_CBA9_8765_4321 &+ tag &+ UInt64(p[0]) &* 0x100_0000_01B3)
    default:  // A + C
        let h1 = hashBytes(p, c1, seed: 0x5555_AAAA_3333_CCCC &+ tag)
        return hashBytes(p + (len - (l - c2)), l - c2, seed: h1)
    }
}

/// Whether block `part` of assumed length `l` can be cut from a key of length `len`.
@inline(__always)
func fuzzyPartFits(_ part: Int, _ len: Int, _ l: Int) -> Bool {
    switch part {
    case 0: return (2 * l) / 3 <= len
    case 1: return l - l / 3 <= len
    default: return l / 3 + (l - (2 * l) / 3) <= len
    }
}

struct RawOverlap {
    var h: Int32
    var p: Int32
    var relation: UInt8  // 0 same_account, 1 same_family
    var method: UInt8  // 0 domain, 1 name, 2 domain+name
    var score: Float
}

/// The account matcher. Pure: two tables in, overlaps out.
public enum AccountMatcher {
    public static func match(
        host: AccountTable, partner: AccountTable, options: MatchOptions = MatchOptions(),
        findDuplicates: Bool = true
    ) -> MatchResult {
        let (first, hostIndex, partnerIndex) = matchOnly(host: host, partner: partner, options: options)
        var result = first
        if findDuplicates {
            let threads = max(1, min(options.threads, 8))
            let hd = Box<[DuplicatePair]>([])
            let pd = Box<[DuplicatePair]>([])
            parallelFor(min(2, threads)) { i in
                if i == 0 || threads == 1 { hd.value = duplicates(in: host, index: hostIndex, options: options) }
                if i == 1 || threads == 1 { pd.value = duplicates(in: partner, index: partnerIndex, options: options) }
            }
            result.hostDuplicates = hd.value
            result.partnerDuplicates = pd.value
        }
        return result
    }

    /// Overlaps only, plus the indexes (reused for duplicate detection).
    static func matchOnly(
        host: AccountTable, partner: AccountTable, options: MatchOptions
    ) -> (MatchResult, TableIndex, TableIndex) {
        let threads = max(1, min(options.threads, 8))
        // Indexes, built concurrently.
        let hostIndexBox = Box<TableIndex?>(nil)
        let partnerIndexBox = Box<TableIndex?>(nil)
        parallelFor(min(2, threads)) { i in
            if i == 0 || threads == 1 {
                partnerIndexBox.value = TableIndex(partner, minLength: options.fuzzyMinimumLength)
            }
            if i == 1 || threads == 1 { hostIndexBox.value = TableIndex(host, minLength: options.fuzzyMinimumLength) }
        }
        let hostIndex = hostIndexBox.value!
        let partnerIndex = partnerIndexBox.value!
        // Host-driven pass in chunks.
        let chunks = threads * 8
        let results = Box<[[RawOverlap]]>(Array(repeating: [], count: chunks))
        let n = host.count
        let next = Box<Int>(0)
        let lock = NSLock()
        parallelFor(threads) { _ in
            let pair = PairContext(host: host, partner: partner, options: options)
            while true {
                lock.lock()
                let c = next.value
                next.value += 1
                lock.unlock()
                if c >= chunks { break }
                let lo = n * c / chunks
                let hi = n * (c + 1) / chunks
                var out: [RawOverlap] = []
                out.reserveCapacity((hi - lo) / 3)
                pair.hostPass(lo..<hi, partnerIndex: partnerIndex, into: &out)
                lock.lock()
                results.value[c] = out
                lock.unlock()
            }
        }
        var raw: [RawOverlap] = []
        raw.reserveCapacity(results.value.reduce(0) { $0 + $1.count } + 1024)
        for r in results.value { raw.append(contentsOf: r) }
        results.value = []
        let pairCtx = PairContext(host: host, partner: partner, options: options)
        // Partner-driven pass: partner records with a domain against host records without one (typos),
        // and partner-side families (a domain the host has, but no pair yet).
        var partnerTouched = [Bool](repeating: false, count: partner.count)
        var hostMatched = [Bool](repeating: false, count: host.count)
        for r in raw {
            if r.method != 1 { partnerTouched[Int(r.p)] = true }
            if r.relation == 0 { hostMatched[Int(r.h)] = true }
        }
        let touched = partnerTouched
        let matched = hostMatched
        let extras = Box<[[RawOverlap]]>(Array(repeating: [], count: chunks))
        next.value = 0
        let pn = partner.count
        parallelFor(threads) { _ in
            while true {
                lock.lock()
                let c = next.value
                next.value += 1
                lock.unlock()
                if c >= chunks { break }
                var out: [RawOverlap] = []
                pairCtx.partnerPass(
                    (pn * c / chunks)..<(pn * (c + 1) / chunks), hostIndex: hostIndex, touched: touched,
                    hostMatched: matched, into: &out)
                lock.lock()
                extras.value[c] = out
                lock.unlock()
            }
        }
        var fuzzyByHost: [RawOverlap] = []
        for chunk in extras.value {
            for r in chunk {
                if r.relation == 1 { raw.append(r) } else { fuzzyByHost.append(r) }
            }
        }
        // Several typo matches for one host record must agree among themselves.
        fuzzyByHost.sort { ($0.h, $0.p) < ($1.h, $1.p) }
        var i = 0
        while i < fuzzyByHost.count {
            var j = i + 1
            while j < fuzzyByHost.count && fuzzyByHost[j].h == fuzzyByHost[i].h { j += 1 }
            if j - i == 1 || pairCtx.consistent(fuzzyByHost[i..<j].map { $0.p }) {
                raw.append(contentsOf: fuzzyByHost[i..<j])
            }
            i = j
        }
        raw.sort { ($0.h, $0.p) < ($1.h, $1.p) }
        var overlaps: [Overlap] = []
        overlaps.reserveCapacity(raw.count)
        var last: (Int32, Int32) = (-1, -1)
        for r in raw {
            if r.h == last.0 && r.p == last.1 { continue }
            last = (r.h, r.p)
            overlaps.append(
                Overlap(
                    hostIndex: Int(r.h), partnerIndex: Int(r.p),
                    relation: r.relation == 0 ? .same_account : .same_family,
                    method: r.method == 0 ? .domain : (r.method == 1 ? .name : .domainAndName),
                    score: round3(Double(r.score))))
        }
        return (MatchResult(overlaps: overlaps, hostDuplicates: [], partnerDuplicates: []), hostIndex, partnerIndex)
    }

    /// Duplicate records of the same company within one table.
    public static func duplicates(in table: AccountTable, options: MatchOptions = MatchOptions()) -> [DuplicatePair] {
        duplicates(
            in: table, index: TableIndex(table, minLength: options.fuzzyMinimumLength, fuzzy: false), options: options)
    }

    static func duplicates(in t: AccountTable, index: TableIndex, options: MatchOptions) -> [DuplicatePair] {
        let ctx = PairContext(host: t, partner: t, options: options)
        var out: [DuplicatePair] = []
        for i in 0..<t.count {
            let r = t.rows[i]
            var seen = 0
            if r.hasDomain {
                var e = index.domain.head(r.domainHash)
                while e != 0 && seen < options.maxBlockComparisons {
                    let j = index.domain.value(e)
                    e = index.domain.next(e)
                    if j >= i { continue }
                    seen += 1
                    guard ctx.sameDomain(i, j) else { continue }
                    if ctx.countryRelation(i, j) == .conflict { continue }
                    let sim = ctx.keySimilarity(i, j, minimum: options.sameDomainNameThreshold)
                    if sim >= options.sameDomainNameThreshold && ctx.withinEdits(sim, i, j) {
                        out.append(
                            DuplicatePair(
                                firstIndex: j, secondIndex: i, method: .domainAndName, score: round3(0.9 + 0.1 * sim)))
                    }
                }
            }
            if spanLength(r.key) == 0 { continue }
            var e = index.key.head(r.keyHash)
            seen = 0
            while e != 0 && seen < options.maxNameCandidates {
                let j = index.key.value(e)
                e = index.key.next(e)
                if j >= i { continue }
                seen += 1
                guard ctx.keysEqual(i, j) else { continue }
                if ctx.sameDomain(i, j) { continue }  // handled above
                guard let s = ctx.nameOnlyScore(i, j, similarity: 1) else { continue }
                out.append(DuplicatePair(firstIndex: j, secondIndex: i, method: .name, score: round3(s)))
            }
        }
        out.sort { ($0.firstIndex, $0.secondIndex) < ($1.firstIndex, $1.secondIndex) }
        return out
    }
}

@inline(__always) func round3(_ x: Double) -> Double { (x * 1000).rounded() / 1000 }

enum CountryRelation { case agree, unknown, conflict }

/// Pairwise comparisons between a host-side and a partner-side record, on raw arena bytes.
struct PairContext: @unchecked Sendable {
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

    /// Same-domain records are one account only if their keys differ by at most
    /// `maxSameDomainEdits` edits (typos), not by a word ("Acme Services" vs "Acme Ventures").
    @inline(__always) func withinEdits(_ sim: Double, _ h: Int, _ p: Int) -> Bool {
        let longest = max(spanLength(hr[h].key), spanLength(pr[p].key))
        let d = Int(((1 - sim) * Double(longest)).rounded())
        return d <= options.maxSameDomainEdits
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
        // A typo-tolerant match needs the country on both sides to agree.
        if similarity < 1 && c != .agree { return nil }
        let countryBonus = c == .agree ? 0.05 : 0.0
        return similarity * (0.9 + countryBonus + labelBonus)
    }

    /// Typo candidates from a fuzzy index for key `kp[0..<len]`, calling `found(record, similarity)`.
    @inline(__always) func fuzzyProbe(
        _ kp: UnsafePointer<UInt8>, _ len: Int, index: HashMultiMap, rows: UnsafeMutablePointer<Row>,
        arena: UnsafeMutablePointer<UInt8>, _ found: (Int, Double) -> Void
    ) {
        var lp = max(options.fuzzyMinimumLength, len - 1)
        while lp <= len + 1 {
            for part in 0..<3 where fuzzyPartFits(part, len, lp) {
                var e = index.head(fuzzyBlockKey(part, kp, len, assumedLength: lp))
                var seen = 0
                while e != 0 && seen < options.maxBlockComparisons {
                    let q = index.value(e)
                    e = index.next(e)
                    seen += 1
                    let qs = rows[q].key
                    if spanLength(qs) != lp { continue }
                    let d = oneEditDistance(kp, len, arena + spanOffset(qs), lp)
                    if d != 1 { continue }  // exact matches are found by the key index
                    found(q, 1 - 1 / Double(max(len, lp)))
                }
            }
            lp += 1
        }
    }

    func hostPass(_ range: Range<Int>, partnerIndex: TableIndex, into out: inout [RawOverlap]) {
        let threshold = options.sameDomainNameThreshold
        let cap = options.maxBlockComparisons
        var candidates: [(p: Int32, score: Double)] = []
        for h in range {
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
                    let sim = keySimilarity(h, p, minimum: threshold)
                    if sim >= threshold && c != .conflict && withinEdits(sim, h, p) {
                        hasSameAccount = true
                        out.append(
                            RawOverlap(h: Int32(h), p: Int32(p), relation: 0, method: 2, score: Float(0.9 + 0.1 * sim)))
                    } else {
                        let s = sim + (c == .conflict ? 0 : 0.001)
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
            while e != 0 {
                let p = partnerIndex.key.value(e)
                e = partnerIndex.key.next(e)
                guard keysEqual(h, p) else { continue }
                seen += 1
                if seen > options.maxNameCandidates {
                    candidates.removeAll(keepingCapacity: true)  // too common a name to mean anything
                    break
                }
                if sameDomain(h, p) { continue }
                if let s = nameOnlyScore(h, p, similarity: 1) { candidates.append((Int32(p), s)) }
            }
            if candidates.isEmpty && !hasSameAccount && len >= options.fuzzyMinimumLength && options.typoTolerance {
                fuzzyProbe(ha + spanOffset(hrow.key), len, index: partnerIndex.fuzzyNoDomain, rows: pr, arena: pa) {
                    p, sim in
                    if candidates.contains(where: { $0.p == Int32(p) }) { return }
                    if let s = nameOnlyScore(h, p, similarity: sim) { candidates.append((Int32(p), s)) }
                }
            }
            if candidates.isEmpty { continue }
            if candidates.count > 1 && !consistent(candidates.map { $0.p }) { continue }  // ambiguous namesakes
            for c in candidates {
                out.append(RawOverlap(h: Int32(h), p: c.p, relation: 0, method: 1, score: Float(c.score)))
            }
        }
    }

    /// Partner records with a domain: typo matches against host records without a domain, and a family
    /// pair when the host has the domain but the record got no pair in the host pass.
    func partnerPass(
        _ range: Range<Int>, hostIndex: TableIndex, touched: [Bool], hostMatched: [Bool], into out: inout [RawOverlap]
    ) {
        for p in range {
            let prow = pr[p]
            guard prow.hasDomain else { continue }
            if !touched[p], let o = partnerFamily(p, hostIndex: hostIndex) { out.append(o) }
            let len = spanLength(prow.key)
            if len < options.fuzzyMinimumLength || !options.typoTolerance { continue }
            fuzzyProbe(pa + spanOffset(prow.key), len, index: hostIndex.fuzzyNoDomain, rows: hr, arena: ha) { h, sim in
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
