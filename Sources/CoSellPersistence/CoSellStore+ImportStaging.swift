import FluentKit
import FluentSQL
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
    /// Rows of one piece of an import's `COPY` on PostgreSQL (PostgreSQL reads one piece while the
    /// next is made).
    public static let importCopyPieceRows = 10_000

    /// The staging table's columns, as written by `writeStaging`.
    static let stagingColumns = [
        "import_id", "organization_id", "updated_at", "seq", "action", "account_id", "crm_id", "name",
        "website", "domain", "country", "industry", "employees", "population", "status", "street", "city", "state",
        "postal_code",
    ]

    /// Writes staging rows `0..<count` of import `importID` (`row(seq)` makes each) on PostgreSQL,
    /// without a database record per row: one `COPY … FROM STDIN` (`copyRows`). `progress` receives
    /// the rows written so far. (On SQLite an import writes its accounts once, without staging:
    /// `writeImportOnSQLite`.)
    func writeStaging(
        importID: UUID, organizationID: UUID, at: Date, count: Int, row: @escaping @Sendable (Int) -> StagingRow,
        progress: @escaping @Sendable (Int) -> Void
    ) async throws {
        let sql = try self.sql
        guard sql.dialect.name == "postgresql", let pg = db as? any PostgresDatabase else {
            throw StoreError.conflict("Only an import on PostgreSQL stages its rows.")
        }
        try await Self.copyRows(
            into: "crm_account_staging", staged: true, importID: importID, organizationID: organizationID, at: at,
            count: count, row: row, on: pg, progress: progress)
        // Statistics for the apply step's joins (a table that was empty has none); the apply works
        // without them, only slower.
        do {
            try await sql.raw("ANALYZE crm_account_staging").run()
        } catch {
            db.logger.warning("import \(importID): ANALYZE crm_account_staging failed: \(error)")
        }
    }

    /// The columns of `crm_accounts` as `copyText` writes them with `staged: false`.
    static let accountCopyColumns = [
        "import_id", "organization_id", "updated_at", "id", "crm_id", "name", "website", "domain", "country",
        "industry", "employees", "population", "status", "street", "city", "state", "postal_code",
    ]

    /// Rows `0..<count` (`row(seq)` makes each) in one `COPY … FROM STDIN`: into the staging table
    /// (`staged`), or straight into `crm_accounts`; in the transaction `pg` is in, if any. The text is
    /// sent in pieces of `importCopyPieceRows`: PostgreSQL reads one while the next is made.
    /// `progress` receives the rows sent so far.
    static func copyRows(
        into table: String, staged: Bool, importID: UUID, organizationID: UUID, at: Date, count: Int,
        row: @escaping @Sendable (Int) -> StagingRow, on pg: any PostgresDatabase,
        progress: @escaping @Sendable (Int) -> Void
    ) async throws {
        guard count > 0 else { return }
        let (logger, columns) = (pg.logger, staged ? stagingColumns : accountCopyColumns)
        try await pg.withConnection { conn in
            conn.eventLoop.makeFutureWithTask {
                try await conn.copyFrom(table: table, columns: columns, logger: logger) { writer in
                    var from = 0
                    while from < count {
                        let to = min(count, from + importCopyPieceRows)
                        try await writer.write(
                            copyText(
                                importID: importID, organizationID: organizationID, at: at, seq: from..<to,
                                staged: staged, row: row))
                        from = to
                        progress(from)
                    }
                }
            }
        }.get()
    }

    /// Rows `seq` in PostgreSQL's COPY text format: tab-separated, `\N` for NULL, with backslash, tab,
    /// newline and carriage return escaped. As staging rows (`stagingColumns`), or with `staged: false`
    /// as accounts (`accountCopyColumns`: no row number or action).
    static func copyText(
        importID: UUID, organizationID: UUID, at: Date, seq: Range<Int>, staged: Bool,
        row: (Int) -> StagingRow
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
            if staged {
                out.writeString("\(i)\t\(r.add ? "add" : "change")\t\(r.accountID.uuidString)\t")
            } else {
                out.writeString("\(r.accountID.uuidString)\t")
            }
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
