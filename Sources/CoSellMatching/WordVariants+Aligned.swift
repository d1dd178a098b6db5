import Foundation

/// Long names written two ways with a word more or less: "The Secretary of State for Defence in Her
/// Britannic Majesty's Government of the United Kingdom" / "The Secretary of State for Defence in Her
/// Majesty's Goverment of the United Kingdom". Two records without a domain whose keys have at least
/// `minimumWords` words (the shorter one), at most one word more on one side, and, the words read in
/// order, at most `maximumWrittenTwoWays` words written two ways as `SeveralWords` allows, at least
/// `SeveralWords.minimumSameWords` the same, and something that differs.
///
/// - The word more is not the last (what kind of body it is: "... Hospital" / "... Hospital
///   Foundation"), nor a word that places one body inside a region, nor the first (the company's own
///   name) unless the names have `SeveralWords.firstWordMinimumWords` words or more besides it ("The
///   Government of the United States of America as represented by the Secretary of the Navy").
/// - The first word may be written two ways only in names of `SeveralWords.firstWordMinimumWords`
///   words or more, and one short word alone (under `WordVariants.minimumWordLength` letters) only in
///   names of `SeveralWords.oneWordMinimumWords` words or more.
///
/// Unlike the other name rules, this one is also read for a host record that already has partner
/// records of its exact name: a company written in many ways (a university, a ministry, a government
/// agency) has records of each spelling on both sides, and this is what joins them into one group
/// (`ClusterCompletion`). When its spellings would make the name's own records look like namesakes
/// (another country), they are dropped and the name's own pairs stay.
///
/// Candidates: the host's words cut into `blocks` blocks, in order. A word more or less and two words
/// written two ways leave one block as it is, in its place or one word further or back, so each
/// partner record of `c` words is indexed under the blocks a host name of `c - 1`, `c` or `c + 1`
/// words would have, at each place they can be found.
enum AlignedWords {
    static let minimumWords = 5
    static let maximumWrittenTwoWays = 2
    static let blocks = 4

    /// The hash of the words `s..<e` of `p` (`words`), as block `j` of a name of `count` words.
    @inline(__always) static func blockHash(
        _ p: UnsafePointer<UInt8>, _ words: UnsafePointer<(Int, Int)>, from s: Int, to e: Int, block j: Int,
        count: Int
    ) -> UInt64 {
        let first = words[s]
        let last = words[e - 1]
        return hashBytes(
            p + first.0, last.0 + last.1 - first.0, seed: 0x7C15_9E37_79B9_4A7F &+ UInt64(count << 8 | j))
    }

    /// Calls `add` with each key a partner name of `count` words (`words` of `p`) is indexed under.
    @inline(__always) static func partnerKeys(
        _ p: UnsafePointer<UInt8>, _ words: UnsafePointer<(Int, Int)>, count c: Int, _ add: (UInt64) -> Void
    ) {
        if c < minimumWords { return }
        for m in max(minimumWords, c - 1)...(c + 1) {
            // A host name of `m` words: its blocks here in place, or one word further (a word more
            // here before the block) or back (a word more there).
            let shifts = m == c ? 0...0 : (m < c ? 0...1 : -1...0)
            for j in 0..<blocks {
                let s = j * m / blocks
                let e = (j + 1) * m / blocks
                for d in shifts where s + d >= 0 && e + d <= c && e > s {
                    add(blockHash(p, words, from: s + d, to: e + d, block: j, count: m))
                }
            }
        }
    }
}

extension PairContext {
    /// Name-only candidates of host record `h` written two ways with a word more or less
    /// (`AlignedWords`): two records without a domain, no country against it.
    func alignedWordCandidates(_ h: Int, into candidates: inout [(p: Int32, score: Double)]) {
        guard let index = wordIndexes?.aligned else { return }
        withKeyWords(h, minimum: AlignedWords.minimumWords) { x, n, hw, pw, count in
            for j in 0..<AlignedWords.blocks {
                let s = j * count / AlignedWords.blocks
                let e = (j + 1) * count / AlignedWords.blocks
                if e <= s { continue }
                let key = AlignedWords.blockHash(x, hw, from: s, to: e, block: j, count: count)
                addWordMatches(h, index, key, n: n, pw: pw, into: &candidates) { y, pc in
                    wordsAligned(x, hw, count, y, pw, pc)
                }
            }
        }
    }

    /// Reads the partner records under `key` in `index` (every one of the list `walk` reads) and adds
    /// each whose words (`pc` of them, into `pw`) `edits` takes for host record `h`'s name, scored by
    /// those edits against the longer key (`n`: the host's key length).
    @inline(__always) func addWordMatches(
        _ h: Int, _ index: HashMultiMap, _ key: UInt64, n: Int, pw: UnsafeMutablePointer<(Int, Int)>,
        into candidates: inout [(p: Int32, score: Double)], _ edits: (UnsafePointer<UInt8>, Int) -> Int?
    ) {
        walk(index, key, tooManySayNothing: false, candidates: &candidates) { p, found in
            if found.contains(where: { $0.p == Int32(p) }) { return false }
            let pk = pr[p].key
            let y = UnsafePointer(pa + spanOffset(pk))
            let pn = spanLength(pk)
            guard let pc = WordVariants.words(y, pn, into: pw, capacity: WordVariants.maximumWords),
                let e = edits(y, pc)
            else { return false }
            addCandidate(h, p, similarity: max(0.5, 1 - Double(e) / Double(max(n, pn))), into: &found)
            return true
        }
    }

