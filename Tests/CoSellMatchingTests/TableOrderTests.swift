import Foundation
import Testing

@testable import CoSellMatching

@Suite("A table sorted in place, and tables read without copying their bytes")
struct TableOrderTests {
    func csv(_ rows: [(id: String, name: String)]) -> String {
        "account_id,name,website,country\n"
            + rows.map { "\($0.id),\"\($0.name.replacingOccurrences(of: "\"", with: "\"\""))\",\($0.id).example,DE\n" }
            .joined()
    }

    /// Rows come out by name then CRM id, byte by byte, each with all of its own fields, and the
    /// order returned says where each was.
    @Test func sortsByNameThenIDKeepingEachRowWhole() throws {
        let input: [(id: String, name: String)] = [
            ("c3", "Zeta"), ("c1", "Alpha"), ("c9", "Beta, \"Inc\""), ("c2", "Alpha"), ("c0", "Alpha Beta"),
            ("c5", "Äpfel"), ("c4", "alpha"),
        ]
        let table = try AccountTable.load(data: Data(csv(input).utf8), fileName: "t.csv", threads: 1)
        let before = table.records
        let order = table.sortByNameThenID()
        let after = table.records
        #expect(after.map(\.id) == ["c1", "c2", "c0", "c9", "c3", "c4", "c5"])
        #expect(order.count == input.count && Set(order) == Set(0..<input.count))
        for (i, old) in order.enumerated() {
            #expect(after[i] == before[old])
        }
        #expect(after.map(\.website) == after.map { "\($0.id).example" })
    }

    @Test func emptyTableSorts() throws {
        let table = try AccountTable.load(data: Data("account_id,name\n".utf8), fileName: "t.csv", threads: 1)
        #expect(table.sortByNameThenID().isEmpty)
    }

    /// A table built from values (the server's lists for matching) is the table the same values give
    /// as a file: quotes, commas, line feeds and non-ASCII letters included.
    @Test func tableFromValuesEqualsTheSameFile() throws {
        let names = ["Plain Co", "Comma, Inc", "Quote \"Q\" Ltd", "Line\nFeed GmbH", "Zürich Ærø 株式会社", "R\r\nCR"]
        let built = try AccountTable.from(count: names.count) { i, field in
            switch field {
            case .id: return "id\(i)"
            case .name: return names[i]
            case .website: return i % 2 == 0 ? "https://n\(i).example" : nil
            case .country: return "DE"
            case .employees: return i == 3 ? "250" : nil
            default: return nil
            }
        }
        var text = "account_id,name,website,country,employees\n"
        for (i, n) in names.enumerated() {
            let quoted = "\"" + n.replacingOccurrences(of: "\"", with: "\"\"") + "\""
            text += "id\(i),\(quoted),\(i % 2 == 0 ? "https://n\(i).example" : ""),DE,\(i == 3 ? "250" : "")\n"
        }
        let read = try AccountTable.load(
            data: Data(text.utf8), fileName: "t.csv",
            options: ImportOptions(populationRules: .generic), threads: 1)
        #expect(built.count == names.count)
        #expect(built.records.map(\.name) == names)
        #expect(built.records.map(\.domain) == read.records.map(\.domain))
        #expect(built.records.map(\.nameKey) == read.records.map(\.nameKey))
        #expect(built.records.map(\.employees) == read.records.map(\.employees))
    }

    /// An upload's bytes are read where they are: the table is the one a copied file gives, in one
    /// chunk and in several.
    @Test func dataIsReadInPlace() throws {
        let rows = (0..<5_000).map { (id: "c\($0)", name: "Company \($0) GmbH") }
        let data = Data(csv(rows).utf8)
        let shared = try AccountTable.load(data: data, fileName: "t.csv", threads: 1)
        let chunked = try AccountTable.load(data: data, fileName: "t.csv", threads: 4)
        let copied = try AccountTable.load(
            source: ByteSource(Array(data)), fileName: "t.csv", options: ImportOptions(), progress: nil, threads: 1)
        #expect(shared.count == 5_000)
        #expect(shared.records == copied.records)
        #expect(chunked.records == copied.records)
    }
}
