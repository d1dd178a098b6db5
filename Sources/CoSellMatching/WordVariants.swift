import Foundation

/// Long names that differ in one word: written two ways, or there on one side only.
///
/// One word written two ways: "The United States of America as
/// representated by the Secretary of the Army" / "... as represented by ...", "Centre National de la
/// Recherche Scientifieque" / "... Scientifique". The one-typo rules see one edit only; a word misspelled
/// twice, or differently on each side, is left to this rule, which asks more of the rest of the name: at
/// least `minimumWords` words, all but one the same on both sides, and the one that differs a long word
/// (at least `minimumWordLength` letters, no digit) at most two edits from the other side's. The word
/// that differs is not the first of a short name ("Kalove Business Systems" / "Kalovi Business
/// Systems" may be two companies: a company's own name comes first). Two words that many names of the
/// two lists use, neither ten times more than the other, are two words and not one misspelled
/// ("Electric" / "Electronic", "Army" / "Navy").
///
/// One word more on one side: "The United States of America Government as represented by the
/// Secretary of the Army" / "... of America as represented ...". Both names keep at least
/// `dropMinimumWords` words in common, in the same order, and the word is neither the first nor the
/// last: "Acme Robotics Europe Sales" / "Acme Europe Sales" stay apart (the company's own name), and so
/// do "Jewish General Hospital Foundation" / "Jewish General Hospital" (what kind of body it is), and two
/// names of three words. Nor is
/// it a word that places a body inside a region ("University of Central Florida Research Foundation"
/// is not the University of Florida's).
enum WordVariants {
    static let minimumWords = 3
    static let minimumWordLength = 6
    static let maximumEdits = 2
    /// Names of fewer words than this never match on a variant of their first word.
    static let firstWordMinimumWords = 5

    /// The words of `p[0..<n]` (start, length), at most `capacity` of them; nil when there are more.
    @inline(__always) static func words(
        _ p: UnsafePointer<UInt8>, _ n: Int, into out: UnsafeMutablePointer<(Int, Int)>, capacity: Int
    ) -> Int? {
        var count = 0
        var s = 0
        for i in 0...n where i == n || p[i] == 0x20 {
            if i > s {
                if count == capacity { return nil }
                out[count] = (s, i - s)
                count += 1
            }
            s = i + 1
        }
        return count
    }

    /// Whether word `w` may be the one that differs.
    @inline(__always) static func variable(_ p: UnsafePointer<UInt8>, _ w: (Int, Int), at i: Int, of count: Int) -> Bool
    {
        w.1 >= minimumWordLength && (i > 0 || count >= firstWordMinimumWords) && !hasDigit(p, w)
    }

    /// The hash of the name with word `i` left out (its place kept): equal for two names that differ in
    /// that word only.
    @inline(__always) static func hashWithout(
        _ p: UnsafePointer<UInt8>, _ n: Int, _ w: (Int, Int), position i: Int
    ) -> UInt64 {
        let before = hashBytes(p, w.0, seed: 0x2545_F491_4F6C_DD1D &+ UInt64(i))
        return hashBytes(p + w.0 + w.1, n - w.0 - w.1, seed: before)
    }

    static let maximumWords = 32
    /// More names than this that differ from one name only in the same word: that word is what tells
    /// them apart ("Kalovex Assembly Services Group Ardent", "... Group Ardena", and hundreds more), and
    /// a variant of it says nothing. Their candidates are dropped, and no more of them are read.
    static let maximumChain = 64
    /// Words the two names share when one has a word more.
    static let dropMinimumWords = 4

    /// Words that tell two bodies of one name apart by where they are, or by the government they belong to.
    static let placeWords: ByteTable = {
        let words = [
            "north", "south", "east", "west", "central", "northern", "southern", "eastern", "western",
            "northeast", "northwest", "southeast", "southwest", "northeastern", "northwestern", "southeastern",
            "southwestern", "upper", "lower", "new", "greater", "middle", "mid", "inner", "outer",
            // The level of government a body belongs to: the City University of New York is not the State
            // University of New York, and Iowa State University is not the University of Iowa.
            "state", "city", "county",
        ]
        var t = ByteTable(capacity: words.count)
        for (i, w) in words.enumerated() { t.insert(Array(w.utf8), value: Int32(i)) }
        return t
    }()

