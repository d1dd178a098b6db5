import CoSellDomain
import CoSellMatching
import CoSellWorkflows
import FluentKit
import FluentSQL
import FluentSQLiteDriver
import Foundation
import PostgresNIO
import VaporCSQLite

extension CoSellStore {
    public func startImport(id: UUID, organizationID: UUID, fileName: String, createdBy: UUID?, at: Date) async throws {
        let r = AccountImportRecord()
        r.id = id
        r.organizationID = organizationID
        r.fileName = String(fileName.prefix(200))
        r.status = "running"
        r.totalRows = 0
        r.added = 0
        r.updated = 0
        r.unchanged = 0
        r.retired = 0
        r.skipped = 0
        r.duplicatePairs = 0
        r.createdBy = createdBy
        r.startedAt = at
        r.runner = ImportRunner.current.text
        try await r.create(on: db)
    }

    /// Marks failed, with the reason, every job still `running` whose process is gone
    /// (`ImportRunner.isGone`), and jobs recorded before the runner was kept. Nothing of theirs was
    /// applied (an import's rows become visible in one transaction), so the file can simply be
    /// imported again; what they had staged is dropped by `dropAbandonedStaging`.
    /// Returns the jobs marked.
    @discardableResult
    public func failAbandonedImports(at: Date, me: ImportRunner = .current) async throws -> [UUID] {
        var marked: [UUID] = []
        for r in try await AccountImportRecord.query(on: db).filter(\.$status == "running").all() {
            let runner = r.runner.flatMap(ImportRunner.init(text:))
            let reason: String
            if let runner {
                guard ImportRunner.isGone(runner, from: me) == true else { continue }
                reason =
                    "The import stopped when its process (\(runner.pid) on \(runner.host)) ended before it finished; nothing was changed. Import the file again."
            } else if r.runner == nil {
                reason =
                    "The import was left unfinished by an earlier version of the server; nothing was changed. Import the file again."
            } else {
                continue
            }
            r.status = "failed"
            r.message = reason
            r.finishedAt = at
            try await r.update(on: db)
            marked.append(r.id!)
        }
        return marked
    }

    public func completeImport(id: UUID, at: Date) async throws -> AccountImport? {
        guard let r = try await AccountImportRecord.find(id, on: db) else { return nil }
        r.status = "succeeded"
        r.finishedAt = at
        try await r.update(on: db)
        return r.value
    }

    public func failImport(id: UUID, message: String, at: Date) async throws {
        guard let r = try await AccountImportRecord.find(id, on: db) else { return }
        r.status = "failed"
        r.message = String(message.prefix(2000))
        r.finishedAt = at
        try await r.update(on: db)
    }

    public func accountImport(_ id: UUID) async throws -> AccountImport? {
        try await AccountImportRecord.find(id, on: db)?.value
    }

    /// How many imports were ever recorded, of every organization.
    public func accountImportCount() async throws -> Int {
        try await AccountImportRecord.query(on: db).count()
    }

    /// Staged rows one cleanup statement drops (PostgreSQL).
    public static let importDropBatch = 10_000
    /// Existing accounts read per query (PostgreSQL, and SQLite inside a transaction): 500 round trips
    /// of 2,000 took 9 s at a million on PostgreSQL.
    static let importReadPage = 10_000

    /// Upserts every record of `table` by CRM id and retires the organization's active accounts the
    /// file no longer has. `progress` receives the fraction of rows written.
    ///
    /// A file of a million rows must not hold the database from everyone else, and a failed or killed
    /// import must leave the previous list as it was. So:
    /// 1. the organization's accounts are read in pages, and the changes worked out in memory;
    /// 2. on SQLite, the changes are written straight into `crm_accounts` in one transaction, on a
    ///    connection of the import's own, each statement prepared once (`writeImportOnSQLite`):
    ///    readers go on meanwhile (WAL), and all of the file becomes visible at commit, or none of it;
    /// 3. on PostgreSQL, the changed and retired accounts are written to `crm_account_staging` with
    ///    `COPY` (`writeStaging`); one transaction then adds the new accounts with one `COPY` straight
    ///    into `crm_accounts`, applies the staged changes with set-based statements and writes the
    ///    job's counts; the staged rows are dropped after, in batches (also when the import fails;
    ///    rows a killed process left are dropped by `dropAbandonedStaging`).
    ///
    /// Runs on the store's `bulk` pool when it has one. Must be called outside a transaction (each
    /// step opens its own); inside one, every step runs in it. With `complete: false` the job keeps the status `running` (its counts filled in) until
    /// `completeImport` is called, so that work after the import (matching) is part of the job.
    public func importAccounts(
        _ table: AccountTable, organizationID: UUID, importID: UUID, at: Date, complete: Bool = true,
        retireMissing: Bool = true, progress: (@Sendable (Double) -> Void)? = nil
    ) async throws -> AccountImport {
        let work = forBulkWork
        return try await work.stagedImport(
            table, organizationID: organizationID, importID: importID, at: at, complete: complete,
            retireMissing: retireMissing, keepActiveList: false, progress: progress
        ).job
    }

