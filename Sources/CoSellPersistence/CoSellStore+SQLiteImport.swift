import FluentKit
import FluentSQL
import FluentSQLiteDriver
import Foundation

/// What an import writes on its job row when its accounts are applied.
struct AppliedImportCounts: Sendable {
    var complete: Bool
    var format: String
    var totalRows: Int
    var added: Int
    var updated: Int
    var unchanged: Int
    var retired: Int
    var skipped: Int
    var duplicatePairs: Int
}

/// The statements of an import on SQLite, their parameters numbered: `?1` the import, `?2` the
/// organization, `?3` the time, `?4` the account's id, `?5` its CRM id, `?6`–`?17` its values (as
/// `bindAccount` binds them).
enum SQLiteImportSQL {
    /// The job's status (`?1` the import).
    static let status = "SELECT status FROM account_imports WHERE id = ?1"
    /// What the previous import replaced (`?1` the organization): only the latest applied import can
    /// be restored.
    static let clearUndo = "DELETE FROM crm_account_import_undo WHERE organization_id = ?1"
    /// The organization's earlier imports are no longer restorable (`?1` the organization).
    static let notRestorable = "UPDATE account_imports SET restorable = 0 WHERE organization_id = ?1 AND restorable = 1"
    /// The organization's other imports (`?1`, `?2` this import) running (`?3` 1) or not (`?3` 0).
    static let others =
        """
        SELECT COUNT(*) AS n FROM account_imports \
        WHERE organization_id = ?1 AND id <> ?2 AND (status = 'running') = ?3
        """
    /// Adds an account, unless another import added the same CRM id meanwhile.
    static let add =
        """
        INSERT INTO crm_accounts (import_id, organization_id, updated_at, id, crm_id, name, website, domain, \
        country, industry, employees, population, status, street, city, state, postal_code) \
        VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17) \
        ON CONFLICT (organization_id, crm_id) DO NOTHING
        """
    /// Keeps the values an account has before it is changed.
    static let changeUndo =
        """
        INSERT INTO crm_account_import_undo (import_id, organization_id, account_id, action, name, website, \
        domain, country, industry, employees, population, status, previous_import_id, updated_at, street, \
        city, state, postal_code) \
        SELECT ?1, organization_id, id, 'change', name, website, domain, country, industry, employees, \
        population, status, import_id, updated_at, street, city, state, postal_code \
        FROM crm_accounts WHERE id = ?4
        """
    /// Gives an account the import's values.
    static let change =
        """
        UPDATE crm_accounts SET import_id = ?1, updated_at = ?3, name = ?6, website = ?7, domain = ?8, \
        country = ?9, industry = ?10, employees = ?11, population = ?12, status = ?13, street = ?14, \
        city = ?15, state = ?16, postal_code = ?17 WHERE id = ?4 AND organization_id = ?2
        """
    /// The job's counts (`?1` the import, then `?2`–`?11` as `AppliedImportCounts`), restorable.
    static let job =
        """
        UPDATE account_imports SET status = ?2, format = ?3, total_rows = ?4, added = ?5, updated = ?6, \
        unchanged = ?7, retired = ?8, skipped = ?9, duplicate_pairs = ?10, finished_at = ?11, \
        restorable = 1 WHERE id = ?1
        """
}

extension CoSellStore {
    /// How long an import on SQLite waits for the write lock before it gives up.
    static let sqliteImportBusyTimeoutMilliseconds = 30_000

    /// The file of an SQLite store's main database (also for Fluent's "in-memory" databases, which
    /// are temporary files).
    func sqliteDatabaseFile() async throws -> String {
        let file = try await sql.raw("SELECT file FROM pragma_database_list WHERE name = 'main'").first()?
            .decode(column: "file", as: String.self)
        guard let file, !file.isEmpty else {
            throw StoreError.conflict("An import on SQLite needs the database in a file; this one has none.")
        }
        return file
    }