    /// Whether word `w` of `p` is one of `placeWords` (no allocation: read for every candidate).
    @inline(__always) static func isPlaceWord(_ p: UnsafePointer<UInt8>, _ w: (Int, Int)) -> Bool {
        placeWords.lookup(p + w.0, w.1) != nil
    }

    /// Writes `p[0..<n]` without word `w` into `out` (single spaces kept) and returns its length.
    @inline(__always) static func without(
        _ p: UnsafePointer<UInt8>, _ n: Int, _ w: (Int, Int), into out: UnsafeMutablePointer<UInt8>
    ) -> Int {
        // The word and the space after it (or before it, for the last word).
        var start = w.0
        var end = w.0 + w.1
        if end < n {
            end += 1
        } else if start > 0 {
            start -= 1
        }
        out.update(from: p, count: start)
        (out + start).update(from: p + end, count: n - end)
        return start + n - end
    }

    /// The partner records without a domain, in one pass over their words: under each way of leaving
    /// one of their long words out in place (`variants`, for a name with that word written another
    /// way), under their names with one inner word dropped (`dropped`, for a name with a word less),
    /// under each block of their words (`blocks`, `SeveralWords`), under their keys and names as
    /// written with the spaces taken out (`joined`, `JoinedWords`), and under the blocks of names of a
    /// word more or less (`aligned`, `AlignedWords`).
    static func indexes(_ t: AccountTable, threads: Int) -> WordIndexes {
        let maps = HashMultiMap.build(records: t.count, maps: 6, threads: threads) { records, add in
            let words = UnsafeMutablePointer<(Int, Int)>.allocate(capacity: maximumWords)
            let scratch = UnsafeMutablePointer<UInt8>.allocate(capacity: 1 << 16)
            defer {
                words.deallocate()
                scratch.deallocate()
            }
            for r in records {
                let row = t.rows[r]
                if row.hasDomain { continue }
                for i in 0..<2 {
                    guard let form = JoinedWords.form(row, i) else { break }
                    let joined = JoinedWords.join(t.arena + spanOffset(form), spanLength(form), into: scratch)
                    if joined >= JoinedWords.minimumLength { add(3, Int32(r), hashBytes(scratch, joined)) }
                }
                let k = row.key
                let n = spanLength(k)
                let p = UnsafePointer(t.arena + spanOffset(k))
                guard let count = Self.words(p, n, into: words, capacity: maximumWords), count >= minimumWords
                else { continue }
                for i in 0..<count where variable(p, words[i], at: i, of: count) {
                    add(0, Int32(r), hashWithout(p, n, words[i], position: i))
                }
                if count > dropMinimumWords {
                    for i in 1..<(count - 1) {
                        add(1, Int32(r), hashBytes(scratch, without(p, n, words[i], into: scratch)))
                    }
                }
                if count >= AlignedWords.minimumWords {
                    AlignedWords.partnerKeys(p, words, count: count) { add(4, Int32(r), $0) }
                }
                if count >= LongerName.minimumWords { add(5, Int32(r), LongerName.anchorHash(p, words)) }
                if count >= SeveralWords.minimumWords {
                    let blocks = SeveralWords.limit(count) + 1
                    for j in 0..<blocks {
                        add(2, Int32(r), SeveralWords.blockHash(p, words, block: j, of: blocks, count: count))
                    }
                }
            }
        }
        return WordIndexes(
            variants: maps[0], dropped: maps[1], blocks: maps[2], joined: maps[3], aligned: maps[4],
            longer: maps[5])
    }
}