    /// `importAccounts`, also giving the organization's active accounts as the import left them, for
    /// matching to use instead of reading the list back (at a million accounts, reading took most of
    /// the time of matching). Nil when the import cannot vouch for the list: another import of the
    /// organization ran while this one did.
    public func importAccountsForMatching(
        _ table: AccountTable, organizationID: UUID, importID: UUID, at: Date, complete: Bool = true,
        retireMissing: Bool = true, progress: (@Sendable (Double) -> Void)? = nil
    ) async throws -> (job: AccountImport, activeAccounts: AccountsForMatching?) {
        let work = forBulkWork
        return try await work.stagedImport(
            table, organizationID: organizationID, importID: importID, at: at, complete: complete,
            retireMissing: retireMissing, keepActiveList: true, progress: progress)
    }

    private func stagedImport(
        _ table: AccountTable, organizationID: UUID, importID: UUID, at: Date, complete: Bool, retireMissing: Bool,
        keepActiveList: Bool, progress: (@Sendable (Double) -> Void)?
    ) async throws -> (job: AccountImport, activeAccounts: AccountsForMatching?) {
        let clock = ContinuousClock()
        var phaseStart = clock.now
        /// Logs how long the step just ended took (the benchmark reads the figures per step).
        func lap(_ step: String) {
            let now = clock.now
            db.logger.info("import \(importID): \(step) in \(now - phaseStart)")
            phaseStart = now
        }
        let duplicates = try await CPUWork.run { AccountMatcher.duplicates(in: table).count }
        lap("found \(duplicates) duplicate pairs")
        // The organization's other imports before the list is read for the plan: one running, or one
        // ending before the apply step, may have changed what the plan read.
        let othersBefore =
            keepActiveList ? try await Self.otherImports(of: organizationID, than: importID, on: db) : nil
        // 1. What changes: a compact plan (no database records yet; a million of those took gigabytes).
        var existing: [String: Int] = [:]
        let rows = try await accountRowsInPages(of: organizationID)
        existing.reserveCapacity(rows.count)
        for i in rows.indices { existing[rows.crmID(at: i)] = i }
        var plan: [StagedChange] = []
        plan.reserveCapacity(table.count)
        var changes: [StagedChange] = []
        var added = 0
        var updated = 0
        var unchanged = 0
        var seen = Set<String>()
        seen.reserveCapacity(table.count)
        var ids = TimeOrderedIDs(at: Date())
        // What the list is once applied (with `keepActiveList`): the file's accounts, and with a partial
        // update the active accounts it does not have (`inFile` false).
        var unchangedRows: [Int] = []
        var inFile: [Bool] = keepActiveList && !retireMissing ? Array(repeating: false, count: rows.count) : []
        // The file's records are made from the parsed table when needed (here for the accounts it already
        // has, then once to write them and once for the list): a million of them side by side took
        // hundreds of megabytes.
        for i in 0..<table.count {
            if i % 20_000 == 19_999 { await Task.yield() }
            let crmID = table.id(at: i)
            guard seen.insert(crmID).inserted else { continue }  // a repeated CRM id: the first row wins
            if let e = existing[crmID] {
                if !inFile.isEmpty { inFile[e] = true }
                if !rows.valuesEqual(at: e, to: i, of: table) {
                    changes.append(StagedChange(kind: .change, accountID: rows.id(at: e), record: i))
                    updated += 1
                } else {
                    unchanged += 1
                    if keepActiveList { unchangedRows.append(e) }
                }
            } else {
                plan.append(StagedChange(kind: .add, accountID: ids.next(), record: i))
                added += 1
            }
        }
        // The new accounts first, then the changed and the retired (PostgreSQL copies the first straight
        // into the list and stages the others).
        plan += changes
        changes = []
        var retired = 0
        for i in rows.indices where retireMissing && rows.isActive(at: i) && !seen.contains(rows.crmID(at: i)) {
            plan.append(StagedChange(kind: .retire, accountID: rows.id(at: i), record: i))
            retired += 1
        }
        seen = []
        existing = [:]
        let total = plan.count
        let counts = (added: added, updated: updated, unchanged: unchanged, retired: retired)
        let planned = plan
        /// The staging row of plan entry `seq`.
        let staging: @Sendable (Int) -> StagingRow = { seq in
            let c = planned[seq]
            switch c.kind {
            case .add, .change:
                let r = table.record(at: c.record)
                return StagingRow(add: c.kind == .add, accountID: c.accountID, crmID: r.id, values: AccountValues(r))
            case .retire:
                let row = rows[c.record]
                var values = row.values
                values.status = "retired"
                return StagingRow(add: false, accountID: c.accountID, crmID: row.crmID, values: values)
            }
        }
        lap("read the accounts and planned \(total) rows")
        // The list as matching would read it back once the import is applied: the values of the added and
        // changed accounts (their `updated_at` is the import's), the stored rows of the unchanged and the
        // untouched. Built on the server's work thread while the accounts are written (a million take
        // seconds); used only if the import can vouch for it (not built when another import of the
        // organization is running already: it could not).
        let listTask: Task<AccountsForMatching, any Error>? =
            keepActiveList && othersBefore?.running == 0
            ? Task { [planned, unchangedRows, inFile] in
                try await CPUWork.run { () -> AccountsForMatching in
                    // The list's accounts: the planned new and changed ones, the unchanged, and with a
                    // partial update the active ones the file did not have. Made one at a time.
                    var entries: [Int] = []
                    for (seq, c) in planned.enumerated() where c.kind != .retire { entries.append(seq) }
                    let fromPlan = entries.count
                    entries += unchangedRows
                    for e in inFile.indices where !inFile[e] && rows.isActive(at: e) { entries.append(e) }
                    return try AccountsForMatching.make(count: entries.count) { i in
                        if i < fromPlan {
                            let c = planned[entries[i]]
                            let r = table.record(at: c.record)
                            return AccountRow(id: c.accountID, crmID: r.id, updatedAt: at, values: AccountValues(r))
                                .account(of: organizationID)
                        }
                        return rows[entries[i]].account(of: organizationID)
                    }
                }
            } : nil
        let postgres = try sql.dialect.name == "postgresql"
        let applied = AppliedImportCounts(
            complete: complete, format: table.detection.format.rawValue,
            totalRows: table.count + table.skippedBlankNames, added: counts.added, updated: counts.updated,
            unchanged: counts.unchanged, retired: counts.retired, skipped: table.skippedBlankNames,
            duplicatePairs: duplicates)
        let job: AccountImport
        let listHolds: Bool
        if !postgres {
            // On SQLite, written once, straight into the accounts, in one transaction.
            if db.inTransaction {
                guard let lite = db as? any SQLiteDatabase else {
                    throw StoreError.conflict("The store runs on SQLite or PostgreSQL only.")
                }
                listHolds = try await Self.writeImportInTransaction(
                    lite, importID: importID, organizationID: organizationID, at: at, count: total, row: staging,
                    counts: applied, othersBefore: othersBefore)
            } else {
                let file = try await sqliteDatabaseFile()
                listHolds = try await SQLiteBulkConnection.run(
                    path: file, busyTimeoutMilliseconds: Self.sqliteImportBusyTimeoutMilliseconds
                ) { w in
                    try Self.writeImportOnSQLite(
                        w, importID: importID, organizationID: organizationID, at: at, count: total, row: staging,
                        counts: applied, othersBefore: othersBefore, progress: progress)
                }
            }
            guard let written = try await accountImport(importID) else {
                throw StoreError.conflict("The import's job is gone.")
            }
            job = written
            lap("written")
        } else {
            // Plan entries `0..<added` are the new accounts, the rest changes and retirements.
            let (adds, rest) = (counts.added, total - counts.added)
            do {
                // 2. The changes and retirements staged with COPY.
                try await writeStaging(
                    importID: importID, organizationID: organizationID, at: at, count: rest, row: { staging(adds + $0) }
                ) { written in progress?(0.1 * Double(written) / Double(max(1, rest))) }
                lap("staged \(rest) rows")
                // 3. Applied at once.
                (job, listHolds) = try await transaction { tx -> (AccountImport, Bool) in
                    guard let job = try await AccountImportRecord.find(importID, on: tx), job.status == "running"
                    else {
                        throw StoreError.conflict("The import was stopped before its accounts were written.")
                    }
                    guard let pg = tx as? any PostgresDatabase else {
                        throw StoreError.conflict("The store runs on SQLite or PostgreSQL only.")
                    }
                    let sql = try CoSellStore(db: tx).sql
                    // What this import replaces is kept instead of what the previous one replaced: only the
                    // latest applied import can be restored.
                    try await sql.raw(
                        "DELETE FROM crm_account_import_undo WHERE organization_id = \(bind: organizationID)"
                    ).run()
                    try await AccountImportRecord.query(on: tx).filter(\.$organizationID == organizationID)
                        .filter(\.$restorable == true).set(\.$restorable, to: false).update()
                    // The new accounts straight into the list, with COPY, in this transaction: written once.
                    // If another import added one of the same CRM ids meanwhile, the unique index refuses
                    // the COPY and nothing of this file is written (caught below).
                    try await Self.copyRows(
                        into: "crm_accounts", staged: false, importID: importID, organizationID: organizationID,
                        at: at, count: adds,
                        write: { seq, text in
                            let c = planned[seq]
                            if c.kind == .add {
                                try text.addedAccount(c.accountID, record: c.record, of: table)
                            } else {
                                try text.stagingRow(seq: seq, staging(seq), staged: false)
                            }
                        }, on: pg
                    ) { sent in progress?(0.1 + 0.8 * Double(sent) / Double(adds)) }
                    // In one statement of each kind: in batches, each statement's plan (made with the
                    // statistics of the list before the import) scanned the rows the ones before it had
                    // added, and a million accounts took a minute to apply.
                    try await Self.applyStaged(importID: importID, seq: 0..<rest, on: sql)
                    progress?(1)
                    job.status = complete ? "succeeded" : "running"
                    job.format = applied.format
                    job.totalRows = applied.totalRows
                    job.added = applied.added
                    job.updated = applied.updated
                    job.unchanged = applied.unchanged
                    job.retired = applied.retired
                    job.skipped = applied.skipped
                    job.duplicatePairs = applied.duplicatePairs
                    job.finishedAt = complete ? Date() : nil
                    job.restorable = true
                    try await job.update(on: tx)
                    var listHolds = false
                    if keepActiveList {
                        // The list is the plan's only when no other import of the organization ran since
                        // the plan read the accounts (it may have added, changed or retired some: restoring
                        // is refused while an import runs). Every planned account was added: the COPY
                        // adds all of them or fails.
                        let othersNow = try await Self.otherImports(of: organizationID, than: importID, on: tx)
                        listHolds =
                            othersBefore?.running == 0 && othersNow.running == 0
                            && othersNow.ended == othersBefore?.ended
                    }
                    return (job.value, listHolds)
                }
                lap("applied")
            } catch {
                try? await dropStaging(importID: importID, rows: rest)
                if let e = error as? PSQLError, e.serverInfo?[.sqlState] == "23505" {
                    throw StoreError.conflict(
                        "Another import of these accounts added some of the same CRM ids while this one ran; nothing of this file was written. Import it again."
                    )
                }
                throw error
            }
        }
        // The file is applied: what follows only tidies up, and its failure must not make the import
        // look failed (the job would then say that nothing was changed).
        if postgres && total >= max(1_000, rows.count / 10) {
            // The list is read page by page (by a refresh, the next import, or matching when this import
            // cannot vouch for its list): with the statistics of the list before a large import,
            // PostgreSQL planned those pages badly until autovacuum came by.
            do {
                try await sql.raw("ANALYZE crm_accounts").run()
                lap("analyzed")
            } catch {
                db.logger.warning("import \(importID): ANALYZE crm_accounts failed: \(error)")
            }
        }
        do {
            if postgres {
                try await dropStaging(importID: importID, rows: total - counts.added)
                lap("dropped the staged rows")
            }
        } catch {
            // Dropped at the next start instead (`dropAbandonedStaging`), once the job is no longer running.
            db.logger.warning("import \(importID): its staged rows were left for later: \(error)")
        }
        progress?(1)
        guard keepActiveList && listHolds, let listTask else { return (job, nil) }
        let active = try await listTask.value
        lap("then waited for the list of \(active.ids.count) active accounts for matching")
        return (job, active)
    }

