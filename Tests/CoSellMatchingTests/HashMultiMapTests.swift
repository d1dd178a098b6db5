import Testing

@testable import CoSellMatching

@Suite("Hash multimap")
struct HashMultiMapTests {
    func chain(_ map: HashMultiMap, _ key: UInt64) -> [Int] {
        var out: [Int] = []
        var e = map.head(key)
        while e != 0 {
            out.append(map.value(e))
            e = map.next(e)
        }
        return out
    }

    /// A filtered map finds every inserted key's records, newest first, as an unfiltered one does, and
    /// answers most keys never inserted from its filter (both return no chain for them).
    @Test func aFilteredMapFindsWhatAPlainMapFinds() {
        var random = SeededRandom(seed: 7)
        let keys = (0..<20_000).map { _ in random.next() }
        let plain = HashMultiMap(expected: keys.count * 2)
        let filtered = HashMultiMap(expected: keys.count * 2, filtered: true)
        for (i, k) in keys.enumerated() {
            for m in [plain, filtered] {
                m.insert(key: k, value: Int32(i))
                if i % 3 == 0 { m.insert(key: k, value: Int32(i + 100_000)) }
            }
        }
        for (i, k) in keys.enumerated() {
            let expected = i % 3 == 0 ? [i + 100_000, i] : [i]
            #expect(chain(filtered, k) == expected)
            #expect(chain(plain, k) == expected)
        }
        let inserted = Set(keys)
        let absent = (0..<20_000).map { _ in random.next() }.filter { !inserted.contains($0) }
        #expect(absent.count > 19_000)
        #expect(absent.allSatisfy { filtered.head($0) == 0 && plain.head($0) == 0 })
        // About eight bits per entry: roughly one absent key in nine gets through to the slots.
        let through = absent.filter { filtered.filterMayHold($0) }.count
        #expect(through < absent.count / 5)
        #expect(keys.allSatisfy { filtered.filterMayHold($0) })
    }

    /// Keys inserted a batch at a time (`insertInBatches`, each slot prefetched ahead) give the same chains
    /// as one insert per key, also when a record's keys cross a batch boundary or outnumber a batch, and
    /// when keys repeat across records.
    @Test func keysInsertedInBatchesGiveTheSameChains() {
        var random = SeededRandom(seed: 11)
        let pool = (0..<300).map { _ in random.next() }
        // Record r has (r * 7) % 41 keys: none for some, more than a batch of 16 for others.
        let keysOf: [[UInt64]] = (0..<2_000).map { r in
            (0..<((r * 7) % 41)).map { _ in pool[Int(random.next() % UInt64(pool.count))] }
        }
        let total = keysOf.reduce(0) { $0 + $1.count }
        for filtered in [false, true] {
            let one = HashMultiMap(expected: total, filtered: filtered)
            for (r, keys) in keysOf.enumerated() { for k in keys { one.insert(key: k, value: Int32(r)) } }
            let batched = HashMultiMap(expected: total, filtered: filtered)
            insertInBatches(batched, records: keysOf.count, batch: 16) { r, add in keysOf[r].forEach(add) }
            #expect(batched.count == total && one.count == total)
            #expect(pool.allSatisfy { chain(batched, $0) == chain(one, $0) })
            #expect(pool.contains { chain(one, $0).count > 100 })
        }
    }
}
