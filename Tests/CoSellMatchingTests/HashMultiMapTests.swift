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
}
