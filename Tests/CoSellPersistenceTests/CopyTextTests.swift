import CoSellMatching
import Foundation
import NIOCore
import Testing

@testable import CoSellPersistence

@Suite("COPY text of an import's accounts")
struct CopyTextTests {
    /// A file with what COPY's text format must escape or leave alone: tabs, backslashes, a newline and a
    /// carriage return in quoted fields, `\N` as text, letters beyond ASCII, a free-mail website (no
    /// matchable domain), blank optional fields and employees. (A file that is not UTF-8 is refused
    /// before it is a table.)
    static let awkward = Data(
        """
        account_id,name,website,country,industry,employees,lifecycle_stage,street,city,state,postal_code
        a1,"O'Brien ""Big"" Co, Ltd",obrien.example,IE,Retail,12,customer,"1 Main St\nSuite 2",Dublin,,D02
        a2,Back\\slash \\N Tab\there,back.example,US,,,,\\N,,,
        a3,Zürich Ærø 株式会社 🚀,zurich.example,CH,Software,,opportunity,"",Zürich,ZH,8001
        a4,Free Mail Ltd,someone@gmail.com,,,7,,"carriage\rreturn",,,
        a5,Plain Name,,,,,,,,,
        """.utf8)

    /// The accounts written from the file's table without strings are, byte for byte, what the COPY text
    /// of each record made into strings (`record(at:)`, `AccountValues`) is.
    @Test func addedAccountsAreWhatTheirStringsWouldBe() throws {
        let table = try AccountTable.load(data: Self.awkward, fileName: "awkward.csv")
        #expect(table.count == 5)
        for i in 0..<table.count {
            let id = UUID()
            var fast = CopyText(capacity: 256)
            try fast.addedAccount(id, record: i, of: table)
            let r = table.record(at: i)
            var strings = CopyText(capacity: 256)
            try strings.stagingRow(
                seq: i, StagingRow(add: true, accountID: id, crmID: r.id, values: AccountValues(r)), staged: false)
            #expect(
                String(buffer: fast.out) == String(buffer: strings.out), "record \(r.id): \(String(buffer: fast.out))")
        }
        // The escapes themselves, on the second record.
        var text = CopyText(capacity: 256)
        try text.addedAccount(UUID(), record: 1, of: table)
        let line = String(buffer: text.out)
        #expect(line.contains("\tBack\\\\slash \\\\N Tab\\there\t"))
        #expect(line.hasSuffix("\t\\N\n"))  // a blank postal code is NULL, and the row ends with a newline
        // A free-mail website is kept, its domain is not (NULL).
        var mail = CopyText(capacity: 256)
        try mail.addedAccount(UUID(), record: 3, of: table)
        #expect(String(buffer: mail.out).contains("\tsomeone@gmail.com\t\\N\t"))
    }

    @Test func idsAreWrittenAsUUIDStringWritesThem() {
        for _ in 0..<100 {
            let id = UUID()
            var text = CopyText(capacity: 64)
            text.uuid(id)
            #expect(String(buffer: text.out) == id.uuidString + "\t")
        }
    }

    @Test func aNULCharacterIsRefusedNamingTheBody() {
        var text = CopyText(capacity: 64)
        #expect(throws: StoreError.self) { try text.field("a\u{0}b") }
    }
}