    /// Writes an import's planned rows (`row(seq)` for `seq` in `0..<count`) straight into
    /// `crm_accounts`, in one transaction on a connection of its own (`SQLiteBulkConnection`): each
    /// new account added once (unless another import added the same CRM id meanwhile), each changed or
    /// retired account updated, its values before kept for `restoreImport` (the accounts added are those
    /// whose `import_id` is this import's and that it did not change), and the job's counts written.
    /// All of the file becomes visible at commit, or none of it. Readers go on meanwhile (the database
    /// is in WAL mode); other writers wait for the commit, as they waited for the set-based apply step
    /// that this replaces on SQLite (staging a million rows first, then copying them, took twice as
    /// long as writing them once).
    ///
    /// Returns whether the import may vouch for the list its plan read: no other import of the
    /// organization running now or at the plan (`othersBefore`), none ended since, and every planned
    /// account added.
    static func writeImportOnSQLite(
        _ w: SQLiteBulkConnection, importID: UUID, organizationID: UUID, at: Date, count: Int,
        row: (Int) -> StagingRow, counts: AppliedImportCounts, othersBefore: (running: Int, ended: Int)?,
        progress: ((Double) -> Void)?
    ) throws -> Bool {
        let (imp, org, time) = (importID.uuidString, organizationID.uuidString, at.timeIntervalSince1970)
        try w.execute("BEGIN IMMEDIATE")
        do {
            let status = try w.prepare(SQLiteImportSQL.status)
            try status.bind(1, imp)
            guard try status.text() == "running" else {
                throw StoreError.conflict("The import was stopped before its accounts were written.")
            }
            let clearUndo = try w.prepare(SQLiteImportSQL.clearUndo)
            try clearUndo.bind(1, org)
            try clearUndo.run()
            let notRestorable = try w.prepare(SQLiteImportSQL.notRestorable)
            try notRestorable.bind(1, org)
            try notRestorable.run()

            // ?1 the import, ?2 the organization, ?3 the time: bound once (a reset keeps bindings).
            let add = try w.prepare(SQLiteImportSQL.add)
            // The values a changed account has before the update.
            let changeUndo = try w.prepare(SQLiteImportSQL.changeUndo)
            let change = try w.prepare(SQLiteImportSQL.change)
            for s in [add, changeUndo, change] {
                try s.bind(1, imp)
                try s.bind(2, org)
            }
            try add.bind(3, time)
            try change.bind(3, time)
            var added = 0
            for seq in 0..<count {
                let r = row(seq)
                let id = r.accountID.uuidString
                if r.add {
                    try add.bindAccount(id: id, crmID: r.crmID, values: r.values)
                    try add.run()
                    added += w.changes
                } else {
                    try changeUndo.bind(4, id)
                    try changeUndo.run()
                    try change.bindAccount(id: id, crmID: r.crmID, values: r.values)
                    try change.run()
                }
                if seq % 50_000 == 49_999 { progress?(Double(seq + 1) / Double(count)) }
            }

            let job = try w.prepare(SQLiteImportSQL.job)
            try job.bind(1, imp)
            try job.bind(2, counts.complete ? "succeeded" : "running")
            try job.bind(3, counts.format)
            for (i, n) in [
                counts.totalRows, counts.added, counts.updated, counts.unchanged, counts.retired, counts.skipped,
                counts.duplicatePairs,
            ].enumerated() {
                try job.bind(Int32(4 + i), n)
            }
            if counts.complete {
                try job.bind(11, Date().timeIntervalSince1970)
            } else {
                try job.bind(11, nil as String?)
            }
            try job.run()

            var listHolds = false
            if let othersBefore {
                let others = try w.prepare(SQLiteImportSQL.others)
                try others.bind(1, org)
                try others.bind(2, imp)
                try others.bind(3, 1)
                let running = try others.integer() ?? 0
                try others.bind(3, 0)
                let ended = try others.integer() ?? 0
                listHolds =
                    othersBefore.running == 0 && running == 0 && ended == othersBefore.ended && added == counts.added
            }
            ImportTransactionPause.pauseIfAsked()
            try w.execute("COMMIT")
            return listHolds
        } catch {
            try? w.execute("ROLLBACK")
            throw error
        }
    }
}

