import CoSellDomain
import Foundation

/// Restoring the previous import: an import that replaced the list by mistake (a short or wrong file)
/// is undone in one action, and the overlaps, matrix and targets come back.
extension AccountImportWorkflows {
    /// A restore done: what it put back, and the overlaps across the organization's partnerships once
    /// matched again.
    public struct Restored: Sendable, Equatable {
        public var restoration: ImportRestoration
        public var overlaps: Int
    }

    /// The principal's organization's import that can be restored, with what restoring it would do;
    /// nil when there is none. Admins and partner managers, as for importing.
    public func restorable(by p: Principal) async throws -> ImportRestoration? {
        try Self.requireImporter(p)
        return try await store.restorableImport(of: p.person.organizationID)
    }

    /// An admin or partner manager puts their organization's accounts back as they were before its
    /// latest import (`AccountImportStore.restoreImport`), with the audit line `accounts_restored`, in
    /// one transaction; then every active partnership of the organization is matched again, as after
    /// an import. Refused (`conflict`, saying why) for an import that is not the latest succeeded one,
    /// or was restored already; another company's import is not found, whatever the role.
    public func restore(_ importID: UUID, by p: Principal) async throws -> Restored {
        guard try await store.importOrganization(importID) == p.person.organizationID else {
            throw WorkflowError.notFound("import")
        }
        try p.requireWrite()
        try Self.requireImporter(p)
        let org = p.person.organizationID
        return try await restore(importID, of: org, by: p.person.id) { r, at in
            p.auditEntry("accounts_restored", Self.restoreDetail(p.person.name, r), organizationID: org, at: at)
        }
    }

    /// The operator of this server (`cosell import --restore-latest`) restores the organization's
    /// latest import; refused (`conflict`) when there is none to restore.
    public func restoreLatestByOperator(of organizationID: UUID) async throws -> Restored {
        guard try await !store.organizations([organizationID]).isEmpty else {
            throw WorkflowError.notFound("organization")
        }
        guard let latest = try await store.restorableImport(of: organizationID) else {
            throw WorkflowError.conflict(
                "There is no import to restore: the latest import of the organization was restored already, did not succeed, or is still running, or there was none."
            )
        }
        let op = CommandLineOperator(command: "cosell import --restore-latest")
        return try await restore(latest.importID, of: organizationID, by: nil) { r, at in
            op.auditEntry(
                "accounts_restored", Self.restoreDetail("The command line", r), organizationID: organizationID, at: at)
        }
    }

    private func restore(
        _ importID: UUID, of organizationID: UUID, by personID: UUID?,
        audit: @escaping @Sendable (ImportRestoration, Date) -> AuditEvent
    ) async throws -> Restored {
        let at = clock()
        let restoration = try await store.transaction { s in
            let r = try await s.restoreImport(importID, organizationID: organizationID, by: personID, at: at)
            try await s.audit(audit(r, at))
            return r
        }
        // As after an import: one transaction per partnership, outside ours (matching takes seconds on
        // large lists).
        var overlaps = 0
        for ps in try await store.partnerships(of: organizationID) where ps.status == .active {
            overlaps += try await store.refreshOverlaps(of: ps, at: clock())
        }
        return Restored(restoration: restoration, overlaps: overlaps)
    }

    /// The audit line of a restore.
    static func restoreDetail(_ who: String, _ r: ImportRestoration) -> String {
        "\(who) restored the accounts as they were before the import of \(r.fileName): "
            + "\(r.accountsBack) accounts back as they were, \(r.addedRetired) accounts it added retired."
    }
}
