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

    @Test func emptyList() {
        let stored = StoredAccountRows()
        #expect(stored.isEmpty)
        #expect(stored.map(\.crmID).isEmpty)
    }
}
