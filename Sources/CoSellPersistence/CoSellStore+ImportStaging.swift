import FluentKit
import FluentSQL
import FluentSQLiteDriver
import Foundation
import PostgresNIO

/// One row an import stages (`crm_account_staging`): `add` a new account `accountID`, or `change`
/// the account `accountID` to these values (status included).
struct StagingRow: Sendable {
    var add: Bool
    var accountID: UUID
    var crmID: String
    var values: AccountValues
}

extension CoSellStore {
    /// Rows of one multi-row `INSERT` into the staging table on SQLite: 14 bound values a row, so a
    /// statement stays under SQLite's usual cap of 32,766 bound values.
    public static let importStageStatementRows = 2_000
    /// Rows of one `COPY` into the staging table on PostgreSQL (one statement, its own transaction).
    public static let importStageCopyRows = 50_000

    /// The staging table's columns, as written by `writeStaging`.
    static let stagingColumns = [
        "import_id", "organization_id", "updated_at", "seq", "action", "account_id", "crm_id", "name",
        "website", "domain", "country", "industry", "employees", "population", "status", "street", "city", "state",
        "postal_code",
    ]

    /// Writes staging rows `0..<count` of import `importID` (`row(seq)` makes each), without a
    /// database record per row: on SQLite as multi-row `INSERT`s with bound values,
    /// `importStageBatch` rows per short transaction (each holds the write lock briefly, and other
    /// requests write between them); on PostgreSQL with `COPY … FROM STDIN`, `importStageCopyRows`
    /// rows a statement. `progress` receives the rows written so far.
    func writeStaging(
        importID: UUID, organizationID: UUID, at: Date, count: Int, row: (Int) -> StagingRow,
        progress: (Int) -> Void
    ) async throws {
        let sql = try self.sql
        if sql.dialect.name == "postgresql", let pg = db as? any PostgresDatabase {
            var start = 0
            while start < count {
                let end = min(count, start + Self.importStageCopyRows)
                let text = try Self.copyText(
                    importID: importID, organizationID: organizationID, at: at, seq: start..<end, row: row)
                try await Self.copyStaging(text, on: pg)
                start = end
                progress(start)
                await Task.yield()
            }
            // Statistics for the apply step's joins (a table that was empty has none); the apply works
            // without them, only slower.
            do {
                try await sql.raw("ANALYZE crm_account_staging").run()
            } catch {
                db.logger.warning("import \(importID): ANALYZE crm_account_staging failed: \(error)")
            }
            return
        }
        var start = 0
        while start < count {
            let end = min(count, start + Self.importStageBatch)
            var statements: [StagingInsert] = []
            var from = start
            while from < end {
                let to = min(end, from + Self.importStageStatementRows)
                statements.append(
                    StagingInsert(
                        importID: importID, organizationID: organizationID, at: at, seq: from..<to, row: row))
                from = to
            }
            let built = statements
            try await transaction { tx in
                guard let lite = tx as? any SQLiteDatabase else {
                    throw StoreError.conflict("The store runs on SQLite or PostgreSQL only.")
                }
                // The values as SQLite's own (no `Encodable` cast per value: 14 million of those cost
                // more than SQLite's work on a million rows).
                for s in built { _ = try await lite.query(s.text, s.values) }
            }
            start = end
            progress(start)
            await Task.yield()
        }
    }

    /// Sends `text` (rows in PostgreSQL's COPY text format) to the staging table.
    private static func copyStaging(_ text: ByteBuffer, on pg: any PostgresDatabase) async throws {
        let logger = pg.logger
        try await pg.withConnection { conn in
            conn.eventLoop.makeFutureWithTask {
                try await conn.copyFrom(
                    table: "crm_account_staging", columns: CoSellStore.stagingColumns, logger: logger
                ) { writer in
                    try await writer.write(text)
                }
            }
        }.get()
    }

