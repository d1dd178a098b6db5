import Foundation

/// Reads the fields of a facts line from its UTF-8 bytes, left to right.
struct FactsReader {
    let bytes: [UInt8]
    var position = 0
    var failed = false

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    var isAtEnd: Bool { !failed && position > bytes.count }

    /// The next field's bytes; marks the reader failed when the line has no more fields.
    mutating func field() -> ArraySlice<UInt8> {
        guard position <= bytes.count else {
            failed = true
            return []
        }
        var end = position
        while end < bytes.count && bytes[end] != DealFacts.fieldSeparator { end += 1 }
        let f = bytes[position..<end]
        position = end + 1
        return f
    }

    mutating func string() -> String { Self.string(field()) }
    mutating func text() -> String { Self.text(field()) }
    mutating func uuid() -> UUID? { Self.uuid(field()) }
    mutating func date() -> Date? { Self.date(field()) }
    mutating func int() -> Int? { Self.int(field()) }

    /// `.some(nil)` for an empty field, nil when the field is not a date.
    mutating func optionalDate() -> Date?? {
        let f = field()
        if f.isEmpty { return .some(nil) }
        return Self.date(f).map { .some($0) }
    }

    mutating func optionalMoney() -> Money?? {
        let f = field()
        if f.isEmpty { return .some(nil) }
        return Self.money(f).map { .some($0) }
    }

    mutating func optionalInt() -> Int?? {
        let f = field()
        if f.isEmpty { return .some(nil) }
        return Self.int(f).map { .some($0) }
    }

    /// Hands each item of a list field to `body`, split in its parts (in one reused array); false
    /// when `body` refused an item.
    mutating func eachItem(_ body: ([ArraySlice<UInt8>]) -> Bool) -> Bool {
        let f = field()
        if f.isEmpty { return !failed }
        var parts: [ArraySlice<UInt8>] = []
        parts.reserveCapacity(8)
        var partStart = f.startIndex
        var i = f.startIndex
        while true {
            let atEnd = i == f.endIndex
            let c = atEnd ? DealFacts.itemSeparator : f[i]
            if c == DealFacts.partSeparator || c == DealFacts.itemSeparator {
                parts.append(f[partStart..<i])
                partStart = i + 1
                if c == DealFacts.itemSeparator {
                    guard body(parts) else { return false }
                    parts.removeAll(keepingCapacity: true)
                }
            }
            if atEnd { return true }
            i += 1
        }
    }

    mutating func parts() -> [ArraySlice<UInt8>] {
        let f = field()
        if f.isEmpty { return [] }
        return f.split(separator: DealFacts.partSeparator, omittingEmptySubsequences: false)
    }

    static func string(_ b: ArraySlice<UInt8>) -> String { String(decoding: b, as: UTF8.self) }

    static func text(_ b: ArraySlice<UInt8>) -> String {
        guard b.contains(DealFacts.escape) else { return string(b) }
        var out: [UInt8] = []
        out.reserveCapacity(b.count)
        var i = b.startIndex
        while i < b.endIndex {
            if b[i] == DealFacts.escape, i + 1 < b.endIndex {
                let n = b[i + 1]
                out.append(n == DealFacts.escape ? n : n &- 0x50)
                i += 2
            } else {
                out.append(b[i])
                i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func int(_ b: ArraySlice<UInt8>) -> Int? {
        guard !b.isEmpty, b.count < 19 else { return nil }
        var v = 0
        var negative = false
        for (k, c) in b.enumerated() {
            if k == 0 && c == 0x2D {
                negative = true
                continue
            }
            guard (0x30...0x39).contains(c) else { return nil }
            v = v * 10 + Int(c - 0x30)
        }
        return negative ? -v : v
    }

    static func date(_ b: ArraySlice<UInt8>) -> Date? {
        guard !b.isEmpty, b.count <= 16 else { return nil }
        var bits: UInt64 = 0
        for c in b {
            guard let v = hex(c) else { return nil }
            bits = bits << 4 | UInt64(v)
        }
        return Date(timeIntervalSinceReferenceDate: Double(bitPattern: bits))
    }

    @inline(__always) static func hex(_ c: UInt8) -> UInt8? {
        switch c {
        case 0x30...0x39: return c &- 0x30
        case 0x41...0x46: return c &- 0x41 &+ 10
        case 0x61...0x66: return c &- 0x61 &+ 10
        default: return nil
        }
    }

    static func money(_ b: ArraySlice<UInt8>) -> Money? {
        guard let space = b.firstIndex(of: 0x20), let minor = int(b[b.startIndex..<space]).map(Int64.init),
            let currency = Currency(code: string(b[(space + 1)...]))
        else { return nil }
        return Money(minorUnits: minor, currency: currency)
    }

    /// A UUID from its 36-character text, without going through `String`.
    static func uuid(_ b: ArraySlice<UInt8>) -> UUID? {
        guard b.count == 36 else { return nil }
        var high: UInt64 = 0
        var low: UInt64 = 0
        var n = 0
        var k = 0
        for c in b {
            if k == 8 || k == 13 || k == 18 || k == 23 {
                guard c == 0x2D else { return nil }
            } else {
                guard let v = hex(c) else { return nil }
                if n < 16 { high = high << 4 | UInt64(v) } else { low = low << 4 | UInt64(v) }
                n += 1
            }
            k += 1
        }
        func byte(_ x: UInt64, _ i: Int) -> UInt8 { UInt8(truncatingIfNeeded: x >> UInt64(56 - 8 * i)) }
        return UUID(
            uuid: (
                byte(high, 0), byte(high, 1), byte(high, 2), byte(high, 3), byte(high, 4), byte(high, 5),
                byte(high, 6), byte(high, 7), byte(low, 0), byte(low, 1), byte(low, 2), byte(low, 3), byte(low, 4),
                byte(low, 5), byte(low, 6), byte(low, 7)
            ))
    }

    /// A calendar day from its `YYYY-MM-DD` text.
    static func localDate(_ b: ArraySlice<UInt8>) -> LocalDate? {
        guard b.count == 10, b[b.startIndex + 4] == 0x2D, b[b.startIndex + 7] == 0x2D,
            let y = int(b[b.startIndex..<(b.startIndex + 4)]), let m = int(b[(b.startIndex + 5)..<(b.startIndex + 7)]),
            let d = int(b[(b.startIndex + 8)...]), y >= 0, m >= 0, d >= 0
        else { return nil }
        return LocalDate(year: y, month: m, day: d)
    }

    /// A list field of UUIDs, without building the items first.
    mutating func uuids() -> [UUID]? {
        let f = field()
        if f.isEmpty { return [] }
        var out: [UUID] = []
        out.reserveCapacity(f.count / 37 + 1)
        var start = f.startIndex
        while start <= f.endIndex {
            let end = f[start...].firstIndex(of: DealFacts.itemSeparator) ?? f.endIndex
            guard let u = Self.uuid(f[start..<end]) else { return nil }
            out.append(u)
            start = end + 1
        }
        return out
    }
}
