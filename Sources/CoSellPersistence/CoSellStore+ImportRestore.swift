import CoSellDomain
import FluentKit
import FluentSQL
import Foundation

/// What restoring an import does, or did: the accounts given back their values from before it (those
/// it changed or retired), and the accounts it added, retired.
public struct ImportRestoreCounts: Sendable, Equatable {
    public var accountsBack: Int
    public var addedRetired: Int

    public init(accountsBack: Int, addedRetired: Int) {
        self.accountsBack = accountsBack
        self.addedRetired = addedRetired
    }
}

extension CoSellStore {
    /// The organization's import that can be restored (its latest applied import, succeeded and not
    /// restored yet, with no import of the organization running), with what restoring it would do;
    /// nil when there is none.
    public func restorableImport(of organizationID: UUID) async throws -> (AccountImport, ImportRestoreCounts)? {
        guard
            let job = try await AccountImportRecord.query(on: db).filter(\.$organizationID == organizationID)
                .filter(\.$restorable == true).filter(\.$status == "succeeded").first(),
            job.restoredAt == nil,
            try await runningImport(of: organizationID) == nil
        else { return nil }
        return (job.value, try await undoCounts(of: job.id!))
    }

    /// Puts the organization's accounts back as they were before import `id`: the accounts it changed
    /// or retired get their previous values (status included), the accounts it added are retired
    /// (never deleted: deals keep their account), and the import is marked restored by `personID`
    /// (nil: the operator's command line). Set-based, in the caller's transaction (one is opened
    /// otherwise). Refused (`conflict`, saying why) when the import is running or failed, was restored
    /// already, is not the organization's latest applied import, or another import of the
    /// organization is running; `notFound("import")` when it is not the organization's.
    @discardableResult
    public func restoreImport(
        id: UUID, organizationID: UUID, by personID: UUID?, at: Date
    ) async throws -> (AccountImport, ImportRestoreCounts) {
        try await transaction { tx in
            let store = CoSellStore(db: tx)
            let sql = try store.sql
            // Write first: the job row is locked before anything is read (concurrent restores of one
            // import run one after the other, and the second finds it restored).
            try await sql.raw("UPDATE account_imports SET restorable = restorable WHERE id = \(bind: id)").run()
            guard let job = try await AccountImportRecord.find(id, on: tx), job.organizationID == organizationID
            else { throw StoreError.notFound("import") }
            if job.restoredAt != nil {
                throw StoreError.conflict("The import of \(job.fileName) was restored already.")
            }
            switch job.status {
            case "running":
                throw StoreError.conflict(
                    "The import of \(job.fileName) is still running: it can be restored once it has finished.")
            case "succeeded": break
            default:
                throw StoreError.conflict(
                    "The import of \(job.fileName) did not succeed, so there is nothing of it to restore.")
            }
            guard job.restorable == true else {
                throw StoreError.conflict(
                    "Only the latest import can be restored: a later import of your accounts replaced what the import of \(job.fileName) changed."
                )
            }
            if let running = try await store.runningImport(of: organizationID) {
                throw StoreError.conflict(
                    "The import of \(running.fileName) is running: restore once it has finished.")
            }
            let counts = try await store.undoCounts(of: id)
            try await sql.raw(
                """
                UPDATE crm_accounts SET name = u.name, website = u.website, domain = u.domain, country = u.country, \
                industry = u.industry, employees = u.employees, population = u.population, status = u.status, \
                import_id = u.previous_import_id, updated_at = \(bind: at), street = u.street, city = u.city, \
                state = u.state, postal_code = u.postal_code \
                FROM crm_account_import_undo u \
                WHERE u.import_id = \(bind: id) AND u.action = 'change' AND crm_accounts.id = u.account_id
                """
            ).run()
            try await sql.raw(
                """
                UPDATE crm_accounts SET status = 'retired', updated_at = \(bind: at) \
                WHERE status = 'active' AND id IN \
                (SELECT account_id FROM crm_account_import_undo WHERE import_id = \(bind: id) AND action = 'add')
                """
            ).run()
            try await sql.raw("DELETE FROM crm_account_import_undo WHERE import_id = \(bind: id)").run()
            job.restorable = false
            job.restoredAt = at
            job.restoredBy = personID
            job.restoredAccounts = counts.accountsBack
            job.restoredRetired = counts.addedRetired
            try await job.update(on: tx)
            return (job.value, counts)
        }
    }

    /// An import of the organization still running, if any.
    func runningImport(of organizationID: UUID) async throws -> AccountImport? {
        try await AccountImportRecord.query(on: db).filter(\.$organizationID == organizationID)
            .filter(\.$status == "running").first()?.value
    }

    /// What restoring import `id` would do, from its undo rows.
    func undoCounts(of id: UUID) async throws -> ImportRestoreCounts {
        let rows = try await sql.raw(
            """
            SELECT action, COUNT(*) AS n FROM crm_account_import_undo WHERE import_id = \(bind: id) GROUP BY action
            """
        ).all()
        var counts = ImportRestoreCounts(accountsBack: 0, addedRetired: 0)
        for r in rows {
            let n = try r.decode(column: "n", as: Int.self)
            switch try r.decode(column: "action", as: String.self) {
            case "add": counts.addedRetired = n
            default: counts.accountsBack = n
            }
        }
        return counts
    }
}
