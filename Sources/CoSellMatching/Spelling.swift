import Foundation

/// The words many names of both tables use, and a lookup from a rare word to the common word it
/// misspells (one edit: a letter added, dropped, changed, or two letters swapped). CRMs repeat
/// misspellings, so a name can carry several ("The United States of Amercia as respresented by ..."),
/// and two records of one company can be misspelled differently ("Lucent Technoligies" / "Lucent
/// Tecnologies"): both sides brought to the common words then compare equal. A word two edits from
/// the common one ("Techonolgies") or shorter than `minimumLength` ("Staes") is left as written.
final class SpellingIndex: @unchecked Sendable {
    /// The common words (`WordFrequencies.commonLimit` keys or more, at least `minimumLength` letters),
    /// one after another in `arena`: word i is arena[starts[i]..<starts[i + 1]], in counts[i] keys.
    private let arena: UnsafeMutableBufferPointer<UInt8>
    private let starts: UnsafeMutableBufferPointer<Int32>
    private let counts: UnsafeMutableBufferPointer<Int32>
    /// Hash of a common word, and of the word with one letter deleted, to the words.
    private let variants: HashMultiMap
    /// One bit per `variants` hash (top `filterBits` bits): most rare words are ruled out here.
    private let filter: UnsafeMutableBufferPointer<UInt64>
    private let commonLimit: Int
    let frequencies: WordFrequencies

    /// Words shorter than this are never corrected ("Tack" / "Tech" are two words).
    static let minimumLength = 6
    static let filterBits = 22
    /// Longest word looked at.
    static let maximumLength = 48

