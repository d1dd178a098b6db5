import Foundation
import Testing

@testable import CoSellMatching

@Suite("Parallel chunked import")
struct ChunkingTests {
    /// A file of ~400 KB whose quoted fields contain commas, doubled quotes and line feeds.
    func bigCSV(rows: Int) -> [UInt8] {
        var s = "account_id,name,website,country,industry,employees,status,street,postal_code\n"
        for i in 0..<rows {
            let name = i % 7 == 0 ? "\"Acme \(i)\nRobotics, \"\"Inc\"\"\"" : "Company \(i) GmbH"
            let web = i % 5 == 0 ? "\"https://www.c\(i).com/a,b\"" : "c\(i).co.uk"
            s +=
                "id\(i),\(name),\(web),DE,\"Soft\nware\",\(i),\(i % 3 == 0 ? "customer" : "prospect"),\"\(i) Main St,\nApt 2\",\(10000 + i)\r\n"
        }
        return Array(s.utf8)
    }

    /// The file parsed in one piece (one thread) and in four chunks (two threads).
    func inOneAndFourChunks(_ bytes: [UInt8]) throws -> (AccountTable, AccountTable) {
        (
            try AccountTable.load(bytes: bytes, fileName: "a.csv", options: ImportOptions(), progress: nil, threads: 1),
            try AccountTable.load(bytes: bytes, fileName: "a.csv", options: ImportOptions(), progress: nil, threads: 2)
        )
    }

    /// A row keeps where its strings start (32 bits) and their lengths (16 bits): every span comes back
    /// with its offset and length, far into a large arena and at the longest length, a literal key that
    /// is the key takes no bytes, and moving a chunk's rows into a table moves every span.
    @Test func rowSpansFollowOneAnotherInTheArena() {
        var arena = RawBuffer<UInt8>(capacity: 16)
        defer { arena.free() }
        let start = Int(UInt32.max) - 200_000
        func write(_ literal: String?) -> Row {
            arena.removeAll()
            var w = Row.Writer(startingAt: start)
            func put(_ text: String, _ field: (inout Row.Writer, UnsafePointer<UInt8>, Int) -> Void) {
                let bytes = Array(text.utf8) + [0]
                bytes.withUnsafeBufferPointer { field(&w, $0.baseAddress!, $0.count - 1) }
            }
            put(String(repeating: "a", count: 70_000)) { $0.name($1, $2, to: &arena) }
            put("acme") { $0.key($1, $2, to: &arena) }
            put(literal ?? "") { $0.literalKey($1, $2, sameAsKey: literal == nil, to: &arena) }
            put("A-1") { $0.id($1, $2, to: &arena) }
            put("https://acme.example") { $0.website($1, $2, to: &arena) }
            put("acme.example") { $0.domain($1, $2, to: &arena) }
            put("DE") { $0.country($1, $2, to: &arena) }
            put("Software") { $0.industry($1, $2, to: &arena) }
            put("Unter den Linden 1") { $0.street($1, $2, to: &arena) }
            put("Berlin") { $0.city($1, $2, to: &arena) }
            put("") { $0.state($1, $2, to: &arena) }
            put("10117") { $0.postalCode($1, $2, to: &arena) }
            return w.row
        }
        func text(_ span: UInt64, from base: Int = start) -> String {
            String(
                decoding: UnsafeBufferPointer(start: arena.base + spanOffset(span) - base, count: spanLength(span)),
                as: UTF8.self)
        }
        var row = write(nil)
        #expect(spanOffset(row.name) == start)
        #expect(spanLength(row.name) == 0xFFFF)  // cut at 64 KiB
        #expect(spanOffset(row.key) == start + 0xFFFF)
        #expect(text(row.key) == "acme")
        #expect(row.literalKey == row.key)
        #expect(text(row.id) == "A-1")
        #expect(text(row.website) == "https://acme.example")
        #expect(text(row.domain) == "acme.example")
        #expect(text(row.country) == "DE")
        #expect(text(row.industry) == "Software")
        #expect(text(row.street) == "Unter den Linden 1")
        #expect(text(row.city) == "Berlin")
        #expect(spanLength(row.state) == 0)
        #expect(text(row.postalCode) == "10117")
        #expect(spanOffset(row.postalCode) + 5 == start + arena.count)
        row.rebase(by: 1_000)
        #expect(spanOffset(row.name) == start + 1_000)
        #expect(text(row.city, from: start + 1_000) == "Berlin")
        #expect(text(row.postalCode, from: start + 1_000) == "10117")

        row = write("acmes")
        #expect(text(row.key) == "acme")
        #expect(text(row.literalKey) == "acmes")
        #expect(text(row.id) == "A-1")
        #expect(text(row.postalCode) == "10117")
        // Two lists of a million rows: 128 MB of rows (twelve 64-bit spans made them 272 MB).
        #expect(MemoryLayout<Row>.stride == 64)
    }

    /// Every field is read trimmed of spaces and tabs, a quoted one without its quotes, doubled quotes
    /// as one, whatever its column; one field's unescaped bytes do not leak into the next.
    @Test func fieldsAreTrimmedAndUnescaped() throws {
        let csv =
            "account_id,name,website,country,industry,employees,status,street,postal_code\n"
            + "\" A-1 \",\"  Acme \"\"Quoted\"\" Inc \t\", acme.com ,\"DE\",\"Soft \"\"ware\"\"\",\" 1,200 \","
            + "customer,\"\"\"Main\"\" St, 1\",\t10117\n"
            + "B-2,Plain Co,,,,,,,\n"
        let table = try AccountTable.load(
            bytes: Array(csv.utf8), fileName: "a.csv", options: ImportOptions(), progress: nil, threads: 1)
        let a = table.record(at: 0)
        #expect(a.id == "A-1")
        #expect(a.name == "Acme \"Quoted\" Inc")
        #expect(a.website == "acme.com")
        #expect(a.country == "DE")
        #expect(a.industry == "Soft \"ware\"")
        #expect(a.employees == 1200)
        #expect(a.street == "\"Main\" St, 1")
        #expect(a.postalCode == "10117")
        let b = table.record(at: 1)
        #expect(b.id == "B-2" && b.name == "Plain Co" && b.website == nil && b.street == nil)
    }

