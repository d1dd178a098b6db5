import CoSellMatching
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

    /// Rows `0..<count` in one `COPY … FROM STDIN`: into the staging table (`staged`), or straight into
    /// `crm_accounts`; in the transaction `pg` is in, if any. `write(seq, text)` writes row `seq`'s
    /// columns after the import, organization and time (`CopyText.stagingRow` writes a `StagingRow`).
    /// The text is sent in pieces of `importCopyPieceRows`: PostgreSQL reads one while the next is made.
    /// `progress` receives the rows sent so far.
    static func copyRows(
        into table: String, staged: Bool, importID: UUID, organizationID: UUID, at: Date, count: Int,
        write: @escaping @Sendable (Int, inout CopyText) throws -> Void, on pg: any PostgresDatabase,
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
                                write: write))
                        from = to
                        progress(from)
                    }
                }
            }
        }.get()
    }

    /// Rows `0..<count` (`row(seq)` makes each) in one `COPY … FROM STDIN`, as `StagingRow`s: the
    /// staging table's columns (`staged`) or the accounts' (`CopyText.stagingRow`).
    static func copyRows(
        into table: String, staged: Bool, importID: UUID, organizationID: UUID, at: Date, count: Int,
        row: @escaping @Sendable (Int) -> StagingRow, on pg: any PostgresDatabase,
        progress: @escaping @Sendable (Int) -> Void
    ) async throws {
        try await copyRows(
            into: table, staged: staged, importID: importID, organizationID: organizationID, at: at, count: count,
            write: { seq, text in try text.stagingRow(seq: seq, row(seq), staged: staged) }, on: pg,
            progress: progress)
    }

    /// Rows `seq` in PostgreSQL's COPY text format (`CopyText`): each the import, the organization, the
    /// time, then what `write` writes.
    static func copyText(
        importID: UUID, organizationID: UUID, at: Date, seq: Range<Int>,
        write: (Int, inout CopyText) throws -> Void
    ) throws -> ByteBuffer {
        var text = CopyText(capacity: seq.count * 200)
        let prefix = Array("\(importID.uuidString)\t\(organizationID.uuidString)\t\(postgresTimestamp(at))\t".utf8)
        for i in seq {
            text.out.writeBytes(prefix)
            try write(i, &text)
        }
        return text.out
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

/// PostgreSQL's COPY text format, written into one buffer: fields separated by tabs, a newline after a
/// row's last, `\N` for NULL, and backslash, tab, newline and carriage return escaped. A field of ASCII
/// without any of those is copied in one piece.
struct CopyText {
    var out: ByteBuffer

    init(capacity: Int) {
        out = ByteBuffer()
        out.reserveCapacity(capacity)
    }

    /// A `StagingRow`'s columns: with `staged`, the row number, the action and the account id first;
    /// otherwise the account id.
    mutating func stagingRow(seq: Int, _ r: StagingRow, staged: Bool) throws {
        if staged {
            out.writeString("\(seq)\t\(r.add ? "add" : "change")\t")
        }
        uuid(r.accountID)
        let v = r.values
        try field(r.crmID)
        try field(v.name)
        try field(v.website)
        try field(v.domain)
        try field(v.country)
        try field(v.industry)
        field(v.employees)
        try field(v.population)
        try field(v.status)
        try field(v.street)
        try field(v.city)
        try field(v.state)
        try field(v.postalCode, last: true)
    }

    /// An account added from an imported file (`accountCopyColumns` after the time), its values read
    /// from the file's table without making a string of each: what `stagingRow(staged: false)` writes
    /// for `StagingRow(add: true, accountID: id, crmID: r.id, values: AccountValues(r))` with
    /// `r = table.record(at: record)`. A million are written while PostgreSQL reads them.
    mutating func addedAccount(_ id: UUID, record i: Int, of table: AccountTable) throws {
        uuid(id)
        for f in Self.fieldsBeforeEmployees {
            try table.withBytes(of: f, at: i) { try field(bytes: $0) }
        }
        field(table.employeesAt(i))
        try field(table.populationAt(i).rawValue)
        try field("active")
        for f in Self.addressFields {
            try table.withBytes(of: f, at: i) { try field(bytes: $0, last: f == .postalCode) }
        }
    }

    /// The text columns of `accountCopyColumns` before `employees`, and the address after `status`.
    private static let fieldsBeforeEmployees: [AccountTable.TextField] = [
        .id, .name, .website, .matchableDomain, .country, .industry,
    ]
    private static let addressFields: [AccountTable.TextField] = [.street, .city, .state, .postalCode]

    /// An id as `UUID.uuidString` writes it, then a tab.
    mutating func uuid(_ id: UUID) {
        let hex: StaticString = "0123456789ABCDEF"
        withUnsafeBytes(of: id.uuid) { bytes in
            hex.withUTF8Buffer { digits in
                for (i, b) in bytes.enumerated() {
                    if i == 4 || i == 6 || i == 8 || i == 10 { out.writeInteger(UInt8(ascii: "-")) }
                    out.writeInteger(digits[Int(b >> 4)])
                    out.writeInteger(digits[Int(b & 0x0F)])
                }
            }
        }
        out.writeInteger(UInt8(ascii: "\t"))
    }

    /// A text field (nil: NULL), then a tab, or a newline after the `last`.
    mutating func field(_ s: String?, last: Bool = false) throws {
        if var s {
            try s.withUTF8 { try text($0) }
        } else {
            out.writeStaticString("\\N")
        }
        end(last)
    }

    /// A field's bytes as stored (nil: NULL), then a tab, or a newline after the `last`. Bytes that are
    /// not ASCII are written as a `String` decoded from them would be (invalid UTF-8 repaired).
    mutating func field(bytes: UnsafeBufferPointer<UInt8>?, last: Bool = false) throws {
        if let bytes {
            if bytes.allSatisfy({ $0 < 0x80 }) {
                try text(bytes)
            } else {
                var s = String(decoding: bytes, as: UTF8.self)
                try s.withUTF8 { try text($0) }
            }
        } else {
            out.writeStaticString("\\N")
        }
        end(last)
    }

    /// A number field (nil: NULL).
    mutating func field(_ n: Int?, last: Bool = false) {
        if let n { out.writeString(String(n)) } else { out.writeStaticString("\\N") }
        end(last)
    }

    private mutating func end(_ last: Bool) {
        out.writeInteger(last ? UInt8(ascii: "\n") : UInt8(ascii: "\t"))
    }

    /// UTF-8 text, escaped; NUL is refused (PostgreSQL's text cannot hold it).
    private mutating func text(_ bytes: UnsafeBufferPointer<UInt8>) throws {
        var plain = 0
        for (i, b) in bytes.enumerated() {
            let escape: StaticString
            switch b {
            case 0: throw StoreError.invalid(field: "body", "A value contains the NUL character (U+0000).")
            case UInt8(ascii: "\\"): escape = "\\\\"
            case UInt8(ascii: "\t"): escape = "\\t"
            case UInt8(ascii: "\n"): escape = "\\n"
            case UInt8(ascii: "\r"): escape = "\\r"
            default: continue
            }
            out.writeBytes(UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(bytes)[plain..<i]))
            out.writeStaticString(escape)
            plain = i + 1
        }
        out.writeBytes(UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(bytes)[plain...]))
    }
}