    /// How many of the organization's imports other than `importID` are running, and how many ended.
    private static func otherImports(
        of organizationID: UUID, than importID: UUID, on db: any Database
    ) async throws -> (running: Int, ended: Int) {
        let others = AccountImportRecord.query(on: db).filter(\.$organizationID == organizationID)
            .filter(\.$id != importID)
        let running = try await others.copy().filter(\.$status == "running").count()
        return (running, try await others.filter(\.$status != "running").count())
    }

    /// The organization's accounts (only the active ones with `activeOnly`) as plain rows, read
    /// `importReadPage` at a time in CRM id order. Rows are decoded on an event loop, the one that also
    /// serves requests: a million read at once held it for seconds, a page holds it briefly; and
    /// plain rows take a fraction of the memory of Fluent records.
    func accountRowsInPages(of organizationID: UUID, activeOnly: Bool = false) async throws -> StoredAccountRows {
        if db is any SQLiteDatabase, !db.inTransaction {
            return try await sqliteAccountRows(of: organizationID, activeOnly: activeOnly)
        }
        var all = StoredAccountRows()
        var after: String? = nil
        while true {
            let count: Int
            if let lite = db as? any SQLiteDatabase {
                let page = try await Self.sqliteAccountPage(
                    of: organizationID, activeOnly: activeOnly, after: after, lite)
                try all.append(contentsOf: page)
                count = page.count
            } else if let pg = db as? any PostgresDatabase {
                let page = try await Self.postgresAccountPage(
                    of: organizationID, activeOnly: activeOnly, after: after, pg)
                try all.append(contentsOf: page)
                count = page.count
            } else {
                throw StoreError.conflict("The store runs on SQLite or PostgreSQL only.")
            }
            guard count == Self.importReadPage, let last = all.indices.last else { break }
            after = all.crmID(at: last)
            await Task.yield()
        }
        return all
    }