    @Test func chunkedParseEqualsSequentialParse() throws {
        let bytes = bigCSV(rows: 6000)
        #expect(bytes.count > 1 << 18)
        let parts = bytes.withUnsafeBufferPointer { chunkBoundaries($0, from: 0, parts: 4) }
        #expect(parts.count == 5)
        #expect(parts.dropFirst().dropLast().allSatisfy { bytes[$0 - 1] == 0x0A })
        let (one, four) = try inOneAndFourChunks(bytes)
        #expect(one.count == 6000)
        #expect(one.records == four.records)
        #expect(one.chunkCount == 1)
        #expect(four.chunkCount == 4)  // guessed cuts fall inside quoted line feeds; quote-aware cuts work
        #expect(four.records.map(\.line) == one.records.map(\.line))
        let r = four.record(at: 7)
        #expect(r.name == "Acme 7\nRobotics, \"Inc\"")
        #expect(r.nameKey == "acme 7 robotic")
        #expect(r.industry == "Soft\nware")
        #expect(r.street == "7 Main St,\nApt 2")
        #expect(r.postalCode == "10007")
        #expect(r.line == 24)  // header; row 0 spans 4 lines (name, industry and street), rows 1-6 three each
    }

    @Test func filesWithoutQuotedLineFeedsAreCutWhereGuessed() throws {
        var s = "Id,Name,Website,BillingCountry\n"
        for i in 0..<20000 { s += "\(i),\"Firm \(i), Inc.\",firm\(i).com,US\n" }
        let bytes = Array(s.utf8)
        let (one, four) = try inOneAndFourChunks(bytes)
        #expect(four.chunkCount == 4)
        #expect(one.records == four.records)
        #expect(four.record(at: 19999).line == 20001)
        #expect(four.record(at: 12345).id == "12345")
    }

    /// Chunks are parsed into windows of the table's own buffers and kept there; a chunk whose text or
    /// rows outgrow its window (short rows, ids made up from line numbers) is copied as before. Either
    /// way the table reads as the one parsed in a single piece, lines and spans included.
    @Test func chunksParsedWhereTheTableKeepsThemReadAsOnePiece() throws {
        var long = "Id,Name,Website,BillingCountry,BillingStreet\n"
        for i in 0..<20000 {
            long += "A\(i),\"Firm \(i) Holdings, Inc.\",https://www.firm\(i).com,Germany,\(i) Long Street Name\n"
        }
        var short = "Id,Name,Website,BillingCountry\n"
        for i in 0..<20000 { short += ",F\(i),,DE\n" }  // no id: "line-N" is longer than the row
        for (text, inPlace) in [(long, true), (short, false)] {
            let bytes = Array(text.utf8)
            let (one, four) = try inOneAndFourChunks(bytes)
            #expect(four.chunkCount == 4)
            #expect(four.assembledInPlace == inPlace)
            #expect(four.count == 20000)
            let firstDifference = (0..<min(four.count, one.count)).first { four.record(at: $0) != one.record(at: $0) }
            #expect(firstDifference == nil)
            #expect(four.record(at: 19999).line == 20001)
            // A made-up id names the file's line, also in the last chunk.
            #expect(four.record(at: 19999).id == (inPlace ? "A19999" : "line-20001"))
        }
        let last = try AccountTable.load(
            bytes: Array(long.utf8), fileName: "a.csv", options: ImportOptions(), progress: nil, threads: 2
        ).record(at: 19999)
        #expect(last.id == "A19999")
        #expect(last.name == "Firm 19999 Holdings, Inc.")
        #expect(last.domain == .domain("firm19999.com"))
        #expect(last.street == "19999 Long Street Name")
    }

    @Test func errorsDeepInTheFileNameTheRightLine() throws {
        var bytes = bigCSV(rows: 6000)
        // Append a ragged row at the very end.
        bytes.append(contentsOf: Array("idX,Short\r\n".utf8))
        let lines = bytes.filter { $0 == 0x0A }.count
        do {
            _ = try AccountTable.load(
                bytes: bytes, fileName: "big.csv", options: ImportOptions(), progress: nil, threads: 2)
            Issue.record("expected an error")
        } catch {
            #expect(error.kind == .raggedRow)
            #expect(error.line == lines)
            #expect(error.description == "big.csv line \(lines): expected 9 fields, found 2")
        }
        // Invalid UTF-8 in the middle.
        var bad = bigCSV(rows: 6000)
        let mid = bad.count / 2 + 3
        bad[mid] = 0xFF
        let expectedLine = 1 + bad[0..<mid].filter { $0 == 0x0A }.count
        do {
            _ = try AccountTable.load(
                bytes: bad, fileName: "big.csv", options: ImportOptions(), progress: nil, threads: 2)
            Issue.record("expected an error")
        } catch {
            #expect(error.kind == .encoding)
            #expect(error.line == expectedLine)
        }
    }

    @Test func progressReachesOne() throws {
        let log = ProgressLog()
        _ = try AccountTable.load(data: Data(bigCSV(rows: 6000)), progress: { log.add($0) })
        #expect(log.all.last == 1)
        #expect(log.all.allSatisfy { $0 >= 0 && $0 <= 1 })
    }
}
