import CoSellDomain
import CoSellMatching
import CoSellWorkflows
import Foundation

/// Account imports on the failing store: recording a job fails (the last write of starting an import
/// from an upload), and the bulk write of accounts fails as a database store's does: with nothing
/// written (its own tests show the store keeps that promise).
extension FailingStore {
    func populationRules(of o: UUID) async throws -> PopulationRules? { try await base.populationRules(of: o) }
    func saveSettings(_ s: MappingSettings, of o: UUID, at: Date) async throws {
        try await base.saveSettings(s, of: o, at: at)
    }
    func activeAccountKeys(of o: UUID) async throws -> [(id: UUID, crmID: String)] {
        try await base.activeAccountKeys(of: o)
    }
    func activeOverlapLinks(of p: Partnership) async throws -> [OverlapLink] {
        try await base.activeOverlapLinks(of: p)
    }
    func startImport(id: UUID, organizationID: UUID, fileName: String, createdBy: UUID?, at: Date) async throws {
        throw Injected()
    }
    func importAccounts(
        _ table: AccountTable, organizationID: UUID, importID: UUID, at: Date, retireMissing: Bool,
        progress: @escaping @Sendable (Double) -> Void
    ) async throws -> ImportedAccounts? {
        throw Injected()
    }
    func importOrganization(_ id: UUID) async throws -> UUID? { try await base.importOrganization(id) }
    func restorableImport(of organizationID: UUID) async throws -> ImportRestoration? {
        try await base.restorableImport(of: organizationID)
    }
    func restoreImport(
        _ id: UUID, organizationID: UUID, by personID: UUID?, at: Date
    ) async throws
        -> ImportRestoration
    {
        try await base.restoreImport(id, organizationID: organizationID, by: personID, at: at)
    }
    func completeImport(id: UUID, at: Date) async throws { try await base.completeImport(id: id, at: at) }
    func failImport(id: UUID, message: String, at: Date) async throws {
        try await base.failImport(id: id, message: message, at: at)
    }
    func refreshOverlaps(of p: Partnership, at: Date, known: ImportedAccounts?) async throws -> Int {
        try await base.refreshOverlaps(of: p, at: at, known: known)
    }
    func savePendingUpload(_ u: PendingUpload) async throws { try await base.savePendingUpload(u) }
    func pendingUpload(_ id: UUID, personID: UUID) async throws -> PendingUpload? {
        try await base.pendingUpload(id, personID: personID)
    }
    func deletePendingUpload(_ id: UUID) async throws { try await base.deletePendingUpload(id) }
    func dropPendingUploads(before d: Date) async throws { try await base.dropPendingUploads(before: d) }
}