/// The partner indexes of `WordVariants.indexes`.
struct WordIndexes: Sendable {
    var variants: HashMultiMap
    var dropped: HashMultiMap
    var blocks: HashMultiMap
    var joined: HashMultiMap
    var aligned: HashMultiMap
    var longer: HashMultiMap
}

extension PairContext {
    /// Calls `body(x, n, hw, pw, count)` with host record `h`'s key `x[0..<n]`, its `count` words `hw`
    /// and room `pw` for a partner's words, when the key has `minimum` words or more.
    @inline(__always) func withKeyWords(
        _ h: Int, minimum: Int,
        _ body:
            (
                UnsafePointer<UInt8>, Int, UnsafeMutablePointer<(Int, Int)>, UnsafeMutablePointer<(Int, Int)>, Int
            ) -> Void
    ) {
        let k = hr[h].key
        let n = spanLength(k)
        let x = UnsafePointer(ha + spanOffset(k))
        withUnsafeTemporaryAllocation(of: (Int, Int).self, capacity: 2 * WordVariants.maximumWords) { buffer in
            let hw = buffer.baseAddress!
            guard let count = WordVariants.words(x, n, into: hw, capacity: WordVariants.maximumWords),
                count >= minimum
            else { return }
            body(x, n, hw, hw + WordVariants.maximumWords, count)
        }
    }

    /// Name-only candidates that differ from host record `h` in one long word written two ways, or in a
    /// word there on one side only (`WordVariants`): two records without a domain, no country or legal
    /// form against it.
    func wordVariantCandidates(
        _ h: Int, partnerKeys: HashMultiMap, scratch: UnsafeMutablePointer<UInt8>,
        into candidates: inout [(p: Int32, score: Double)]
    ) {
        guard let index = wordIndexes?.variants, let dropped = wordIndexes?.dropped else { return }
        withKeyWords(h, minimum: WordVariants.minimumWords) { x, n, hw, pw, count in
            /// The partner's words, when it has `expected` of them.
            func partnerWords(_ p: Int, _ expected: Int) -> (UnsafePointer<UInt8>, Int)? {
                let pk = pr[p].key
                let y = UnsafePointer(pa + spanOffset(pk))
                let pn = spanLength(pk)
                return WordVariants.words(y, pn, into: pw, capacity: WordVariants.maximumWords) == expected
                    ? (y, pn) : nil
            }
            // One word written two ways: the same words before and after it.
            for i in 0..<count where WordVariants.variable(x, hw[i], at: i, of: count) {
                walk(index, WordVariants.hashWithout(x, n, hw[i], position: i), candidates: &candidates) { p, found in
                    guard let (y, pn) = partnerWords(p, count) else { return false }
                    let a = hw[i]
                    let b = pw[i]
                    guard a.0 == b.0, pn - b.0 - b.1 == n - a.0 - a.1, bytesEqual(x, y, a.0),
                        bytesEqual(x + a.0 + a.1, y + b.0 + b.1, n - a.0 - a.1),
                        let d = writtenTwoWays(x, a, y, b, at: i, of: count)
                    else { return false }
                    addCandidate(h, p, similarity: 1 - Double(d) / Double(max(n, pn)), into: &found)
                    return true
                }
            }
            if !candidates.isEmpty { return }
            // A word more on the partner's side: its name without that word is this one.
            if count >= WordVariants.dropMinimumWords {
                walk(dropped, hashBytes(x, n), candidates: &candidates) { p, found in
                    guard let (y, pn) = partnerWords(p, count + 1) else { return false }
                    var matched = false
                    for j in 1..<count where !matched && !WordVariants.isPlaceWord(y, pw[j]) {
                        let m = WordVariants.without(y, pn, pw[j], into: scratch)
                        matched = m == n && bytesEqual(scratch, x, n)
                    }
                    guard matched else { return false }
                    addCandidate(h, p, similarity: Double(n) / Double(max(pn, 1)), into: &found)
                    return true
                }
            }
            // A word more on this side: this name without it is the partner's (records of one name: all
            // of them are this company, so a long list is only read no further).
            if count > WordVariants.dropMinimumWords {
                for i in 1..<(count - 1) where !WordVariants.isPlaceWord(x, hw[i]) {
                    let m = WordVariants.without(x, n, hw[i], into: scratch)
                    walk(partnerKeys, hashBytes(scratch, m), tooManySayNothing: false, candidates: &candidates) {
                        p, found in
                        let pk = pr[p].key
                        guard !pr[p].hasDomain, spanLength(pk) == m, bytesEqual(scratch, pa + spanOffset(pk), m)
                        else { return false }
                        addCandidate(h, p, similarity: Double(m) / Double(max(n, 1)), into: &found)
                        return true
                    }
                }
            }
        }
    }