    /// The organization's active accounts as their ids and CRM ids, read `importReadPage` at a time in
    /// CRM id order (two columns: a million whole accounts, as Fluent records, took gigabytes).
    public func activeAccountKeys(of organizationID: UUID) async throws -> [(id: UUID, crmID: String)] {
        if db is any SQLiteDatabase {
            guard !db.inTransaction else {
                // Inside a transaction, on its connection, page by page (no connection of its own).
                let rows = try await accountRowsInPages(of: organizationID, activeOnly: true)
                return rows.indices.map { (rows.id(at: $0), rows.crmID(at: $0)) }
            }
            return try await sqliteRead(
                "SELECT id, crm_id FROM crm_accounts WHERE organization_id = ?1 AND status = 'active'",
                organizationID: organizationID
            ) { s in
                var keys: [(id: UUID, crmID: String)] = []
                try s.forEachRow {
                    guard let id = s.columnText(0).flatMap(UUID.init(uuidString:)), let crmID = s.columnText(1) else {
                        throw SQLiteBulkError(message: "crm_accounts.id or crm_id cannot be read")
                    }
                    keys.append((id, crmID))
                }
                return keys
            }
        }
        guard let pg = db as? any PostgresDatabase else {
            throw StoreError.conflict("The store runs on SQLite or PostgreSQL only.")
        }
        var all: [(id: UUID, crmID: String)] = []
        var after: String? = nil
        while true {
            var binds = PostgresBindings()
            binds.append(organizationID)
            if let after { binds.append(after) }
            let query = PostgresQuery(
                unsafeSQL: "SELECT id, crm_id FROM crm_accounts WHERE organization_id = $1 AND status = 'active'"
                    + (after != nil ? " AND crm_id > $2" : "") + " ORDER BY crm_id LIMIT \(Self.importReadPage)",
                binds: binds)
            let logger = pg.logger
            // Decoded by position into typed values (by column name, a million took seconds).
            let page = try await pg.withConnection { conn in
                conn.eventLoop.makeFutureWithTask {
                    var keys: [(id: UUID, crmID: String)] = []
                    for try await row in try await conn.query(query, logger: logger) {
                        let (id, crmID) = try row.decode((UUID, String).self, context: .default)
                        keys.append((id, crmID))
                    }
                    return keys
                }
            }.get()
            all += page
            guard let last = page.last, page.count == Self.importReadPage else { break }
            after = last.crmID
            await Task.yield()
        }
        return all
    }

