import Foundation

extension AccountTable {
    /// Puts the rows in the order of their names, then their CRM ids, both compared byte by byte, and
    /// returns where each row was: row `i` is now the row that was at `order[i]`. Only the rows move
    /// (64 bytes each); the strings stay where they are in the arena.
    ///
    /// For whoever has just built the table, before anyone else reads it: a table is immutable once
    /// shared. A server builds the table of an organization's accounts this way, from the stored list
    /// or from what an import left, and both come out in the same order, so matching them pairs the
    /// same accounts (it keeps the first of several equally good candidates).
    public func sortByNameThenID() -> [Int] {
        let (rows, arena) = (self.rows, self.arena)
        @inline(__always) func compare(_ a: UInt64, _ b: UInt64) -> Int {
            let (la, lb) = (spanLength(a), spanLength(b))
            let c = memcmp(arena + spanOffset(a), arena + spanOffset(b), min(la, lb))
            return c != 0 ? Int(c) : la - lb
        }
        var order = Array(0..<count)
        order.sort { i, j in
            let byName = compare(rows[i].name, rows[j].name)
            return byName != 0 ? byName < 0 : compare(rows[i].id, rows[j].id) < 0
        }
        let before = UnsafeMutablePointer<Row>.allocate(capacity: max(1, count))
        defer { before.deallocate() }
        before.update(from: rows, count: count)
        for (i, old) in order.enumerated() { rows[i] = before[old] }
        return order
    }
}
