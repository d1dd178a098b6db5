import CCoSellPrefetch
import Foundation

/// A fast non-cryptographic 64-bit hash over bytes (word-at-a-time multiply/xor mixing).
@inline(__always)
func hashBytes(_ base: UnsafePointer<UInt8>, _ count: Int, seed: UInt64 = 0x9E37_79B9_7F4A_7C15) -> UInt64 {
    var h: UInt64 = seed ^ (UInt64(truncatingIfNeeded: count) &* 0xFF51_AFD7_ED55_8CCD)
    var i = 0
    let raw = UnsafeRawPointer(base)
    while i + 8 <= count {
        let w = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
        h = (h ^ (w &* 0xC4CE_B9FE_1A85_EC53)) &* 0x9E37_79B9_7F4A_7C15
        h ^= h >> 29
        i += 8
    }
    if i < count {
        var w: UInt64 = 0
        var shift: UInt64 = 0
        while i < count {
            w |= UInt64(base[i]) << shift
            shift += 8
            i += 1
        }
        h = (h ^ (w &* 0xC4CE_B9FE_1A85_EC53)) &* 0x9E37_79B9_7F4A_7C15
    }
    h ^= h >> 32
    h = h &* 0xD6E8_FEB8_6659_FD93
    h ^= h >> 32
    return h
}

@inline(__always)
func hashBytes(_ buffer: UnsafeBufferPointer<UInt8>, seed: UInt64 = 0x9E37_79B9_7F4A_7C15) -> UInt64 {
    guard let base = buffer.baseAddress, buffer.count > 0 else { return seed &* 31 }
    return hashBytes(base, buffer.count, seed: seed)
}

func hashBytes(_ array: [UInt8], seed: UInt64 = 0x9E37_79B9_7F4A_7C15) -> UInt64 {
    array.withUnsafeBufferPointer { hashBytes($0, seed: seed) }
}

@inline(__always)
func bytesEqual(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, _ count: Int) -> Bool {
    memcmp(a, b, count) == 0
}

/// A set/map from byte strings to small integer values, built once, then probed on hot paths without
/// allocating or reference counting. Open addressing over 64-bit hashes; keys are verified byte for byte.
struct ByteTable: @unchecked Sendable {
    private final class Storage: @unchecked Sendable {
        var keys = RawBuffer<UInt8>(capacity: 64)
        var entries = RawBuffer<Entry>(capacity: 16)
        var slots: UnsafeMutablePointer<Int32>
        var capacity: Int
        init(capacity: Int) {
            self.capacity = capacity
            slots = UnsafeMutablePointer<Int32>.allocate(capacity: capacity)
            slots.initialize(repeating: -1, count: capacity)
        }
        deinit {
            keys.free()
            entries.free()
            slots.deallocate()
        }
    }

    struct Entry {
        var hash: UInt64
        var offset: Int32
        var length: Int32
        var value: Int32
    }

    private let storage: Storage
    // Cached raw views (valid as long as `storage` lives and no insert happens).
    private var slots: UnsafeMutablePointer<Int32>
    private var entries: UnsafeMutablePointer<Entry>
    private var keys: UnsafeMutablePointer<UInt8>
    private var mask: Int

    init(capacity: Int = 16) {
        var cap = 16
        while cap < capacity * 2 { cap <<= 1 }
        storage = Storage(capacity: cap)
        slots = storage.slots
        entries = storage.entries.base
        keys = storage.keys.base
        mask = cap - 1
    }

    var count: Int { storage.entries.count }

    /// Inserts or overwrites (with `combine`) a key. Not thread-safe; build before sharing.
    mutating func insert(_ key: [UInt8], value: Int32, combine: (Int32, Int32) -> Int32 = { _, new in new }) {
        if (storage.entries.count + 1) * 2 > storage.capacity { grow() }
        let h = hashBytes(key)
        var s = Int(truncatingIfNeeded: h) & mask
        while true {
            let e = storage.slots[s]
            if e < 0 {
                storage.slots[s] = Int32(storage.entries.count)
                let off = storage.keys.count
                key.withUnsafeBufferPointer { b in
                    if let base = b.baseAddress { _ = storage.keys.appendSpan(base, b.count) }
                }
                storage.entries.append(Entry(hash: h, offset: Int32(off), length: Int32(key.count), value: value))
                break
            }
            let entry = storage.entries.base[Int(e)]
            if entry.hash == h && Int(entry.length) == key.count
                && key.withUnsafeBufferPointer({
                    $0.count == 0 || memcmp(storage.keys.base + Int(entry.offset), $0.baseAddress!, $0.count) == 0
                })
            {
                storage.entries.base[Int(e)].value = combine(entry.value, value)
                break
            }
            s = (s + 1) & mask
        }
        slots = storage.slots
        entries = storage.entries.base
        keys = storage.keys.base
    }