    /// Runs `query` on SQLite, its `?1` the organization, through a read connection of its own on a
    /// thread of its own (neither an event loop nor the work thread), and reads its rows with `read`.
    private func sqliteRead<R: Sendable>(
        _ query: String, organizationID: UUID,
        _ read: @escaping @Sendable (SQLiteBulkConnection.Statement) throws -> R
    ) async throws -> R {
        try await SQLiteBulkConnection.run(
            path: try await sqliteDatabaseFile(), busyTimeoutMilliseconds: Self.sqliteImportBusyTimeoutMilliseconds,
            reading: true
        ) { c in
            let statement = try c.prepare(query)
            try statement.bind(1, organizationID.uuidString)
            return try read(statement)
        }
    }

    /// On SQLite outside a transaction, `accountRowsInPages` reads the rows in one statement on a
    /// connection of its own, through SQLite's C API, on a thread of its own (neither an event loop
    /// nor the work thread): a million rows took 11–13 s in pages through SQLiteNIO.
    private func sqliteAccountRows(of organizationID: UUID, activeOnly: Bool) async throws -> StoredAccountRows {
        let columns = AccountRow.columns
        let query =
            "SELECT \(columns.joined(separator: ", ")) FROM crm_accounts WHERE organization_id = ?1"
            + (activeOnly ? " AND status = 'active'" : "") + " ORDER BY crm_id"
        return try await sqliteRead(query, organizationID: organizationID) { s in
            let index = Dictionary(uniqueKeysWithValues: columns.enumerated().map { ($1, Int32($0)) })
            func column(_ name: String) -> Int32 { index[name] ?? -1 }
            let (id, crmID, updated, name, website, domain) = (
                column("id"), column("crm_id"), column("updated_at"), column("name"), column("website"),
                column("domain")
            )
            let (country, industry, employees, population, status) = (
                column("country"), column("industry"), column("employees"), column("population"), column("status")
            )
            let (street, city, state, postalCode) = (
                column("street"), column("city"), column("state"), column("postal_code")
            )
            func corrupt(_ c: String) -> SQLiteBulkError {
                SQLiteBulkError(message: "crm_accounts.\(c) cannot be read")
            }
            func text(_ i: Int32, _ c: String) throws -> String {
                guard let t = s.columnText(i) else { throw corrupt(c) }
                return t
            }
            var rows = StoredAccountRows()
            try s.forEachRow {
                guard let accountID = UUID(uuidString: try text(id, "id")) else { throw corrupt("id") }
                // As SQLiteNIO reads a date: seconds since 1970 as a number, or ISO 8601 text.
                let time: SQLiteData =
                    switch s.columnType(updated) {
                    case SQLITE_TEXT: .text(try text(updated, "updated_at"))
                    case SQLITE_INTEGER, SQLITE_FLOAT: .float(s.columnDouble(updated))
                    default: .null
                    }
                guard let updatedAt = Date(sqliteData: time) else { throw corrupt("updated_at") }
                try rows.append(
                    AccountRow(
                        id: accountID, crmID: try text(crmID, "crm_id"), updatedAt: updatedAt,
                        values: AccountValues(
                            name: try text(name, "name"), website: s.columnText(website), domain: s.columnText(domain),
                            country: s.columnText(country), industry: s.columnText(industry),
                            employees: s.columnInteger(employees), population: try text(population, "population"),
                            status: try text(status, "status"), street: s.columnText(street), city: s.columnText(city),
                            state: s.columnText(state), postalCode: s.columnText(postalCode))))
            }
            return rows
        }
    }

