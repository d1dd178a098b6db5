import Foundation

/// How many name keys of one table contain each word, approximately: words are hashed into a fixed
/// number of saturating counters, so two words may share a counter and a count is never too low.
/// Used to tell a distinctive word ("Loyola") from one many companies use ("General", "Systems"): a
/// typo is tolerated in a name only when another word of it is distinctive, and a name of one common
/// word alone does not match on its name.
final class TokenCounts: @unchecked Sendable {
    static let bits = 21
    private let slots: UnsafeMutablePointer<UInt16>
    /// Keys counted.
    let keys: Int
    /// Words of at least `SpellingIndex.minimumLength` letters in `recordAt` keys or more of this table
    /// (a word sharing its counter with another may be among them): the candidates for common words.
    let commonWords: [[UInt8]]

    init(_ t: AccountTable) {
        let size = 1 << Self.bits
        let slots = UnsafeMutablePointer<UInt16>.allocate(capacity: size)
        slots.initialize(repeating: 0, count: size)
        self.slots = slots
        var counted = 0
        for i in 0..<t.count where spanLength(t.rows[i].literalKey) != 0 { counted += 1 }
        // A word in `commonLimit` keys of both tables together is in half of that in one of them.
        let recordAt = UInt16(min(Int(UInt16.max), max(3, counted / 40_000)))
        var common: [[UInt8]] = []
        for i in 0..<t.count {
            let k = t.rows[i].literalKey
            let n = spanLength(k)
            if n == 0 { continue }
            let p = UnsafePointer(t.arena + spanOffset(k))
            Self.forEachToken(p, n) { s, l in
                let slot = Self.slot(p + s, l)
                if slots[slot] < UInt16.max { slots[slot] += 1 }
                if slots[slot] == recordAt && l >= SpellingIndex.minimumLength {
                    common.append(Array(UnsafeBufferPointer(start: p + s, count: l)))
                }
            }
        }
        keys = counted
        commonWords = common
    }

    deinit { slots.deallocate() }

    @inline(__always) static func slot(_ p: UnsafePointer<UInt8>, _ n: Int) -> Int {
        Int(truncatingIfNeeded: hashBytes(p, n) >> UInt64(64 - bits))
    }

    /// Keys of the table that contain the word `p[0..<n]` (a word repeated in one key counts each time).
    @inline(__always) func count(_ p: UnsafePointer<UInt8>, _ n: Int) -> Int { Int(slots[Self.slot(p, n)]) }

    /// Calls `body(start, length)` for each space-separated word of `p[0..<n]`.
    @inline(__always) static func forEachToken(_ p: UnsafePointer<UInt8>, _ n: Int, _ body: (Int, Int) -> Void) {
        var s = 0
        for i in 0...n where i == n || p[i] == 0x20 {
            if i > s { body(s, i - s) }
            s = i + 1
        }
    }
}

/// The words of both tables, and what counts as distinctive for their sizes.
struct WordFrequencies: @unchecked Sendable {
    let host: TokenCounts
    let partner: TokenCounts

    /// In at most this many keys of both tables together, a word is distinctive: a few companies'
    /// names, not a word of a trade ("Systems", "General").
    var distinctiveLimit: Int { max(8, (host.keys + partner.keys) / 300) }
    /// In at least this many, a name made of that word alone is too common to match on its name.
    var genericLimit: Int { max(50, (host.keys + partner.keys) / 2000) }

    @inline(__always) func count(_ p: UnsafePointer<UInt8>, _ n: Int) -> Int {
        host.count(p, n) + partner.count(p, n)
    }

    /// A word one edit from a common one reads as its misspelling when the common one is in this many
    /// times more keys: CRMs repeat a misspelling ("respresented" in 7 names, "represented" in 454).
    static let misspellingRatio = 10
    /// In at least this many keys, a word is common.
    var commonLimit: Int { max(5, (host.keys + partner.keys) / 20_000) }

    /// Whether one of two words one edit apart is a misspelling of the other: the one in at least
    /// `commonLimit` keys and `misspellingRatio` times more than the other, in either order.
    @inline(__always) func misspelling(
        _ a: UnsafePointer<UInt8>, _ na: Int, of b: UnsafePointer<UInt8>, _ nb: Int
    ) -> Bool {
        let ca = count(a, na)
        let cb = count(b, nb)
        return max(ca, cb) >= max(commonLimit, Self.misspellingRatio * min(ca, cb))
    }
}