    /// The edits between word `a` of `x` and word `b` of `y` (both at position `i` of `count` words)
    /// when they are one word written two ways (`WordVariants`), nil otherwise: both long words, at most
    /// `maximumEdits` apart, and not two words that many names use, neither ten times the other.
    @inline(__always) func writtenTwoWays(
        _ x: UnsafePointer<UInt8>, _ a: (Int, Int), _ y: UnsafePointer<UInt8>, _ b: (Int, Int), at i: Int, of count: Int
    ) -> Int? {
        guard WordVariants.variable(x, a, at: i, of: count), WordVariants.variable(y, b, at: i, of: count) else {
            return nil
        }
        return spelledAlike(x, a, y, b, maximumEdits: WordVariants.maximumEdits)
    }

    /// The edits between word `a` of `x` and word `b` of `y` when they are one word written two ways: at
    /// most `maximumEdits` apart (not equal), and not two words that many names use, neither ten times
    /// the other.
    @inline(__always) func spelledAlike(
        _ x: UnsafePointer<UInt8>, _ a: (Int, Int), _ y: UnsafePointer<UInt8>, _ b: (Int, Int), maximumEdits: Int
    ) -> Int? {
        let d = boundedOSA(x + a.0, a.1, y + b.0, b.1, maxDistance: maximumEdits)
        if d == 0 || d > maximumEdits { return nil }
        if let words {
            let ca = words.count(x + a.0, a.1)
            let cb = words.count(y + b.0, b.1)
            if min(ca, cb) >= words.commonLimit && max(ca, cb) < WordFrequencies.misspellingRatio * min(ca, cb) {
                return nil
            }
        }
        return d
    }

    /// Reads the records under `key` in `index`; `consider(p, &candidates)` adds what it accepts and says
    /// whether `p` is one of the names looked for, of which `maxNameCandidates` are enough. A list is
    /// read up to `limit` records. When it has more and `tooManySayNothing`, what it
    /// gave is taken back: that many names differ from this one in the same word alone, so that word is
    /// what tells them apart, and a variant of it says nothing (it would also be read for every host
    /// record like them).
    func walk(
        _ index: HashMultiMap, _ key: UInt64, tooManySayNothing: Bool = true, limit: Int = WordVariants.maximumChain,
        candidates: inout [(p: Int32, score: Double)], _ consider: (Int, inout [(p: Int32, score: Double)]) -> Bool
    ) {
        let before = candidates.count
        var e = index.head(key)
        var seen = 0
        var visited = 0
        while e != 0 && seen < options.maxNameCandidates && visited < limit {
            visited += 1
            let p = index.value(e)
            e = index.next(e)
            if consider(p, &candidates) { seen += 1 }
        }
        if tooManySayNothing && e != 0 && visited >= limit {
            candidates.removeLast(candidates.count - before)
        }
    }

    /// Adds partner record `p` unless it is already there or a country says otherwise.
    func addCandidate(
        _ h: Int, _ p: Int, similarity: Double, into candidates: inout [(p: Int32, score: Double)]
    ) {
        if candidates.contains(where: { $0.p == Int32(p) }) { return }
        let c = countryRelation(h, p)
        if c == .conflict { return }
        candidates.append((Int32(p), similarity * (c == .agree ? 0.95 : 0.9)))
    }
}
