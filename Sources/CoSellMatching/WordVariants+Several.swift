import Foundation

/// Long names written two ways in several of their words: "The United States of America as repsented
/// by the Secretary of Agricultre" / "The United States of America as represented by the Secretary of
/// Agriculture". `WordVariants` takes one word written two ways; a name spelled by hand often has two or
/// three. This rule asks more of the rest of the name: at least `minimumWords` words in the key (the
/// connecting words "of", "the", "by" left out), the same number on both sides, at most `limit(count)`
/// of them differing, at least `minimumSameWords` the same, and each word that differs written two
/// ways: no digit, at least four letters, one edit apart (two for words of six letters or more), and
/// not two words that many names of the two lists use ("Electric" / "Electronic").
///
/// - The first word (the company's own name) may differ only in names of `firstWordMinimumWords`
///   words or more.
/// - One word alone is `WordVariants`' rule; here it counts only when it is a short word ("Sates",
///   "Unites": too short for that rule) in a name of `oneWordMinimumWords` words or more.
///
/// Candidates: the words of a name cut into `limit(count) + 1` blocks, in order. Two names that differ
/// in at most `limit(count)` words have one block the same, so each partner record is indexed under
/// each of its blocks and each host record reads the lists of its own, each up to
/// `WordVariants.maximumChain` records: the blocks of long official names ("united state america") are
/// shared by hundreds of names, and 20,000 names of one pattern read 256 a block took 0.68 s against
/// 0.27 s.
enum SeveralWords {
    static let minimumWords = 6
    static let minimumSameWords = 4
    static let firstWordMinimumWords = 7
    static let oneWordMinimumWords = 7
    static let minimumWordLength = 4
    /// Words this long may be two edits apart; shorter ones one.
    static let twoEditsLength = 6

    /// How many words of a name of `count` words may differ.
    @inline(__always) static func limit(_ count: Int) -> Int { count >= 9 ? 3 : 2 }

    /// The hash of block `j` of `blocks` over the `count` words of `p`, the count and the block's place
    /// in it included.
    @inline(__always) static func blockHash(
        _ p: UnsafePointer<UInt8>, _ words: UnsafePointer<(Int, Int)>, block j: Int, of blocks: Int, count: Int
    ) -> UInt64 {
        let first = words[j * count / blocks]
        let last = words[(j + 1) * count / blocks - 1]
        return hashBytes(
            p + first.0, last.0 + last.1 - first.0, seed: 0x51AF_D7ED_558C_CD1D &+ UInt64(count << 8 | j))
    }
}

/// Names written with words joined or split: "Hoechst Schering Agr Evo" / "Hoechst Schering AgrEvo",
/// "Matsu Shita Electric" / "Matsushita Electric". Two records without a domain whose keys, or names as
/// written (the literal keys: plurals and abbreviations as they are, so that "Silverkoveanalytics"
/// meets "Silver Kove Analytics"), are the same once their spaces are taken out, at least
/// `minimumLength` letters.
enum JoinedWords {
    static let minimumLength = 10

    /// Form `i` of a name compared with its spaces taken out: 0 the key, 1 the literal key when it is
    /// another (nil when it is not).
    @inline(__always) static func form(_ row: Row, _ i: Int) -> UInt64? {
        if i == 0 { return row.key }
        return row.literalKey == row.key ? nil : row.literalKey
    }

    /// Writes `p[0..<n]` without its spaces into `out` and returns its length.
    @inline(__always) static func join(
        _ p: UnsafePointer<UInt8>, _ n: Int, into out: UnsafeMutablePointer<UInt8>
    )
        -> Int
    {
        var m = 0
        for i in 0..<n where p[i] != 0x20 {
            out[m] = p[i]
            m += 1
        }
        return m
    }

    /// Whether `p[0..<n]` without its spaces is `joined[0..<m]`.
    @inline(__always) static func joins(
        _ p: UnsafePointer<UInt8>, _ n: Int, to joined: UnsafePointer<UInt8>, _ m: Int
    )
        -> Bool
    {
        var j = 0
        for i in 0..<n where p[i] != 0x20 {
            if j == m || p[i] != joined[j] { return false }
            j += 1
        }
        return j == m
    }
}