    /// The query of one page of `accountRowsInPages`, its parameters numbered from 1 (`$1` or `?1`
    /// for the organization, then the CRM id to read after).
    private static func accountPageQuery(activeOnly: Bool, after: Bool, parameter: String) -> String {
        "SELECT \(AccountRow.columns.joined(separator: ", ")) FROM crm_accounts WHERE organization_id = \(parameter)1"
            + (activeOnly ? " AND status = 'active'" : "") + (after ? " AND crm_id > \(parameter)2" : "")
            + " ORDER BY crm_id LIMIT \(importReadPage)"
    }

    /// A page on SQLite, its rows read as SQLite's values (a keyed decoder per row and a cast per
    /// value made reading a million accounts take half a minute).
    private static func sqliteAccountPage(
        of organizationID: UUID, activeOnly: Bool, after: String?, _ lite: any SQLiteDatabase
    ) async throws -> [AccountRow] {
        let org = SQLiteData.text(organizationID.uuidString)
        let rows = try await lite.query(
            accountPageQuery(activeOnly: activeOnly, after: after != nil, parameter: "?"),
            after.map { [org, .text($0)] } ?? [org])
        return try rows.map { try AccountRow(sqlite: $0) }
    }

    /// Where the id, `updated_at` and `employees` are in `AccountRow.columns` (the others are texts, in
    /// the order `StoredAccountRows` keeps them).
    private static let accountPageNonTextColumns = (
        AccountRow.columns.firstIndex(of: "id")!, AccountRow.columns.firstIndex(of: "updated_at")!,
        AccountRow.columns.firstIndex(of: "employees")!
    )