    /// The edits between the `n` words of `x` (the host's) and the `c` words of `y` when `AlignedWords`
    /// takes them for one name (a word more counts its letters); nil otherwise, and when they are the same.
    func wordsAligned(
        _ x: UnsafePointer<UInt8>, _ xw: UnsafePointer<(Int, Int)>, _ n: Int, _ y: UnsafePointer<UInt8>,
        _ yw: UnsafePointer<(Int, Int)>, _ c: Int
    ) -> Int? {
        let count = min(n, c)
        guard count >= AlignedWords.minimumWords, abs(n - c) <= 1 else { return nil }
        /// The edits with word `more` of the longer name left out (-1: none), nil when they are too many.
        func compare(leaving more: Int) -> Int? {
            var differing = 0
            var edits = 0
            var short = false
            for i in 0..<count {
                var a = xw[i]
                var b = yw[i]
                if more >= 0 && i >= more {
                    if n > c { a = xw[i + 1] } else { b = yw[i + 1] }
                }
                if a.1 == b.1 && bytesEqual(x + a.0, y + b.0, a.1) { continue }
                differing += 1
                guard differing <= AlignedWords.maximumWrittenTwoWays,
                    let d = writtenTwoWaysInLongName(x, a, y, b, at: i, of: count)
                else { return nil }
                if min(a.1, b.1) < WordVariants.minimumWordLength { short = true }
                edits += d
            }
            // One short word alone, as `SeveralWords` has it ("Unit" / "Unix" tells two bodies apart).
            if differing == 1 && short && count < SeveralWords.oneWordMinimumWords { return nil }
            return count - differing >= SeveralWords.minimumSameWords ? edits : nil
        }
        // Words compared as written first (the edit distances are most of the cost): a place for the
        // word more is tried only where at most `maximumWrittenTwoWays` words then differ.
        @inline(__always) func same(_ a: (Int, Int), _ b: (Int, Int)) -> Bool {
            a.1 == b.1 && bytesEqual(x + a.0, y + b.0, a.1)
        }
        @inline(__always) func fewEnough(_ differing: Int) -> Bool {
            differing <= AlignedWords.maximumWrittenTwoWays && count - differing >= SeveralWords.minimumSameWords
        }
        if n == c {
            var differing = 0
            for i in 0..<count where !same(xw[i], yw[i]) { differing += 1 }
            guard differing > 0, fewEnough(differing), let edits = compare(leaving: -1) else { return nil }
            return edits
        }
        /// Whether word `i` of the shorter name is word `i + 1` of the longer one.
        @inline(__always) func sameShifted(_ i: Int) -> Bool { n > c ? same(xw[i + 1], yw[i]) : same(xw[i], yw[i + 1]) }
        var shiftedDiffering = 0
        for i in 0..<count where !sameShifted(i) { shiftedDiffering += 1 }
        let longer = n > c ? x : y
        let longerWords = n > c ? xw : yw
        // The first word only in long names ("The Government of the United States of America as
        // represented by ..." / "The United States of America as represented by ...").
        let first = count >= SeveralWords.firstWordMinimumWords ? 0 : 1
        var before = 0  // words before `more` that differ in place
        var shiftedBefore = 0  // words before `more` that differ one word further
        for more in 0..<count {
            if more >= first && fewEnough(before + shiftedDiffering - shiftedBefore),
                let edits = compare(leaving: more), !WordVariants.isPlaceWord(longer, longerWords[more])
            {
                return edits + longerWords[more].1
            }
            if !same(xw[more], yw[more]) { before += 1 }
            if !sameShifted(more) { shiftedBefore += 1 }
        }
        return nil
    }

    /// The edits between word `a` of `x` and word `b` of `y` (at position `i` of a name of `count`
    /// words) when `SeveralWords` takes them for one word written two ways: not the first word of a
    /// name of fewer than `SeveralWords.firstWordMinimumWords` words, no digit, at least four letters,
    /// one edit apart (two for words of six letters or more), and not two words many names use.
    @inline(__always) func writtenTwoWaysInLongName(
        _ x: UnsafePointer<UInt8>, _ a: (Int, Int), _ y: UnsafePointer<UInt8>, _ b: (Int, Int), at i: Int,
        of count: Int
    ) -> Int? {
        if i == 0 && count < SeveralWords.firstWordMinimumWords { return nil }
        guard min(a.1, b.1) >= SeveralWords.minimumWordLength, !hasDigit(x, a), !hasDigit(y, b) else { return nil }
        let allowed = min(a.1, b.1) >= SeveralWords.twoEditsLength ? 2 : 1
        return spelledAlike(x, a, y, b, maximumEdits: allowed)
    }
}