    /// Staging rows `seq` in PostgreSQL's COPY text format: tab-separated, `\N` for NULL, with
    /// backslash, tab, newline and carriage return escaped.
    static func copyText(
        importID: UUID, organizationID: UUID, at: Date, seq: Range<Int>, row: (Int) -> StagingRow
    ) throws -> ByteBuffer {
        var out = ByteBuffer()
        out.reserveCapacity(seq.count * 200)
        let prefix = "\(importID.uuidString)\t\(organizationID.uuidString)\t\(postgresTimestamp(at))\t"
        func field(_ s: String?, last: Bool = false) throws {
            if let s {
                for b in s.utf8 {
                    switch b {
                    case 0:
                        throw StoreError.invalid(field: "body", "A value contains the NUL character (U+0000).")
                    case UInt8(ascii: "\\"): out.writeStaticString("\\\\")
                    case UInt8(ascii: "\t"): out.writeStaticString("\\t")
                    case UInt8(ascii: "\n"): out.writeStaticString("\\n")
                    case UInt8(ascii: "\r"): out.writeStaticString("\\r")
                    default: out.writeInteger(b)
                    }
                }
            } else {
                out.writeStaticString("\\N")
            }
            out.writeInteger(last ? UInt8(ascii: "\n") : UInt8(ascii: "\t"))
        }
        for i in seq {
            let r = row(i)
            let v = r.values
            out.writeString(prefix)
            out.writeString("\(i)\t\(r.add ? "add" : "change")\t\(r.accountID.uuidString)\t")
            try field(r.crmID)
            try field(v.name)
            try field(v.website)
            try field(v.domain)
            try field(v.country)
            try field(v.industry)
            try field(v.employees.map { String($0) })
            try field(v.population)
            try field(v.status)
            try field(v.street)
            try field(v.city)
            try field(v.state)
            try field(v.postalCode, last: true)
        }
        return out
    }

    /// `at` as PostgreSQL reads a `timestamptz` in text, to the microsecond it would store from a bound
    /// value (whole microseconds since 2000, rounded toward zero as PostgresNIO encodes a `Date`).
    static func postgresTimestamp(_ at: Date) -> String {
        let micros = Int64(at.timeIntervalSince(Date(timeIntervalSince1970: 946_684_800)) * 1_000_000)
        let (q, r) = micros.quotientAndRemainder(dividingBy: 1_000_000)
        let (seconds, fraction) = r < 0 ? (q - 1, r + 1_000_000) : (q, r)
        var time = time_t(seconds + 946_684_800)
        var parts = tm()
        gmtime_r(&time, &parts)
        let date = String(
            format: "%04d-%02d-%02d %02d:%02d:%02d", Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1,
            Int(parts.tm_mday), Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec))
        return date + String(format: ".%06d+00", Int(fraction))
    }
}

/// One multi-row `INSERT` of staging rows on SQLite, its values bound: the import, organization and
/// time once (`?1`–`?3`), then 14 a row, as the values Fluent would store (a UUID as its upper-case
/// text, a time as seconds since 1970).
struct StagingInsert {
    var text: String
    var values: [SQLiteData]

    init(importID: UUID, organizationID: UUID, at: Date, seq: Range<Int>, row: (Int) -> StagingRow) {
        var text = "INSERT INTO crm_account_staging ("
        text += CoSellStore.stagingColumns.joined(separator: ", ")
        text += ") VALUES "
        var values: [SQLiteData] = [
            .text(importID.uuidString), .text(organizationID.uuidString), .float(at.timeIntervalSince1970),
        ]
        values.reserveCapacity(3 + 14 * seq.count)
        text.reserveCapacity(seq.count * 120)
        func optional(_ s: String?) -> SQLiteData { s.map { .text($0) } ?? .null }
        for i in seq {
            let r = row(i)
            let v = r.values
            if i != seq.lowerBound { text += ", " }
            // seq and action are written as literals: a number, and one of two words. A plain `?` is
            // numbered one past the largest number so far, so the row's 14 take the next 14.
            text += "(?1, ?2, ?3, "
            text += String(i)
            text += r.add ? ", 'add', " : ", 'change', "
            text += "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            values.append(.text(r.accountID.uuidString))
            values.append(.text(r.crmID))
            values.append(.text(v.name))
            values.append(optional(v.website))
            values.append(optional(v.domain))
            values.append(optional(v.country))
            values.append(optional(v.industry))
            values.append(v.employees.map { .integer($0) } ?? .null)
            values.append(.text(v.population))
            values.append(.text(v.status))
            values.append(optional(v.street))
            values.append(optional(v.city))
            values.append(optional(v.state))
            values.append(optional(v.postalCode))
        }
        self.text = text
        self.values = values
    }

}