    private mutating func grow() {
        let cap = storage.capacity * 2
        storage.slots.deallocate()
        storage.slots = UnsafeMutablePointer<Int32>.allocate(capacity: cap)
        storage.slots.initialize(repeating: -1, count: cap)
        storage.capacity = cap
        mask = cap - 1
        for i in 0..<storage.entries.count {
            var s = Int(truncatingIfNeeded: storage.entries.base[i].hash) & mask
            while storage.slots[s] >= 0 { s = (s + 1) & mask }
            storage.slots[s] = Int32(i)
        }
        slots = storage.slots
    }

    @inline(__always)
    func lookup(_ base: UnsafePointer<UInt8>, _ count: Int) -> Int32? {
        lookup(base, count, hash: hashBytes(base, count))
    }

    @inline(__always)
    func lookup(_ base: UnsafePointer<UInt8>, _ count: Int, hash h: UInt64) -> Int32? {
        var s = Int(truncatingIfNeeded: h) & mask
        while true {
            let e = slots[s]
            if e < 0 { return nil }
            let entry = entries[Int(e)]
            if entry.hash == h && Int(entry.length) == count
                && (count == 0 || memcmp(keys + Int(entry.offset), base, count) == 0)
            {
                return entry.value
            }
            s = (s + 1) & mask
        }
    }

    func lookup(_ key: [UInt8]) -> Int32? {
        key.withUnsafeBufferPointer { b in
            guard let base = b.baseAddress, b.count > 0 else {
                var z: UInt8 = 0
                return withUnsafePointer(to: &z) { lookup($0, 0) }
            }
            return lookup(base, b.count)
        }
    }

    func lookup(_ key: String) -> Int32? { lookup(Array(key.utf8)) }
}

/// A multimap from precomputed 64-bit keys to Int32 values (record indices), chained per key.
/// Slots hold 32 bits of the key and the chain head in one word; entries hold value and next in one
/// word, so a probe and each chain step touch one cache line. Key collisions only produce extra
/// candidates; callers verify.
final class HashMultiMap: @unchecked Sendable {
    private let slots: UnsafeMutablePointer<UInt64>  // (key >> 32) << 32 | (head + 1); 0 = empty
    private let entries: UnsafeMutablePointer<UInt64>  // value << 32 | (next + 1)
    private let mask: Int
    private let capacity: Int
    private(set) var count = 0
    /// With `filtered`, two bits per key in one 64-bit word of a table of eight to sixteen bits per entry
    /// (2 MB for the typo index of a 1M list, which a core's cache holds): a lookup of a key never
    /// inserted is most often answered there, without reading the slots. For maps most lookups miss (the
    /// typo blocks). With twice the bits (4 MB) the two passes took 80 ms longer at 1M; with half, no
    /// clear difference.
    private let filter: UnsafeMutablePointer<UInt64>?
    private let filterMask: Int

    init(expected: Int, filtered: Bool = false) {
        // Half full at most; a filtered map up to four fifths: its lookups that miss are mostly answered
        // by the filter, and its slots, half the size, are half the fresh memory to fault in (the 1M
        // indexes took 0.23 s instead of 0.29 s).
        var cap = 16
        if filtered {
            while cap * 4 < expected * 5 { cap <<= 1 }
        } else {
            while cap < expected * 2 { cap <<= 1 }
        }
        // Fresh anonymous mappings are already zero: no initialization pass for big tables.
        let slotBytes = cap * 8
        let raw = BigAlloc.allocate(bytes: slotBytes, alignment: 8, randomAccess: true)
        if slotBytes < BigAlloc.threshold { raw.initializeMemory(as: UInt64.self, repeating: 0, count: cap) }
        slots = raw.bindMemory(to: UInt64.self, capacity: cap)
        mask = cap - 1
        capacity = max(1, expected)
        entries = BigAlloc.allocate(bytes: capacity * 8, alignment: 8, randomAccess: true).bindMemory(
            to: UInt64.self, capacity: capacity)
        if filtered {
            var bits = 512
            while bits < expected * 8 { bits <<= 1 }
            let words = bits / 64
            let f = UnsafeMutablePointer<UInt64>.allocate(capacity: words)
            f.initialize(repeating: 0, count: words)
            filter = f
            filterMask = bits - 1
        } else {
            filter = nil
            filterMask = 0
        }
    }

    deinit {
        BigAlloc.free(UnsafeMutableRawPointer(slots), bytes: (mask + 1) * 8)
        BigAlloc.free(UnsafeMutableRawPointer(entries), bytes: capacity * 8)
        filter?.deallocate()
    }

    /// Whether the filter lets a lookup of `key` through to the slots (always, without a filter).
    @inline(__always) func filterMayHold(_ key: UInt64) -> Bool {
        guard let filter else { return true }
        let (w, m) = filterBits(key)
        return filter[w] & m == m
    }

