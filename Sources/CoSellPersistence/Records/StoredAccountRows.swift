import CoSellMatching
import Foundation

/// An organization's stored accounts as plain rows, held compactly: every row's texts one after the
/// other in one byte buffer, the rest in a fixed entry. About 190 bytes a row with its text, where
/// `AccountRow` values (a Swift string per field) took about 450: an import's plan holds the whole
/// list, and at a million accounts that was most of the server's memory while re-importing.
/// `self[i]` makes row `i` as an `AccountRow`.
struct StoredAccountRows: RandomAccessCollection, Sendable {
    private struct Entry: Sendable {
        var id: UUID
        var updatedAt: Date
        /// `Int64.min`: no value.
        var employees: Int64
        /// Bit `k`: text `k` is not NULL (the optional ones).
        var present: UInt16
    }

    /// The texts of a row, in this order; `ends` keeps where each one ends in `text`.
    private static let textCount = 12
    private var entries: [Entry] = []
    private var ends: [UInt32] = []
    private var text: [UInt8] = []

    init() {}

    var startIndex: Int { 0 }
    var endIndex: Int { entries.count }

    mutating func reserveCapacity(_ n: Int) {
        entries.reserveCapacity(n)
        ends.reserveCapacity(n * Self.textCount)
    }

    /// Adds a row; refuses one that would take the texts past 4 GiB.
    mutating func append(_ row: AccountRow) throws {
        let v = row.values
        let texts: [String?] = [
            row.crmID, v.name, v.website, v.domain, v.country, v.industry, v.population, v.status, v.street, v.city,
            v.state, v.postalCode,
        ]
        var cursor = TextCursor()
        for t in texts {
            if var t {
                try t.withUTF8 { try appendText(UnsafeRawBufferPointer($0), &cursor) }
            } else {
                try appendText(nil, &cursor)
            }
        }
        try endRow(id: row.id, updatedAt: row.updatedAt, employees: v.employees, cursor)
    }

    mutating func append(contentsOf rows: [AccountRow]) throws {
        for r in rows { try append(r) }
    }

    /// Where a row read column by column stands: its texts so far (`appendText`), before `endRow`.
    struct TextCursor {
        fileprivate(set) var count = 0
        fileprivate var present: UInt16 = 0
    }

    /// Adds the next text of the row being read, as bytes (nil: NULL), in the order of `append`:
    /// no string is made (a million rows read from PostgreSQL made twelve million).
    mutating func appendText(_ bytes: UnsafeRawBufferPointer?, _ cursor: inout TextCursor) throws {
        guard cursor.count < Self.textCount else {
            throw StoreError.conflict("An account row has more texts than its columns.")
        }
        if let bytes {
            cursor.present |= 1 << UInt16(cursor.count)
            text.append(contentsOf: bytes)
            guard text.count <= Int(UInt32.max) else {
                throw StoreError.conflict("The organization's accounts are too many to read at once.")
            }
        }
        ends.append(UInt32(text.count))
        cursor.count += 1
    }

    /// Ends the row whose texts `cursor` followed.
    mutating func endRow(id: UUID, updatedAt: Date, employees: Int?, _ cursor: TextCursor) throws {
        guard cursor.count == Self.textCount else {
            throw StoreError.conflict("An account row has fewer texts than its columns.")
        }
        entries.append(
            Entry(
                id: id, updatedAt: updatedAt, employees: employees.map { Int64($0) } ?? Int64.min,
                present: cursor.present))
    }

    /// Adds the rows of `other` after these.
    mutating func append(contentsOf other: StoredAccountRows) throws {
        guard text.count + other.text.count <= Int(UInt32.max) else {
            throw StoreError.conflict("The organization's accounts are too many to read at once.")
        }
        let base = UInt32(text.count)
        entries += other.entries
        ends.append(contentsOf: other.ends.lazy.map { $0 + base })
        text += other.text
    }

    /// Text `k` of row `i` (in the order of `append`), without making the whole row.
    private func text(_ i: Int, _ k: Int) -> String? {
        guard entries[i].present & (1 << UInt16(k)) != 0 else { return nil }
        let at = i * Self.textCount + k
        let (start, end) = (at == 0 ? 0 : Int(ends[at - 1]), Int(ends[at]))
        return text.withUnsafeBufferPointer {
            String(decoding: UnsafeBufferPointer(rebasing: $0[start..<end]), as: UTF8.self)
        }
    }