    /// A page on PostgreSQL, read cell by cell: the id, time and employee count decoded, the twelve
    /// texts copied as bytes into the page (decoding a row into a tuple of typed values, a string for
    /// each text, and packing them again took most of a re-import's plan at a million rows).
    private static func postgresAccountPage(
        of organizationID: UUID, activeOnly: Bool, after: String?, _ pg: any PostgresDatabase
    ) async throws -> StoredAccountRows {
        var binds = PostgresBindings()
        binds.append(organizationID)
        if let after { binds.append(after) }
        let query = PostgresQuery(
            unsafeSQL: accountPageQuery(activeOnly: activeOnly, after: after != nil, parameter: "$"), binds: binds)
        let logger = pg.logger
        return try await pg.withConnection { conn in
            conn.eventLoop.makeFutureWithTask {
                var rows = StoredAccountRows()
                rows.reserveCapacity(importReadPage)
                // The columns are `AccountRow.columns`: three of them not texts, every other one a text.
                let (idColumn, timeColumn, employeesColumn) = Self.accountPageNonTextColumns
                for try await row in try await conn.query(query, logger: logger) {
                    var id: UUID? = nil
                    var updatedAt: Date? = nil
                    var employees: Int? = nil
                    var cursor = StoredAccountRows.TextCursor()
                    for cell in row {
                        switch cell.columnIndex {
                        case idColumn: id = try cell.decode(UUID.self, context: .default)
                        case timeColumn: updatedAt = try cell.decode(Date.self, context: .default)
                        case employeesColumn: employees = try cell.decode(Int?.self, context: .default)
                        default:
                            if let bytes = cell.bytes {
                                try bytes.withUnsafeReadableBytes { try rows.appendText($0, &cursor) }
                            } else {
                                try rows.appendText(nil, &cursor)
                            }
                        }
                    }
                    guard let id, let updatedAt else {
                        throw StoreError.conflict("An account row has no id or time.")
                    }
                    try rows.endRow(id: id, updatedAt: updatedAt, employees: employees, cursor)
                }
                return rows
            }
        }.get()
    }

