import Foundation

/// A long name and the same name followed by a few words more: "The Secretary of State for Defence in
/// Her Britannic Majesty's Government of the United Kingdom of Great Britain and Northern Ireland" /
/// "... Northern Ireland CNT GBX COD 07" or "... Northern Ireland of Defence Evaluation and Research
/// Agency". Two records without a domain, the shorter key of `minimumWords` words or more (a name that
/// long is one body's, not a company's first words), its words the first words of the longer key, at
/// most `AlignedWords.maximumWrittenTwoWays` of them written two ways (none of the first
/// `anchorWords`), and at most `maximumExtraWords` words more.
///
/// Like `AlignedWords`, it is also read for a host record that already has partner records of its exact
/// name: that joins a body's spellings with a code or a department added into one group.
///
/// Candidates: each partner record of `minimumWords` words or more is indexed under its first
/// `anchorWords` words.
enum LongerName {
    static let minimumWords = 10
    static let anchorWords = 6
    static let maximumExtraWords = 6

    /// The hash of the first `anchorWords` words of `p` (`words`).
    @inline(__always) static func anchorHash(_ p: UnsafePointer<UInt8>, _ words: UnsafePointer<(Int, Int)>) -> UInt64 {
        let last = words[anchorWords - 1]
        return hashBytes(p + words[0].0, last.0 + last.1 - words[0].0, seed: 0x51A7_E3C9_0B1D_4F27)
    }
}

extension PairContext {
    /// Name-only candidates of host record `h` that are its name with a few words more, or whose name
    /// it is with a few words more (`LongerName`): two records without a domain, no country against it.
    func longerNameCandidates(_ h: Int, into candidates: inout [(p: Int32, score: Double)]) {
        guard let index = wordIndexes?.longer else { return }
        withKeyWords(h, minimum: LongerName.minimumWords) { x, n, hw, pw, count in
            addWordMatches(h, index, LongerName.anchorHash(x, hw), n: n, pw: pw, into: &candidates) { y, pc in
                prefixWords(x, hw, count, y, pw, pc)
            }
        }
    }

    /// The edits between the `n` words of `x` and the `c` words of `y` when the shorter is the first
    /// words of the longer as `LongerName` has it (the words more count their letters); nil otherwise.
    func prefixWords(
        _ x: UnsafePointer<UInt8>, _ xw: UnsafePointer<(Int, Int)>, _ n: Int, _ y: UnsafePointer<UInt8>,
        _ yw: UnsafePointer<(Int, Int)>, _ c: Int
    ) -> Int? {
        let count = min(n, c)
        guard count >= LongerName.minimumWords, n != c, abs(n - c) <= LongerName.maximumExtraWords else { return nil }
        guard
            var edits = wordsInPlace(
                x, xw, y, yw, count: count, limit: AlignedWords.maximumWrittenTwoWays, fixed: LongerName.anchorWords)?
                .edits
        else { return nil }
        let longer = n > c ? xw : yw
        for i in count..<max(n, c) { edits += longer[i].1 }
        return edits
    }
}
