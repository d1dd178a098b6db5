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
        if w.1 < minimumWordLength || (i == 0 && count < firstWordMinimumWords) { return false }
        for j in 0..<w.1 where p[w.0 + j] >= 0x30 && p[w.0 + j] <= 0x39 { return false }
        return true
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

    /// Words that tell two bodies of one name apart by where they are.
    static let placeWords: Set<[UInt8]> = Set(
        [
            "north", "south", "east", "west", "central", "northern", "southern", "eastern", "western",
            "northeast", "northwest", "southeast", "southwest", "northeastern", "northwestern", "southeastern",
            "southwestern", "upper", "lower", "new", "greater", "middle", "mid", "inner", "outer",
        ].map { Array($0.utf8) })

    @inline(__always) static func isPlaceWord(_ p: UnsafePointer<UInt8>, _ w: (Int, Int)) -> Bool {
        w.1 <= 12 && placeWords.contains(Array(UnsafeBufferPointer(start: p + w.0, count: w.1)))
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

    /// The partner records without a domain, under their names with one word after the first left out
    /// (for a host name with a word less).
    static func droppedIndex(_ t: AccountTable, threads: Int) -> HashMultiMap {
        let parts = max(1, threads)
        let chunks = Box<[[(Int32, UInt64)]]>(Array(repeating: [], count: parts))
        let lock = NSLock()
        parallelFor(parts) { c in
            var selected: [(Int32, UInt64)] = []
            let words = UnsafeMutablePointer<(Int, Int)>.allocate(capacity: maximumWords)
            let scratch = UnsafeMutablePointer<UInt8>.allocate(capacity: 1 << 16)
            defer {
                words.deallocate()
                scratch.deallocate()
            }
            for r in (t.count * c / parts)..<(t.count * (c + 1) / parts) {
                let row = t.rows[r]
                if row.hasDomain { continue }
                let k = row.key
                let n = spanLength(k)
                let p = UnsafePointer(t.arena + spanOffset(k))
                guard let count = Self.words(p, n, into: words, capacity: maximumWords), count > dropMinimumWords
                else { continue }
                for i in 1..<(count - 1) {
                    let m = without(p, n, words[i], into: scratch)
                    selected.append((Int32(r), hashBytes(scratch, m)))
                }
            }
            lock.lock()
            chunks.value[c] = selected
            lock.unlock()
        }
        let map = HashMultiMap(expected: max(1, chunks.value.reduce(0) { $0 + $1.count }))
        for chunk in chunks.value { for (i, h) in chunk { map.insert(key: h, value: i) } }
        return map
    }

    /// The partner records without a domain, under each way of leaving out one of their long words.
    static func index(_ t: AccountTable, threads: Int) -> HashMultiMap {
        let parts = max(1, threads)
        let chunks = Box<[[(Int32, UInt64)]]>(Array(repeating: [], count: parts))
        let lock = NSLock()
        parallelFor(parts) { c in
            var selected: [(Int32, UInt64)] = []
            let words = UnsafeMutablePointer<(Int, Int)>.allocate(capacity: maximumWords)
            defer { words.deallocate() }
            for r in (t.count * c / parts)..<(t.count * (c + 1) / parts) {
                let row = t.rows[r]
                if row.hasDomain { continue }
                let k = row.key
                let n = spanLength(k)
                let p = UnsafePointer(t.arena + spanOffset(k))
                guard let count = Self.words(p, n, into: words, capacity: maximumWords), count >= minimumWords
                else { continue }
                for i in 0..<count where variable(p, words[i], at: i, of: count) {
                    selected.append((Int32(r), hashWithout(p, n, words[i], position: i)))
                }
            }
            lock.lock()
            chunks.value[c] = selected
            lock.unlock()
        }
        let map = HashMultiMap(expected: max(1, chunks.value.reduce(0) { $0 + $1.count }))
        for chunk in chunks.value { for (i, h) in chunk { map.insert(key: h, value: i) } }
        return map
    }
}