extension PairContext {
    /// Name-only candidates that differ from host record `h` in several words written two ways
    /// (`SeveralWords`): two records without a domain, no country against it.
    func severalWordCandidates(_ h: Int, into candidates: inout [(p: Int32, score: Double)]) {
        guard let blocks = wordIndexes?.blocks else { return }
        withKeyWords(h, minimum: SeveralWords.minimumWords) { x, n, hw, pw, count in
            let parts = SeveralWords.limit(count) + 1
            for j in 0..<parts {
                let key = SeveralWords.blockHash(x, hw, block: j, of: parts, count: count)
                walk(blocks, key, tooManySayNothing: false, candidates: &candidates) {
                    p, found in
                    let pk = pr[p].key
                    let y = UnsafePointer(pa + spanOffset(pk))
                    let pn = spanLength(pk)
                    guard WordVariants.words(y, pn, into: pw, capacity: WordVariants.maximumWords) == count,
                        let edits = wordsWrittenTwoWays(x, hw, y, pw, count: count)
                    else { return false }
                    addCandidate(h, p, similarity: 1 - Double(edits) / Double(max(n, pn)), into: &found)
                    return true
                }
            }
        }
    }

    /// The edits between the `count` words of `x` and of `y`, word by word, when they differ in words
    /// written two ways as `SeveralWords` allows; nil otherwise (and when they do not differ).
    func wordsWrittenTwoWays(
        _ x: UnsafePointer<UInt8>, _ hw: UnsafePointer<(Int, Int)>, _ y: UnsafePointer<UInt8>,
        _ pw: UnsafePointer<(Int, Int)>, count: Int
    ) -> Int? {
        guard let d = wordsInPlace(x, hw, y, pw, count: count, limit: SeveralWords.limit(count)) else { return nil }
        if d.differing == 0 || count - d.differing < SeveralWords.minimumSameWords { return nil }
        if d.differing == 1 && !(d.short && count >= SeveralWords.oneWordMinimumWords) { return nil }
        return d.edits
    }

    /// Words `0..<count` of `x` and of `y` compared in place: the edits, how many words differ and
    /// whether one of them is short (under `WordVariants.minimumWordLength` letters) when at most
    /// `limit` differ, each written two ways (`writtenTwoWaysInLongName`), none of the first `fixed`;
    /// nil otherwise.
    @inline(__always) func wordsInPlace(
        _ x: UnsafePointer<UInt8>, _ xw: UnsafePointer<(Int, Int)>, _ y: UnsafePointer<UInt8>,
        _ yw: UnsafePointer<(Int, Int)>, count: Int, limit: Int, fixed: Int = 0
    ) -> (edits: Int, differing: Int, short: Bool)? {
        var differing = 0
        var short = false
        var edits = 0
        for i in 0..<count {
            let a = xw[i]
            let b = yw[i]
            if a.1 == b.1 && bytesEqual(x + a.0, y + b.0, a.1) { continue }
            differing += 1
            guard i >= fixed, differing <= limit, let d = writtenTwoWaysInLongName(x, a, y, b, at: i, of: count)
            else { return nil }
            if min(a.1, b.1) < WordVariants.minimumWordLength { short = true }
            edits += d
        }
        return (edits, differing, short)
    }

    /// Name-only candidates whose key, or name as written, is host record `h`'s once the spaces are
    /// taken out of both (`JoinedWords`): two records without a domain, their keys not the same (the key
    /// index's), no country against it.
    func joinedWordCandidates(
        _ h: Int, scratch: UnsafeMutablePointer<UInt8>, into candidates: inout [(p: Int32, score: Double)]
    ) {
        guard let joined = wordIndexes?.joined else { return }
        for i in 0..<2 {
            guard let form = JoinedWords.form(hr[h], i) else { break }
            let n = spanLength(form)
            let m = JoinedWords.join(ha + spanOffset(form), n, into: scratch)
            if m < JoinedWords.minimumLength { continue }
            walk(joined, hashBytes(scratch, m), tooManySayNothing: false, candidates: &candidates) { p, found in
                guard !pr[p].hasDomain, !keysEqual(h, p) else { return false }
                for j in 0..<2 {
                    guard let pk = JoinedWords.form(pr[p], j) else { break }
                    let pn = spanLength(pk)
                    if JoinedWords.joins(pa + spanOffset(pk), pn, to: scratch, m) {
                        addCandidate(h, p, similarity: Double(min(n, pn)) / Double(max(n, pn)), into: &found)
                        return true
                    }
                }
                return false
            }
        }
    }
}

@inline(__always) func hasDigit(_ p: UnsafePointer<UInt8>, _ w: (Int, Int)) -> Bool {
    for j in 0..<w.1 where p[w.0 + j] >= 0x30 && p[w.0 + j] <= 0x39 { return true }
    return false
}
