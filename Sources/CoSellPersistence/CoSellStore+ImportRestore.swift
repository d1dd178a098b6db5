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
        return (job.value, try await undoCounts(of: job.id!, organizationID: organizationID))
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
            let counts = try await store.undoCounts(of: id, organizationID: organizationID)
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
            // The accounts it added: still its own once those it changed are back (imports before the
            // `add` rows were dropped also kept one per account added; they are the same accounts).
            try await sql.raw(
                """
                UPDATE crm_accounts SET status = 'retired', updated_at = \(bind: at) \
                WHERE organization_id = \(bind: organizationID) AND import_id = \(bind: id) AND status = 'active'
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

    /// What restoring import `id` would do: the accounts it changed or retired (its undo rows), and
    /// the active accounts it added (its own, and not changed by it).
    func undoCounts(of id: UUID, organizationID: UUID) async throws -> ImportRestoreCounts {
        let changed = try await sql.raw(
            """
            SELECT COUNT(*) AS n FROM crm_account_import_undo WHERE import_id = \(bind: id) AND action = 'change'
            """
        ).first()?.decode(column: "n", as: Int.self)
        // Its active accounts, less those it changed (counted without a join per account: a million
        // took seconds that way).
        let own = try await sql.raw(
            """
            SELECT COUNT(*) AS n FROM crm_accounts WHERE organization_id = \(bind: organizationID) \
            AND status = 'active' AND import_id = \(bind: id)
            """
        ).first()?.decode(column: "n", as: Int.self)
        let ownChanged = try await sql.raw(
            """
            SELECT COUNT(*) AS n FROM crm_account_import_undo u JOIN crm_accounts a ON a.id = u.account_id \
            WHERE u.import_id = \(bind: id) AND u.action = 'change' AND a.status = 'active' \
            AND a.import_id = \(bind: id)
            """
        ).first()?.decode(column: "n", as: Int.self)
        let added = (own ?? 0) - (ownChanged ?? 0)
        return ImportRestoreCounts(accountsBack: changed ?? 0, addedRetired: added)
    }
}