extension CoSellStore {
    /// `writeImportOnSQLite` inside the caller's transaction (a workspace loaded in one transaction,
    /// whose write lock a connection of the import's own would wait for): the same statements, run
    /// through the transaction's connection, each prepared anew per row by SQLiteNIO. Fine for the
    /// accounts of a workspace; a large file is imported outside a transaction.
    static func writeImportInTransaction(
        _ lite: any SQLiteDatabase, importID: UUID, organizationID: UUID, at: Date, count: Int,
        row: (Int) -> StagingRow, counts: AppliedImportCounts, othersBefore: (running: Int, ended: Int)?
    ) async throws -> Bool {
        let (imp, org) = (SQLiteData.text(importID.uuidString), SQLiteData.text(organizationID.uuidString))
        let time = SQLiteData.float(at.timeIntervalSince1970)
        guard try await lite.query(SQLiteImportSQL.status, [imp]).first?.column("status")?.string == "running" else {
            throw StoreError.conflict("The import was stopped before its accounts were written.")
        }
        _ = try await lite.query(SQLiteImportSQL.clearUndo, [org])
        _ = try await lite.query(SQLiteImportSQL.notRestorable, [org])
        var added = 0
        for seq in 0..<count {
            let r = row(seq)
            let id = SQLiteData.text(r.accountID.uuidString)
            if r.add {
                let inserted = try await lite.query(
                    SQLiteImportSQL.add + " RETURNING id",
                    [imp, org, time, id, .text(r.crmID)] + r.values.sqliteValues)
                added += inserted.count
            } else {
                _ = try await lite.query(SQLiteImportSQL.changeUndo, [imp, .null, .null, id])
                _ = try await lite.query(
                    SQLiteImportSQL.change, [imp, org, time, id, .text(r.crmID)] + r.values.sqliteValues)
            }
        }
        _ = try await lite.query(
            SQLiteImportSQL.job,
            [
                imp, .text(counts.complete ? "succeeded" : "running"), .text(counts.format),
                .integer(counts.totalRows), .integer(counts.added), .integer(counts.updated),
                .integer(counts.unchanged), .integer(counts.retired), .integer(counts.skipped),
                .integer(counts.duplicatePairs), counts.complete ? .float(Date().timeIntervalSince1970) : .null,
            ])
        guard let othersBefore else { return false }
        let running = try await lite.query(SQLiteImportSQL.others, [org, imp, .integer(1)]).first?.column("n")
        let ended = try await lite.query(SQLiteImportSQL.others, [org, imp, .integer(0)]).first?.column("n")
        return othersBefore.running == 0 && running?.integer == 0 && ended?.integer == othersBefore.ended
            && added == counts.added
    }
}

extension AccountValues {
    /// The values as `SQLiteImportSQL` binds them (`?6`–`?17`).
    fileprivate var sqliteValues: [SQLiteData] {
        func text(_ s: String?) -> SQLiteData { s.map { .text($0) } ?? .null }
        return [
            .text(name), text(website), text(domain), text(country), text(industry),
            employees.map { .integer($0) } ?? .null, .text(population), .text(status), text(street), text(city),
            text(state), text(postalCode),
        ]
    }
}

extension SQLiteBulkConnection.Statement {
    /// Binds an account's id (`?4`), CRM id (`?5`) and values (`?6`–`?17`).
    fileprivate func bindAccount(id: String, crmID: String, values v: AccountValues) throws {
        try bind(4, id)
        try bind(5, crmID)
        try bind(6, v.name)
        try bind(7, v.website)
        try bind(8, v.domain)
        try bind(9, v.country)
        try bind(10, v.industry)
        try bind(11, v.employees)
        try bind(12, v.population)
        try bind(13, v.status)
        try bind(14, v.street)
        try bind(15, v.city)
        try bind(16, v.state)
        try bind(17, v.postalCode)
    }
}

/// A test's hold on an import inside its transaction: once `hold(at:)` is given a file path (by
/// `cosell import`'s hidden `--test-pause-before-commit`), the SQLite import writes that file once every
/// account is written and before it commits, then waits there until the process is killed. The kill -9
/// test uses it to kill an import while its transaction is certainly open, however slow or fast the
/// machine is. Never set in use.
public enum ImportTransactionPause {
    private static let lock = NSLock()
    // Set once, before the import starts, and read under the lock.
    nonisolated(unsafe) private static var path: String?

    public static func hold(at path: String) { lock.withLock { Self.path = path } }

    static func pauseIfAsked() {
        guard let path = lock.withLock({ Self.path }), !path.isEmpty else { return }
        FileManager.default.createFile(atPath: path, contents: Data("paused\n".utf8))
        while true { sleep(60) }
    }
}