    /// Whether row `i`'s values are those record `r` of an imported file makes of an account: the same
    /// answer as `self[i].values == AccountValues(table.record(at: r))`, without making either (an
    /// import's plan asks it for every account the file already has). Texts are compared as bytes; two
    /// that differ only where they are not ASCII are compared as strings, as the values would be.
    func valuesEqual(at i: Int, to r: Int, of table: AccountTable) -> Bool {
        let e = entries[i]
        guard (e.employees == Int64.min ? nil : Int(e.employees)) == table.employeesAt(r) else { return false }
        return text.withUnsafeBufferPointer { all in
            let base = i * Self.textCount
            /// Text `k` of the row; nil when NULL, or, for the texts the values never leave nil, empty.
            func stored(_ k: Int) -> UnsafeBufferPointer<UInt8>? {
                let required = k == 1 || k == 6 || k == 7
                guard e.present & (1 << UInt16(k)) != 0 else {
                    return required ? UnsafeBufferPointer(start: nil, count: 0) : nil
                }
                let (start, end) = (base + k == 0 ? 0 : Int(ends[base + k - 1]), Int(ends[base + k]))
                return UnsafeBufferPointer(rebasing: all[start..<end])
            }
            for (k, field) in Self.fileFields {
                guard table.withBytes(of: field, at: r, { Self.sameText(stored(k), $0) }) else { return false }
            }
            var population = table.populationAt(r).rawValue
            var status = "active"
            return population.withUTF8 { Self.sameText(stored(6), $0) }
                && status.withUTF8 { Self.sameText(stored(7), $0) }
        }
    }

    /// The texts a file's record gives, by their place in a row (`append`'s order); the CRM id (0) is
    /// the key, population (6) and status (7) are compared apart.
    private static let fileFields: [(Int, AccountTable.TextField)] = [
        (1, .name), (2, .website), (3, .matchableDomain), (4, .country), (5, .industry), (8, .street), (9, .city),
        (10, .state), (11, .postalCode),
    ]

    /// Two texts (nil: NULL) as `String?` would compare them: equal bytes are equal, different ASCII is
    /// different, and the rest is compared as strings (canonically equivalent letters are equal).
    private static func sameText(_ a: UnsafeBufferPointer<UInt8>?, _ b: UnsafeBufferPointer<UInt8>?) -> Bool {
        guard let a, let b else { return a == nil && b == nil }
        if a.elementsEqual(b) { return true }
        if a.allSatisfy({ $0 < 0x80 }) && b.allSatisfy({ $0 < 0x80 }) { return false }
        return String(decoding: a, as: UTF8.self) == String(decoding: b, as: UTF8.self)
    }

    /// Row `i`'s CRM id (read for every row by an import's plan: making whole rows took seconds).
    func crmID(at i: Int) -> String { text(i, 0) ?? "" }

    /// Row `i`'s account id.
    func id(at i: Int) -> UUID { entries[i].id }

    /// Whether row `i` is active.
    func isActive(at i: Int) -> Bool { text(i, 7) == "active" }

    subscript(i: Int) -> AccountRow {
        let e = entries[i]
        let base = i * Self.textCount
        var start = i == 0 ? 0 : Int(ends[base - 1])
        var texts: [String?] = []
        texts.reserveCapacity(Self.textCount)
        text.withUnsafeBufferPointer { bytes in
            for k in 0..<Self.textCount {
                let end = Int(ends[base + k])
                texts.append(
                    e.present & (1 << UInt16(k)) == 0
                        ? nil : String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self))
                start = end
            }
        }
        return AccountRow(
            id: e.id, crmID: texts[0] ?? "", updatedAt: e.updatedAt,
            values: AccountValues(
                name: texts[1] ?? "", website: texts[2], domain: texts[3], country: texts[4], industry: texts[5],
                employees: e.employees == Int64.min ? nil : Int(e.employees), population: texts[6] ?? "",
                status: texts[7] ?? "", street: texts[8], city: texts[9], state: texts[10], postalCode: texts[11]))
    }
}
