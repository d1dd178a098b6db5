import CoSellDomain
import CoSellMatching
import FluentKit
import Foundation

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
    /// written (an import writes in one transaction), so the file can simply be imported again.
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

    /// Upserts every record of `table` by CRM id and retires the organization's active accounts the
    /// file no longer has — all in one transaction, so a failed or killed import leaves the previous
    /// list as it was. `progress` receives the fraction of rows written.
    /// With `complete: false` the job keeps the status `running` (its counts filled in) until
    /// `completeImport` is called, so that work after the import (matching) is part of the job.
    public func importAccounts(
        _ table: AccountTable, organizationID: UUID, importID: UUID, at: Date, complete: Bool = true,
        progress: (@Sendable (Double) -> Void)? = nil
    ) async throws -> AccountImport {
        let records = table.records
        let duplicates = AccountMatcher.duplicates(in: table).count
        return try await transaction { tx in
            // Write first: the transaction takes the write lock before it reads, so a concurrent writer
            // makes it wait (SQLite's busy timeout, PostgreSQL's row lock) instead of failing on a stale read.
            try await AccountImportRecord.query(on: tx).filter(\.$id == importID).set(\.$status, to: "running").update()
            var existing: [String: CRMAccountRecord] = [:]
            for r in try await CRMAccountRecord.query(on: tx).filter(\.$organizationID == organizationID).all() {
                existing[r.crmID] = r
            }
            var added = 0
            var updated = 0
            var unchanged = 0
            var seen = Set<String>()
            var batch: [CRMAccountRecord] = []
            for (i, r) in records.enumerated() {
                guard seen.insert(r.id).inserted else { continue }  // a repeated CRM id: the first row wins
                if let row = existing[r.id] {
                    if row.apply(r) {
                        row.importID = importID
                        row.updatedAt = at
                        try await row.update(on: tx)
                        updated += 1
                    } else {
                        unchanged += 1
                    }
                } else {
                    let row = CRMAccountRecord()
                    row.id = UUID()
                    row.organizationID = organizationID
                    row.crmID = r.id
                    _ = row.apply(r)
                    row.importID = importID
                    row.updatedAt = at
                    batch.append(row)
                    added += 1
                    if batch.count == 500 {
                        try await batch.create(on: tx)
                        batch.removeAll(keepingCapacity: true)
                    }
                }
                if i % 1000 == 999 { progress?(Double(i + 1) / Double(max(1, records.count))) }
            }
            if !batch.isEmpty { try await batch.create(on: tx) }
            var retired = 0
            for (crmID, row) in existing where !seen.contains(crmID) && row.status == "active" {
                row.status = "retired"
                row.importID = importID
                row.updatedAt = at
                try await row.update(on: tx)
                retired += 1
            }
            guard let job = try await AccountImportRecord.find(importID, on: tx) else {
                throw StoreError.notFound("import")
            }
            job.status = complete ? "succeeded" : "running"
            job.format = table.detection.format.rawValue
            job.totalRows = records.count + table.skippedBlankNames
            job.added = added
            job.updated = updated
            job.unchanged = unchanged
            job.retired = retired
            job.skipped = table.skippedBlankNames
            job.duplicatePairs = duplicates
            job.finishedAt = complete ? Date() : nil
            try await job.update(on: tx)
            progress?(1)
            return job.value
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
}
