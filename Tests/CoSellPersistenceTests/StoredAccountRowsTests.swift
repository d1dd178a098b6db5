import CoSellMatching
import Foundation
import Testing

@testable import CoSellPersistence

@Suite("Stored accounts held compactly for an import's plan")
struct StoredAccountRowsTests {
    func row(_ n: Int, _ values: AccountValues) -> AccountRow {
        AccountRow(
            id: UUID(), crmID: "c\(n)", updatedAt: Date(timeIntervalSince1970: 1_700_000_000 + Double(n)),
            values: values)
    }

    /// Every field comes back as it went in: NULL and empty text apart, zero employees apart from none,
    /// letters beyond ASCII, and the rows before and after each one untouched.
    @Test func rowsComeBackFieldForField() throws {
        let rows = [
            row(
                0,
                AccountValues(
                    name: "Zürich Ærø 株式会社 🚀", website: "https://z.example", domain: "z.example", country: "CH",
                    industry: "Software", employees: 0, population: "customer", status: "active", street: "",
                    city: "Zürich", state: nil, postalCode: "8001")),
            row(
                1,
                AccountValues(
                    name: "", website: nil, domain: nil, country: nil, industry: nil, employees: nil,
                    population: "prospect", status: "retired", street: nil, city: nil, state: nil, postalCode: nil)),
            row(
                2,
                AccountValues(
                    name: "O'Brien \"Big\" Co, Ltd", website: "", domain: nil, country: "IE", industry: "",
                    employees: 1_234_567, population: "open_opportunity", status: "active", street: "1 Main St\nApt 2",
                    city: nil, state: "D", postalCode: nil)),
        ]
        var stored = StoredAccountRows()
        try stored.append(contentsOf: rows)
        #expect(stored.count == 3)
        for (i, r) in rows.enumerated() {
            #expect(stored[i].id == r.id)
            #expect(stored[i].crmID == r.crmID)
            #expect(stored[i].updatedAt == r.updatedAt)
            #expect(stored[i].values == r.values)
            #expect(stored.id(at: i) == r.id)
            #expect(stored.crmID(at: i) == r.crmID)
            #expect(stored.isActive(at: i) == (r.values.status == "active"))
        }
    }

    /// Rows read cell by cell (PostgreSQL's page reader), in two pages joined, come back as the rows
    /// appended whole: the second page's texts found after the first's.
    @Test func rowsReadCellByCellInPagesComeBackTheSame() throws {
        let values = [
            AccountValues(
                name: "Zürich Ærø 株式会社 🚀", website: "https://z.example", domain: "z.example", country: "CH",
                industry: "Software", employees: 0, population: "customer", status: "active", street: "",
                city: "Zürich", state: nil, postalCode: "8001"),
            AccountValues(
                name: "", website: nil, domain: nil, country: nil, industry: nil, employees: nil,
                population: "prospect", status: "retired", street: nil, city: nil, state: nil, postalCode: nil),
            AccountValues(
                name: "O'Brien \"Big\" Co, Ltd", website: "", domain: nil, country: "IE", industry: "",
                employees: 1_234_567, population: "open_opportunity", status: "active", street: "1 Main St\nApt 2",
                city: nil, state: "D", postalCode: nil),
        ]
        let rows = (0..<6).map { row($0, values[$0 % values.count]) }
        func page(_ part: ArraySlice<AccountRow>) throws -> StoredAccountRows {
            var p = StoredAccountRows()
            for r in part {
                let v = r.values
                var cursor = StoredAccountRows.TextCursor()
                for t in [
                    r.crmID, v.name, v.website, v.domain, v.country, v.industry, v.population, v.status, v.street,
                    v.city, v.state, v.postalCode,
                ] {
                    if let t {
                        try Array(t.utf8).withUnsafeBytes { try p.appendText($0, &cursor) }
                    } else {
                        try p.appendText(nil, &cursor)
                    }
                }
                try p.endRow(id: r.id, updatedAt: r.updatedAt, employees: v.employees, cursor)
            }
            return p
        }
        var joined = try page(rows[0..<2])
        try joined.append(contentsOf: try page(rows[2..<6]))
        #expect(joined.count == rows.count)
        for (i, r) in rows.enumerated() {
            #expect(joined[i].id == r.id)
            #expect(joined[i].crmID == r.crmID)
            #expect(joined[i].updatedAt == r.updatedAt)
            #expect(joined[i].values == r.values)
            #expect(joined.crmID(at: i) == r.crmID)
        }
    }

