import Foundation

struct RawOverlap {
    var h: Int32
    var p: Int32
    var relation: UInt8  // 0 same_account, 1 same_family
    var method: UInt8  // 0 domain, 1 name, 2 domain+name, 3 group
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
        var clock = PhaseClock()
        // The three maps of each table's index and each table's word counts: eight independent tasks,
        // the longest first (as measured at 1M), so that neither core waits for the other between them.
        // Task `t` is for the host when even, the partner when odd: 0–1 the typo maps, 2–3 the word
        // counts, 4–5 the name-key maps, 6–7 the domain maps (`maps` keeps each map at its task's index).
        let maps = Box<[HashMultiMap?]>(Array(repeating: nil, count: 8))
        let counts = Box<[TokenCounts?]>([nil, nil])
        let built = NSLock()
        let minLength = options.fuzzyMinimumLength
        forEachTask(8, threads: min(2, threads)) { t in
            let table = t % 2 == 0 ? host : partner
            if t / 2 == 1 {
                let words = TokenCounts(table)
                built.withLock { counts.value[t % 2] = words }
                return
            }
            let map =
                switch t / 2 {
                case 0: TableIndex.fuzzyMap(table, minLength: minLength)
                case 2: TableIndex.keyMap(table)
                default: TableIndex.domainMap(table)
                }
            built.withLock { maps.value[t] = map }
        }
        let m = maps.value
        let hostIndex = TableIndex(domain: m[6]!, key: m[4]!, fuzzyNoDomain: m[0]!)
        let partnerIndex = TableIndex(domain: m[7]!, key: m[5]!, fuzzyNoDomain: m[1]!)
        let words = WordFrequencies(host: counts.value[0]!, partner: counts.value[1]!)
        clock.mark("indexes, token counts")
        // Misspelled common words, corrected on both sides, for names with more than one typo.
        let spelling = options.distinctiveTypos ? SpellingIndex(words) : nil
        clock.mark("spelling index")
        let correctedPartners = spelling.map {
            CorrectedNameIndex.build(partner, spelling: $0, minLength: options.fuzzyMinimumLength, threads: threads)
        }
        clock.mark("corrected names")
        let wordIndexes = options.distinctiveTypos ? WordVariants.indexes(partner, threads: threads) : nil
        clock.mark("word indexes")
        // Host-driven pass in chunks.
        let chunks = threads * 8
        let results = Box<[[RawOverlap]]>(Array(repeating: [], count: chunks))
        let n = host.count
        let lock = NSLock()
        forEachTask(
            chunks, threads: threads,
            state: {
                let pair = PairContext(host: host, partner: partner, options: options)
                pair.words = words
                pair.spelling = spelling
                pair.correctedPartners = correctedPartners
                pair.wordIndexes = wordIndexes
                return pair
            }
        ) { pair, c in
            let lo = n * c / chunks
            let hi = n * (c + 1) / chunks
            var out: [RawOverlap] = []
            out.reserveCapacity((hi - lo) / 3)
            pair.hostPass(lo..<hi, partnerIndex: partnerIndex, into: &out)
            lock.lock()
            results.value[c] = out
            lock.unlock()
        }
        var raw: [RawOverlap] = []
        raw.reserveCapacity(results.value.reduce(0) { $0 + $1.count } + 1024)
        for r in results.value { raw.append(contentsOf: r) }
        results.value = []
        clock.mark("host pass")
        let pairCtx = {
            let c = PairContext(host: host, partner: partner, options: options)
            c.words = words
            return c
        }()
        // A name-only pair whose names differ by a country one of them names: a family. Before the partner
        // pass, which looks for typos only for host records without a same-account pair yet, and again
        // for the links the cluster completion adds.
        func countriesApartAsFamily() {
            for i in raw.indices where raw[i].relation == 0 && raw[i].method != 0 && raw[i].method != 2 {
                if pairCtx.countryApart(Int(raw[i].h), Int(raw[i].p)) { raw[i].relation = 1 }
            }
        }
        countriesApartAsFamily()
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
        let pn = partner.count
        forEachTask(chunks, threads: threads) { c in
            var out: [RawOverlap] = []
            pairCtx.partnerPass(
                (pn * c / chunks)..<(pn * (c + 1) / chunks), hostIndex: hostIndex, touched: touched,
                hostMatched: matched, into: &out)
            lock.lock()
            extras.value[c] = out
            lock.unlock()
        }
        clock.mark("partner pass")
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
        // Again for the partner pass's pairs, before the clusters are joined through them.
        countriesApartAsFamily()
        if options.completeClusters {
            ClusterCompletion.complete(
                &raw, context: pairCtx, hostCount: host.count, partnerCount: partner.count,
                maximumRecords: options.maxLegalNameCandidates)
            countriesApartAsFamily()
        }
        clock.mark("consistency, clusters")
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
                    method: MatchMethod(code: r.method),
                    score: round3(Double(r.score))))
        }
        clock.mark("overlaps sorted")
        return (MatchResult(overlaps: overlaps, hostDuplicates: [], partnerDuplicates: []), hostIndex, partnerIndex)
    }

    /// Duplicate records of the same company within one table.
    public static func duplicates(in table: AccountTable, options: MatchOptions = MatchOptions()) -> [DuplicatePair] {
        duplicates(
            in: table, index: TableIndex(table, minLength: options.fuzzyMinimumLength, fuzzy: false), options: options)
    }

    static func duplicates(in t: AccountTable, index: TableIndex, options: MatchOptions) -> [DuplicatePair] {
        inOrder(duplicatePairs(in: t, index: index, options: options, records: 0..<t.count))
    }

    /// Duplicate pairs in the order `duplicates` returns them (by first, then second record).
    static func inOrder(_ pairs: [DuplicatePair]) -> [DuplicatePair] {
        pairs.sorted { ($0.firstIndex, $0.secondIndex) < ($1.firstIndex, $1.secondIndex) }
    }

    /// The pairs whose second (later) record is in `records`, in no particular order: a part of
    /// `duplicates` that runs beside the others (`AccountMapping.runLoaded`).
    static func duplicatePairs(
        in t: AccountTable, index: TableIndex, options: MatchOptions, records: Range<Int>
    ) -> [DuplicatePair] {
        let ctx = PairContext(host: t, partner: t, options: options)
        var out: [DuplicatePair] = []
        let ahead = PairContext.ahead
        for i in records {
            if i + ahead < records.upperBound {
                let later = t.rows[i + ahead]
                if later.hasDomain { index.domain.prefetch(later.domainHash) }
                index.key.prefetch(later.keyHash)
            }
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
                    if let sim = ctx.sameDomainNameSimilarity(i, j) {
                        out.append(
                            DuplicatePair(
                                firstIndex: j, secondIndex: i, method: .domainAndName, score: round3(0.9 + 0.1 * sim)))
                    }
                }
            }
            if spanLength(r.key) == 0 { continue }
            var e = index.key.head(r.keyHash)
            seen = 0
            let cap = r.hasLegalForm ? options.maxLegalNameCandidates : options.maxNameCandidates
            while e != 0 && seen < cap {
                let j = index.key.value(e)
                e = index.key.next(e)
                if j >= i { continue }
                seen += 1
                guard ctx.keysEqual(i, j) else { continue }
                if ctx.sameDomain(i, j) { continue }  // handled above
                // A country named in one registered name only: a company of the group, not a duplicate.
                if ctx.countryApart(i, j) { continue }
                guard let s = ctx.nameOnlyScore(i, j, similarity: 1) else { continue }
                out.append(DuplicatePair(firstIndex: j, secondIndex: i, method: .name, score: round3(s)))
            }
        }
        return out
    }
}

@inline(__always) func round3(_ x: Double) -> Double { (x * 1000).rounded() / 1000 }