extension PairContext {
    /// Name-only candidates that differ from host record `h` in one long word written two ways
    /// (`WordVariants`): two records without a domain, no country or legal form against it. A list of more
    /// than `WordVariants.maximumChain` candidates gives none (thousands of names that differ in one
    /// word would otherwise be read for every host record like them).
    func wordVariantCandidates(
        _ h: Int, partnerKeys: HashMultiMap, scratch: UnsafeMutablePointer<UInt8>,
        into candidates: inout [(p: Int32, score: Double)]
    ) {
        guard let index = wordVariantPartners, let dropped = droppedWordPartners else { return }
        let k = hr[h].key
        let n = spanLength(k)
        let x = UnsafePointer(ha + spanOffset(k))
        withUnsafeTemporaryAllocation(of: (Int, Int).self, capacity: 2 * WordVariants.maximumWords) { buffer in
            let hw = buffer.baseAddress!
            let pw = hw + WordVariants.maximumWords
            guard let count = WordVariants.words(x, n, into: hw, capacity: WordVariants.maximumWords),
                count >= WordVariants.minimumWords
            else { return }
            for i in 0..<count where WordVariants.variable(x, hw[i], at: i, of: count) {
                var e = index.head(WordVariants.hashWithout(x, n, hw[i], position: i))
                var seen = 0
                var visited = 0
                let before = candidates.count
                defer {
                    // Too many names differ from this one in that word alone: it is what tells them apart.
                    if e != 0 && visited >= WordVariants.maximumChain {
                        candidates.removeLast(candidates.count - before)
                    }
                }
                while e != 0 && seen < options.maxNameCandidates && visited < WordVariants.maximumChain {
                    visited += 1
                    let p = index.value(e)
                    e = index.next(e)
                    let pk = pr[p].key
                    let pn = spanLength(pk)
                    let y = UnsafePointer(pa + spanOffset(pk))
                    guard WordVariants.words(y, pn, into: pw, capacity: WordVariants.maximumWords) == count else {
                        continue
                    }
                    let a = hw[i]
                    let b = pw[i]
                    // The same words before and after, the one word different but close.
                    guard a.0 == b.0, pn - b.0 - b.1 == n - a.0 - a.1, bytesEqual(x, y, a.0),
                        bytesEqual(x + a.0 + a.1, y + b.0 + b.1, n - a.0 - a.1),
                        WordVariants.variable(y, b, at: i, of: count)
                    else { continue }
                    let d = boundedOSA(x + a.0, a.1, y + b.0, b.1, maxDistance: WordVariants.maximumEdits)
                    if d == 0 || d > WordVariants.maximumEdits { continue }
                    if let words {
                        let ca = words.count(x + a.0, a.1)
                        let cb = words.count(y + b.0, b.1)
                        if min(ca, cb) >= words.commonLimit
                            && max(ca, cb) < WordFrequencies.misspellingRatio * min(ca, cb)
                        {
                            continue
                        }
                    }
                    seen += 1
                    if candidates.contains(where: { $0.p == Int32(p) }) { continue }
                    let c = countryRelation(h, p)
                    if c == .conflict { continue }
                    let similarity = 1 - Double(d) / Double(max(n, pn))
                    candidates.append((Int32(p), similarity * (c == .agree ? 0.95 : 0.9)))
                }
            }
            if !candidates.isEmpty { return }
            // A word more on the partner's side: its name without that word is this one.
            if count >= WordVariants.dropMinimumWords {
                var e = dropped.head(hashBytes(x, n))
                var seen = 0
                var visited = 0
                let before = candidates.count
                defer {
                    // Too many names are this one and a word more: the word is what tells them apart.
                    if e != 0 && visited >= WordVariants.maximumChain {
                        candidates.removeLast(candidates.count - before)
                    }
                }
                while e != 0 && seen < options.maxNameCandidates && visited < WordVariants.maximumChain {
                    visited += 1
                    let p = dropped.value(e)
                    e = dropped.next(e)
                    let pk = pr[p].key
                    let pn = spanLength(pk)
                    let y = UnsafePointer(pa + spanOffset(pk))
                    guard WordVariants.words(y, pn, into: pw, capacity: WordVariants.maximumWords) == count + 1 else {
                        continue
                    }
                    var matched = false
                    for j in 1..<count where !matched && !WordVariants.isPlaceWord(y, pw[j]) {
                        let m = WordVariants.without(y, pn, pw[j], into: scratch)
                        matched = m == n && bytesEqual(scratch, x, n)
                    }
                    guard matched else { continue }
                    seen += 1
                    addDroppedWord(h, p, n, pn, into: &candidates)
                }
            }
            // A word more on this side: this name without it is the partner's.
            if count > WordVariants.dropMinimumWords {
                for i in 1..<(count - 1) where !WordVariants.isPlaceWord(x, hw[i]) {
                    let m = WordVariants.without(x, n, hw[i], into: scratch)
                    var e = partnerKeys.head(hashBytes(scratch, m))
                    var seen = 0
                    var visited = 0
                    while e != 0 && seen < options.maxNameCandidates && visited < WordVariants.maximumChain {
                        visited += 1
                        let p = partnerKeys.value(e)
                        e = partnerKeys.next(e)
                        if pr[p].hasDomain { continue }
                        let pk = pr[p].key
                        guard spanLength(pk) == m, bytesEqual(scratch, pa + spanOffset(pk), m) else { continue }
                        seen += 1
                        addDroppedWord(h, p, n, m, into: &candidates)
                    }
                }
            }
        }
    }

    private func addDroppedWord(
        _ h: Int, _ p: Int, _ n: Int, _ pn: Int, into candidates: inout [(p: Int32, score: Double)]
    ) {
        if candidates.contains(where: { $0.p == Int32(p) }) { return }
        let c = countryRelation(h, p)
        if c == .conflict { return }
        let similarity = Double(min(n, pn)) / Double(max(n, pn, 1))
        candidates.append((Int32(p), similarity * (c == .agree ? 0.95 : 0.9)))
    }
}