    /// A row of fewer or more texts than the columns is refused, not stored shifted.
    @Test func aRowOfTheWrongShapeIsRefused() throws {
        var rows = StoredAccountRows()
        var short = StoredAccountRows.TextCursor()
        try rows.appendText(nil, &short)
        #expect(throws: StoreError.self) {
            try rows.endRow(id: UUID(), updatedAt: Date(), employees: nil, short)
        }
        var long = StoredAccountRows.TextCursor()
        for _ in 0..<12 { try rows.appendText(nil, &long) }
        #expect(throws: StoreError.self) { try rows.appendText(nil, &long) }
    }

    @Test func emptyList() {
        let stored = StoredAccountRows()
        #expect(stored.isEmpty)
        #expect(stored.map(\.crmID).isEmpty)
    }

    /// An import's plan compares each stored account with the file's record as bytes
    /// (`valuesEqual`): it must answer as comparing the values does, for every field, for NULL against
    /// empty text, and for letters written in two canonically equivalent ways.
    @Test func storedRowsCompareWithAFilesRecordAsTheirValuesDo() throws {
        let file = """
            account_id,name,website,country,industry,employees,lifecycle_stage,street,city,state,postal_code
            a1,Café Zürich 株式会社,cafe.example,CH,Software,12,customer,1 Main St,Zürich,ZH,8001
            a2,Plain Name,,,,,,,,,
            a3,Free Mail Ltd,someone@gmail.com,,,0,opportunity,,,,
            """
        let table = try AccountTable.load(data: Data(file.utf8), fileName: "accounts.csv")
        #expect(table.count == 3)
        var variants: [(record: Int, values: AccountValues)] = []
        for r in 0..<table.count {
            let same = AccountValues(table.record(at: r))
            variants.append((r, same))
            var v = same
            v.name += "x"
            variants.append((r, v))
            for path in [
                \AccountValues.website, \.domain, \.country, \.industry, \.street, \.city, \.state, \.postalCode,
            ] {
                var changed = same
                changed[keyPath: path] = same[keyPath: path] == nil ? "" : nil  // NULL against empty text
                variants.append((r, changed))
                changed[keyPath: path] = (same[keyPath: path] ?? "") + "y"
                variants.append((r, changed))
            }
            v = same
            v.employees = (same.employees ?? 0) + 1
            variants.append((r, v))
            v.employees = same.employees == nil ? 0 : nil
            variants.append((r, v))
            v = same
            v.population = same.population == "customer" ? "prospect" : "customer"
            variants.append((r, v))
            v = same
            v.status = "retired"
            variants.append((r, v))
        }
        // "Café" with the accent as a letter of its own (U+0301): another byte string, the same text.
        var decomposed = AccountValues(table.record(at: 0))
        decomposed.name = "Cafe\u{301} Zürich 株式会社"
        #expect(decomposed.name == AccountValues(table.record(at: 0)).name)
        variants.append((0, decomposed))
        var stored = StoredAccountRows()
        for (n, v) in variants.enumerated() { try stored.append(row(n, v.values)) }
        var equal = 0
        for (n, v) in variants.enumerated() {
            let expected = v.values == AccountValues(table.record(at: v.record))
            if expected { equal += 1 }
            #expect(stored.valuesEqual(at: n, to: v.record, of: table) == expected, "variant \(n): \(v.values)")
        }
        #expect(equal == 4)  // each record's own values, and the decomposed "Café"
    }
}