    /// Applies the staged rows of `importID` numbered `seq`: adds the new accounts (unless another
    /// import added the same CRM id meanwhile), and gives the changed ones their staged values. What it
    /// replaces is kept in `crm_account_import_undo` (`restoreImport`): the previous values of the
    /// changed accounts. (The accounts it added are those whose `import_id` is this import's and that
    /// have no such row: a million rows of their ids took a third of the pages an import wrote.)
    static func applyStaged(importID: UUID, seq: Range<Int>, on sql: any SQLDatabase) async throws {
        try await sql.raw(
            """
            INSERT INTO crm_accounts (id, organization_id, crm_id, name, website, domain, country, industry, \
            employees, population, status, import_id, updated_at, street, city, state, postal_code) \
            SELECT s.account_id, s.organization_id, s.crm_id, s.name, s.website, s.domain, s.country, s.industry, \
            s.employees, s.population, s.status, s.import_id, s.updated_at, s.street, s.city, s.state, s.postal_code \
            FROM crm_account_staging s \
            WHERE s.import_id = \(bind: importID) AND s.seq >= \(bind: seq.lowerBound) AND s.seq < \(bind: seq.upperBound) \
            AND s.action = 'add' AND NOT EXISTS (SELECT 1 FROM crm_accounts a \
            WHERE a.organization_id = s.organization_id AND a.crm_id = s.crm_id)
            """
        ).run()
        // The values the changed accounts have before the update.
        try await sql.raw(
            """
            INSERT INTO crm_account_import_undo (import_id, organization_id, account_id, action, name, website, \
            domain, country, industry, employees, population, status, previous_import_id, updated_at, street, city, \
            state, postal_code) \
            SELECT s.import_id, a.organization_id, a.id, 'change', a.name, a.website, a.domain, a.country, \
            a.industry, a.employees, a.population, a.status, a.import_id, a.updated_at, a.street, a.city, a.state, \
            a.postal_code \
            FROM crm_account_staging s JOIN crm_accounts a ON a.id = s.account_id \
            WHERE s.import_id = \(bind: importID) AND s.seq >= \(bind: seq.lowerBound) AND s.seq < \(bind: seq.upperBound) \
            AND s.action = 'change'
            """
        ).run()
        try await sql.raw(
            """
            UPDATE crm_accounts SET name = s.name, website = s.website, domain = s.domain, country = s.country, \
            industry = s.industry, employees = s.employees, population = s.population, status = s.status, \
            import_id = s.import_id, updated_at = s.updated_at, street = s.street, city = s.city, state = s.state, \
            postal_code = s.postal_code \
            FROM crm_account_staging s \
            WHERE s.import_id = \(bind: importID) AND s.seq >= \(bind: seq.lowerBound) AND s.seq < \(bind: seq.upperBound) \
            AND s.action = 'change' AND crm_accounts.id = s.account_id
            """
        ).run()
    }

    /// Drops the staged rows of one import, `importDropBatch` per transaction.
    func dropStaging(importID: UUID, rows: Int) async throws {
        var from = 0
        repeat {
            let (lower, to) = (from, from + Self.importDropBatch)
            try await transaction { tx in
                try await CoSellStore(db: tx).sql.raw(
                    """
                    DELETE FROM crm_account_staging WHERE import_id = \(bind: importID) \
                    AND seq >= \(bind: lower) AND seq < \(bind: to)
                    """
                ).run()
            }
            from = to
            await Task.yield()
        } while from < rows
    }

    /// Drops staged rows of imports no longer running (a process killed mid-import left them).
    public func dropAbandonedStaging() async throws {
        try await transaction { tx in
            try await CoSellStore(db: tx).sql.raw(
                """
                DELETE FROM crm_account_staging WHERE import_id NOT IN \
                (SELECT id FROM account_imports WHERE status = 'running')
                """
            ).run()
        }
    }

    public func accounts(of organizationID: UUID, includeRetired: Bool = false) async throws -> [CRMAccount] {
        var q = CRMAccountRecord.query(on: db).filter(\.$organizationID == organizationID)
        if !includeRetired { q = q.filter(\.$status == "active") }
        return try await q.sort(\.$name).all().map(\.value)
    }

    public func accountCount(of organizationID: UUID) async throws -> Int {
        try await CRMAccountRecord.query(on: db).filter(\.$organizationID == organizationID)
            .filter(\.$status == "active").count()
    }

    /// The industry values of the organization's active accounts, as the exports wrote them, with how
    /// many accounts have each (accounts without one left out).
    public func industryCounts(of organizationID: UUID) async throws -> [(industry: String, accounts: Int)] {
        try await sql.raw(
            """
            SELECT industry, COUNT(*) AS n FROM crm_accounts \
            WHERE organization_id = \(bind: organizationID) AND status = 'active' AND industry IS NOT NULL \
            GROUP BY industry
            """
        ).all().map { (try $0.decode(column: "industry", as: String.self), try $0.decode(column: "n", as: Int.self)) }
    }
}