    /// The filter word of a key and its two bits in it: from bits the slot index does not use.
    @inline(__always) private func filterBits(_ key: UInt64) -> (word: Int, mask: UInt64) {
        let word = Int(truncatingIfNeeded: key >> 24) & filterMask >> 6
        return (word, 1 << (key >> 52 & 63) | 1 << (key >> 58))
    }

    @inline(__always) private static func tag(_ key: UInt64) -> UInt64 { (key >> 32) | 1 }

    /// The slot a key's probe starts at.
    @inline(__always) private func home(_ key: UInt64) -> Int { Int(truncatingIfNeeded: key) & mask }

    func insert(key: UInt64, value: Int32) {
        precondition(count < capacity, "HashMultiMap capacity exceeded")
        if let filter {
            let (w, m) = filterBits(key)
            filter[w] |= m
        }
        let t = HashMultiMap.tag(key)
        var s = home(key)
        let entry = UInt64(count)
        while true {
            let w = slots[s]
            if w == 0 {
                slots[s] = t << 32 | (entry + 1)
                entries[count] = UInt64(UInt32(bitPattern: value)) << 32
                count += 1
                return
            }
            if w >> 32 == t {
                let oldHead = w & 0xFFFF_FFFF  // head + 1
                entries[count] = UInt64(UInt32(bitPattern: value)) << 32 | oldHead
                slots[s] = t << 32 | (entry + 1)
                count += 1
                return
            }
            s = (s + 1) & mask
        }
    }

    /// Chain handle for a key: 0 = none. Walk with `value(_:)` and `next(_:)`.
    @inline(__always) func head(_ key: UInt64) -> Int {
        if filter != nil && !filterMayHold(key) { return 0 }
        let t = HashMultiMap.tag(key)
        var s = home(key)
        while true {
            let w = slots[s]
            if w == 0 { return 0 }
            if w >> 32 == t { return Int(w & 0xFFFF_FFFF) }
            s = (s + 1) & mask
        }
    }

    /// Starts loading the cache line `head(key)` reads first (the filter word of a filtered map, else the
    /// slot), so that a loop can ask for a record's lookups a few records before it makes them: the
    /// slots of a million keys are tens of megabytes, and a lookup waits on memory otherwise.
    @inline(__always) func prefetch(_ key: UInt64) {
        if let filter {
            cosell_prefetch(filter + filterBits(key).word)
        } else {
            cosell_prefetch(slots + home(key))
        }
    }

    /// Inserts `count` keys and values in order, each key's slot (and filter word) asked for a few
    /// inserts ahead.
    func insert(keys: UnsafePointer<UInt64>, values: UnsafePointer<Int32>, count n: Int) {
        let ahead = 8
        for i in 0..<min(ahead, n) { prefetchForInsert(keys[i]) }
        for i in 0..<n {
            if i + ahead < n { prefetchForInsert(keys[i + ahead]) }
            insert(key: keys[i], value: values[i])
        }
    }

    @inline(__always) private func prefetchForInsert(_ key: UInt64) {
        if let filter { cosell_prefetch(filter + filterBits(key).word) }
        cosell_prefetch(slots + home(key))
    }

    @inline(__always) func value(_ handle: Int) -> Int { Int(UInt32(truncatingIfNeeded: entries[handle - 1] >> 32)) }
    @inline(__always) func next(_ handle: Int) -> Int { Int(entries[handle - 1] & 0xFFFF_FFFF) }
}

extension HashMultiMap {
    /// Maps from keys to record indices, built on `threads` threads: `collect(records, add)` reads the
    /// records of its range and calls `add(map, record, key)` for each key of each record (a record may
    /// have none). Each part of the records collects its own keys; every map is then filled in record
    /// order, so the chains are the same whatever the number of threads.
    static func build(
        records: Int, maps: Int, threads: Int,
        _ collect: @escaping @Sendable (Range<Int>, (Int, Int32, UInt64) -> Void) -> Void
    ) -> [HashMultiMap] {
        let parts = max(1, threads)
        let collected = Box<[[[(Int32, UInt64)]]]>(
            Array(repeating: Array(repeating: [], count: maps), count: parts))
        let lock = NSLock()
        parallelFor(parts) { c in
            var selected: [[(Int32, UInt64)]] = Array(repeating: [], count: maps)
            collect((records * c / parts)..<(records * (c + 1) / parts)) { m, r, key in selected[m].append((r, key)) }
            lock.lock()
            collected.value[c] = selected
            lock.unlock()
        }
        return (0..<maps).map { m in
            let map = HashMultiMap(expected: max(1, collected.value.reduce(0) { $0 + $1[m].count }))
            for part in collected.value { for (r, key) in part[m] { map.insert(key: key, value: r) } }
            return map
        }
    }
}