    init(_ f: WordFrequencies) {
        frequencies = f
        commonLimit = f.commonLimit
        var seen = Set<[UInt8]>()
        var arena: [UInt8] = []
        var starts: [Int32] = [0]
        var counts: [Int32] = []
        for w in f.host.commonWords + f.partner.commonWords
        where w.count <= Self.maximumLength && seen.insert(w).inserted {
            let c = w.withUnsafeBufferPointer { f.count($0.baseAddress!, $0.count) }
            if c >= commonLimit {
                arena.append(contentsOf: w)
                starts.append(Int32(arena.count))
                counts.append(Int32(c))
            }
        }
        self.arena = Self.copy(arena)
        self.starts = Self.copy(starts)
        self.counts = Self.copy(counts)
        let words = counts.count
        let variants = HashMultiMap(expected: max(1, arena.count + words))
        let filter = UnsafeMutableBufferPointer<UInt64>.allocate(capacity: 1 << (Self.filterBits - 6))
        filter.initialize(repeating: 0)
        func add(_ h: UInt64, _ i: Int) {
            variants.insert(key: h, value: Int32(i))
            let b = Int(truncatingIfNeeded: h >> UInt64(64 - Self.filterBits))
            filter[b >> 6] |= 1 << UInt64(b & 63)
        }
        let a = self.arena.baseAddress!
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 64) { scratch in
            for i in 0..<words {
                let p = a + Int(starts[i])
                let n = Int(starts[i + 1] - starts[i])
                add(hashBytes(p, n), i)
                Self.forEachDeletion(p, n, scratch.baseAddress!) { add($0, i) }
            }
        }
        self.variants = variants
        self.filter = filter
    }

    deinit {
        arena.deallocate()
        starts.deallocate()
        counts.deallocate()
        filter.deallocate()
    }

    private static func copy<T>(_ a: [T]) -> UnsafeMutableBufferPointer<T> {
        let b = UnsafeMutableBufferPointer<T>.allocate(capacity: max(1, a.count))
        _ = b.initialize(from: a)
        return b
    }

    /// Calls `body` with the hash of `p[0..<n]` without its letter at each position (n < 64).
    @inline(__always) static func forEachDeletion(
        _ p: UnsafePointer<UInt8>, _ n: Int, _ scratch: UnsafeMutablePointer<UInt8>, _ body: (UInt64) -> Void
    ) {
        if n < 2 || n >= 64 { return }
        // scratch holds p without its letter j: start with p[1...], then put back one letter at a time.
        for i in 1..<n { scratch[i - 1] = p[i] }
        for j in 0..<n {
            if j > 0 {
                scratch[j - 1] = p[j - 1]
                if p[j] == p[j - 1] { continue }  // the same word as the deletion before
            }
            body(hashBytes(scratch, n - 1))
        }
    }

    /// The index of the common word that `p[0..<n]` misspells: one edit apart, in at least
    /// `misspellingRatio` times more keys than it and at least `commonLimit`; the most common if several.
    @inline(__always) private func correctionIndex(_ p: UnsafePointer<UInt8>, _ n: Int) -> Int? {
        if n < Self.minimumLength || n > Self.maximumLength || counts.count == 0 { return nil }
        for i in 0..<n where p[i] >= 0x30 && p[i] <= 0x39 { return nil }  // "Model 3" / "Model 5"
        var best = -1
        var need = -1  // computed on the first candidate
        let shift = UInt64(64 - Self.filterBits)
        let (a, starts, counts, bits, variants) = (arena.baseAddress!, starts, counts, filter, variants)
        let consider = { (h: UInt64) in
            let b = Int(truncatingIfNeeded: h >> shift)
            if bits[b >> 6] & (1 << UInt64(b & 63)) == 0 { return }
            var e = variants.head(h)
            while e != 0 {
                let i = variants.value(e)
                e = variants.next(e)
                if need < 0 {
                    need = max(
                        self.commonLimit, WordFrequencies.misspellingRatio * max(self.frequencies.count(p, n), 1))
                }
                if Int(counts[i]) < need || (best >= 0 && counts[i] <= counts[best]) { continue }
                if oneEditDistance(p, n, a + Int(starts[i]), Int(starts[i + 1] - starts[i])) == 1 { best = i }
            }
        }
        consider(hashBytes(p, n))
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 64) { scratch in
            Self.forEachDeletion(p, n, scratch.baseAddress!, consider)
        }
        return best >= 0 ? best : nil
    }

    /// The common word that `p[0..<n]` misspells, if any (see `correctionIndex`).
    func correction(_ p: UnsafePointer<UInt8>, _ n: Int) -> [UInt8]? {
        guard let i = correctionIndex(p, n) else { return nil }
        return Array(UnsafeBufferPointer(rebasing: arena[Int(starts[i])..<Int(starts[i + 1])]))
    }

    /// Capacity `correctedForm` needs for a key of `n` bytes.
    static func formCapacity(_ n: Int) -> Int { 2 * n + 8 }

    /// A name's key brought to the common words, written to `out` (capacity `formCapacity(n)`): each
    /// word but the first that misspells a common word is replaced by it, and connecting words inside
    /// the name ("of", "the", "and") are dropped. `corrections` counts the words replaced; `kept` tells
    /// whether a word of four letters or more is left as the name wrote it (a name made only of
    /// corrected words says too little).
    func correctedForm(
        _ x: UnsafePointer<UInt8>, _ n: Int, into out: UnsafeMutablePointer<UInt8>
    ) -> (count: Int, corrections: Int, kept: Bool) {
        var tokens = 0
        TokenCounts.forEachToken(x, n) { _, _ in tokens += 1 }
        var w = 0
        var corrections = 0
        var kept = false
        var index = 0
        let a = arena.baseAddress!
        TokenCounts.forEachToken(x, n) { s, l in
            defer { index += 1 }
            let p = x + s
            if index > 0 && index + 1 < tokens && NameNormalizer.connectingWords.lookup(p, l) != nil { return }
            if w > 0 {
                out[w] = 0x20
                w += 1
            }
            if index > 0, let i = correctionIndex(p, l) {
                let ws = Int(starts[i])
                let wl = Int(starts[i + 1]) - ws
                (out + w).update(from: a + ws, count: wl)
                w += wl
                corrections += 1
                return
            }
            if l >= 4 { kept = true }
            (out + w).update(from: p, count: l)
            w += l
        }
        return (w, corrections, kept)
    }

    /// `correctedForm` as an array (tests).
    func correctedForm(_ x: UnsafePointer<UInt8>, _ n: Int) -> (bytes: [UInt8], corrections: Int, kept: Bool) {
        var r = (0, 0, false)
        let bytes = [UInt8](unsafeUninitializedCapacity: Self.formCapacity(n)) { b, count in
            r = correctedForm(x, n, into: b.baseAddress!)
            count = r.0
        }
        return (bytes, r.1, r.2)
    }
}

/// The partner records without a domain by their corrected form (`SpellingIndex.correctedForm`).
enum CorrectedNameIndex {

    static func build(_ t: AccountTable, spelling: SpellingIndex, minLength: Int, threads: Int) -> HashMultiMap {
        HashMultiMap.build(records: t.count, maps: 1, threads: threads) { records, add in
            var buffer = [UInt8](repeating: 0, count: 256)
            for i in records {
                let r = t.rows[i]
                let n = spanLength(r.literalKey)
                if r.hasDomain || n < minLength { continue }
                if buffer.count < SpellingIndex.formCapacity(n) {
                    buffer = [UInt8](repeating: 0, count: SpellingIndex.formCapacity(n))
                }
                let h = buffer.withUnsafeMutableBufferPointer { b in
                    let key = UnsafePointer(t.arena + spanOffset(r.literalKey))
                    let f = spelling.correctedForm(key, n, into: b.baseAddress!)
                    return hashBytes(b.baseAddress!, f.count)
                }
                add(0, Int32(i), h)
            }
        }[0]
    }
}
