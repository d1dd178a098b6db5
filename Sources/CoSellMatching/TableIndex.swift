import Foundation

/// Hash indexes over one table: by registrable domain, by exact name key, and by typo-tolerant blocks
/// over the records that have no usable domain.
struct TableIndex: @unchecked Sendable {
    let domain: HashMultiMap
    let key: HashMultiMap
    let fuzzyNoDomain: HashMultiMap

    init(_ t: AccountTable, minLength: Int, fuzzy: Bool = true) {
        self.init(
            domain: Self.domainMap(t), key: Self.keyMap(t),
            fuzzyNoDomain: Self.fuzzyMap(t, minLength: fuzzy ? minLength : Int.max))
    }

    init(domain: HashMultiMap, key: HashMultiMap, fuzzyNoDomain: HashMultiMap) {
        self.domain = domain
        self.key = key
        self.fuzzyNoDomain = fuzzyNoDomain
    }

    /// Records with a registrable domain, by its hash. Each map is built by a pass of its own, so the
    /// maps of both tables can be built as separate tasks (`AccountMatcher.matchOnly`).
    static func domainMap(_ t: AccountTable) -> HashMultiMap {
        var withDomain = 0
        for i in 0..<t.count where t.rows[i].hasDomain { withDomain += 1 }
        let d = HashMultiMap(expected: withDomain)
        let rows = t.rows
        insertInBatches(d, records: t.count) { i, add in
            if rows[i].hasDomain { add(rows[i].domainHash) }
        }
        return d
    }

    /// Records with a name, by the hash of its key.
    static func keyMap(_ t: AccountTable) -> HashMultiMap {
        let k = HashMultiMap(expected: t.count)
        let rows = t.rows
        insertInBatches(k, records: t.count) { i, add in
            if spanLength(rows[i].key) != 0 { add(rows[i].keyHash) }
        }
        return k
    }

    /// Records without a domain whose literal key (before plurals and abbreviations were changed: typos
    /// are looked for there) has at least `minLength` bytes, under the blocks of a probe of each length
    /// one edit away (`PairContext.fuzzyProbe` looks up its own length's only): three lookups a probe
    /// instead of nine, for three times the entries.
    static func fuzzyMap(_ t: AccountTable, minLength: Int) -> HashMultiMap {
        @inline(__always) func indexed(_ r: Row) -> Bool {
            !r.hasDomain && spanLength(r.key) != 0 && spanLength(r.literalKey) >= minLength
        }
        var count = 0
        for i in 0..<t.count where indexed(t.rows[i]) { count += 1 }
        let f = HashMultiMap(expected: count * 9, filtered: true)
        let rows = t.rows
        let arena = t.arena
        insertInBatches(f, records: t.count) { i, add in
            guard indexed(rows[i]) else { return }
            let ll = spanLength(rows[i].literalKey)
            let p = UnsafePointer(arena + spanOffset(rows[i].literalKey))
            for l in max(minLength, ll - 1)...(ll + 1) {
                for part in 0..<3 where fuzzyPartFits(part, ll, l) { add(fuzzyBlockKey(part, p, ll, assumedLength: l)) }
            }
        }
        return f
    }
}

/// Typo-tolerant blocking. A key of assumed length L is cut in thirds A|B|C (cuts at L/3 and 2L/3);
/// one edit touches at most one third, so one of AB, BC or A+C is intact. A probe of length L is cut
/// so; a key one letter shorter or longer is indexed under the blocks it shares with such a probe: A is
/// its prefix and C its suffix of the lengths L implies. BC blocks also carry the first character,
/// which keeps blocks of names ending in a common word small (an edit on the very first character is
/// then not found: the other two blocks contain it too).
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

/// Inserts the keys `keys(record, add)` gives for each record, in record order, a batch of keys at a
/// time: the batch's keys are computed first, then inserted with each slot asked for a few keys ahead
/// (`HashMultiMap.insert(keys:values:count:)`). The map is the same as with one insert per key.
func insertInBatches(
    _ map: HashMultiMap, records: Int, batch capacity: Int = 1024, _ keys: (Int, (UInt64) -> Void) -> Void
) {
    let batchKeys = UnsafeMutablePointer<UInt64>.allocate(capacity: capacity)
    let batchValues = UnsafeMutablePointer<Int32>.allocate(capacity: capacity)
    defer {
        batchKeys.deallocate()
        batchValues.deallocate()
    }
    var n = 0
    for i in 0..<records {
        keys(i) { key in
            if n == capacity {
                map.insert(keys: batchKeys, values: batchValues, count: n)
                n = 0
            }
            batchKeys[n] = key
            batchValues[n] = Int32(i)
            n += 1
        }
    }
    map.insert(keys: batchKeys, values: batchValues, count: n)
}
