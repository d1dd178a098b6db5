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

/// An immutable set/map from byte strings to small integer values, built once, probed on hot paths
/// without allocating. Open addressing over 64-bit hashes; keys are verified byte for byte.
struct ByteTable: Sendable {
    private var keys: [UInt8] = []
    private var keyOffsets: [Int32] = []
    private var keyLengths: [Int32] = []
    private var values: [Int32] = []
    private var hashes: [UInt64] = []
    private var slots: [Int32] = []  // -1 empty, else entry index
    private var mask: Int = 0

    init(capacity: Int = 16) {
        var cap = 16
        while cap < capacity * 2 { cap <<= 1 }
        slots = Array(repeating: -1, count: cap)
        mask = cap - 1
    }

    var count: Int { values.count }

    /// Inserts or overwrites (with `combine`) a key.
    mutating func insert(_ key: [UInt8], value: Int32, combine: (Int32, Int32) -> Int32 = { _, new in new }) {
        if (values.count + 1) * 2 > slots.count { grow() }
        let h = hashBytes(key)
        var s = Int(truncatingIfNeeded: h) & mask
        while true {
            let e = slots[s]
            if e < 0 {
                slots[s] = Int32(values.count)
                keyOffsets.append(Int32(keys.count))
                keyLengths.append(Int32(key.count))
                keys.append(contentsOf: key)
                values.append(value)
                hashes.append(h)
                return
            }
            let ei = Int(e)
            if hashes[ei] == h && Int(keyLengths[ei]) == key.count
                && keys[Int(keyOffsets[ei])..<Int(keyOffsets[ei]) + key.count].elementsEqual(key)
            {
                values[ei] = combine(values[ei], value)
                return
            }
            s = (s + 1) & mask
        }
    }

    private mutating func grow() {
        let cap = slots.count * 2
        slots = Array(repeating: -1, count: cap)
        mask = cap - 1
        for (i, h) in hashes.enumerated() {
            var s = Int(truncatingIfNeeded: h) & mask
            while slots[s] >= 0 { s = (s + 1) & mask }
            slots[s] = Int32(i)
        }
    }

    @inline(__always)
    func lookup(_ base: UnsafePointer<UInt8>, _ count: Int) -> Int32? {
        lookup(base, count, hash: hashBytes(base, count))
    }

    func lookup(_ base: UnsafePointer<UInt8>, _ count: Int, hash h: UInt64) -> Int32? {
        slots.withUnsafeBufferPointer { slots in
            hashes.withUnsafeBufferPointer { hashes in
                keys.withUnsafeBufferPointer { keys in
                    var s = Int(truncatingIfNeeded: h) & mask
                    while true {
                        let e = slots[s]
                        if e < 0 { return nil }
                        let ei = Int(e)
                        if hashes[ei] == h && Int(keyLengths[ei]) == count
                            && (count == 0 || bytesEqual(keys.baseAddress! + Int(keyOffsets[ei]), base, count))
                        {
                            return values[ei]
                        }
                        s = (s + 1) & mask
                    }
                }
            }
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

    init(expected: Int) {
        var cap = 16
        while cap < expected * 2 { cap <<= 1 }
        slots = UnsafeMutablePointer<UInt64>.allocate(capacity: cap)
        slots.initialize(repeating: 0, count: cap)
        mask = cap - 1
        capacity = max(1, expected)
        entries = UnsafeMutablePointer<UInt64>.allocate(capacity: capacity)
    }

    deinit {
        slots.deallocate()
        entries.deallocate()
    }

    @inline(__always) private static func tag(_ key: UInt64) -> UInt64 { (key >> 32) | 1 }

    func insert(key: UInt64, value: Int32) {
        precondition(count < capacity, "HashMultiMap capacity exceeded")
        let t = HashMultiMap.tag(key)
        var s = Int(truncatingIfNeeded: key) & mask
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
        let t = HashMultiMap.tag(key)
        var s = Int(truncatingIfNeeded: key) & mask
        while true {
            let w = slots[s]
            if w == 0 { return 0 }
            if w >> 32 == t { return Int(w & 0xFFFF_FFFF) }
            s = (s + 1) & mask
        }
    }

    @inline(__always) func value(_ handle: Int) -> Int { Int(UInt32(truncatingIfNeeded: entries[handle - 1] >> 32)) }
    @inline(__always) func next(_ handle: Int) -> Int { Int(entries[handle - 1] & 0xFFFF_FFFF) }
}
