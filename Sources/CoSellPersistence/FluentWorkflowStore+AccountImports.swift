import CoSellDomain
import CoSellMatching
import CoSellWorkflows
import Foundation

extension FluentWorkflowStore {
    public func populationRules(of organizationID: UUID) async throws -> PopulationRules? {
        try await store.settings(of: organizationID).populationRules
    }

    public func saveSettings(_ settings: MappingSettings, of organizationID: UUID, at: Date) async throws {
        try await store.saveSettings(
            OrganizationSettings(
                idealCustomerProfile: settings.idealCustomerProfile, populationRules: settings.populationRules),
            of: organizationID, at: at)
    }

    public func startImport(id: UUID, organizationID: UUID, fileName: String, createdBy: UUID?, at: Date) async throws {
        try await store.startImport(
            id: id, organizationID: organizationID, fileName: fileName, createdBy: createdBy, at: at)
    }

    public func activeAccountKeys(of organizationID: UUID) async throws -> [(id: UUID, crmID: String)] {
        try await store.activeAccountKeys(of: organizationID)
    }

    public func activeOverlapLinks(of partnership: Partnership) async throws -> [OverlapLink] {
        try await store.activeOverlapLinks(of: partnership)
    }

    public func importAccounts(
        _ table: AccountTable, organizationID: UUID, importID: UUID, at: Date, retireMissing: Bool,
        progress: @escaping @Sendable (Double) -> Void
    ) async throws -> ImportedAccounts? {
        try await mappingStoreErrors {
            try await store.importAccountsForMatching(
                table, organizationID: organizationID, importID: importID, at: at, complete: false,
                retireMissing: retireMissing, progress: progress
            ).activeAccounts.map { ImportedAccounts(organizationID: organizationID, accounts: $0) }
        }
    }

    public func importOrganization(_ id: UUID) async throws -> UUID? {
        try await store.accountImport(id)?.organizationID
    }

    public func restorableImport(of organizationID: UUID) async throws -> ImportRestoration? {
        try await store.restorableImport(of: organizationID).map(Self.restoration)
    }

    public func restoreImport(
        _ id: UUID, organizationID: UUID, by personID: UUID?, at: Date
    ) async throws
        -> ImportRestoration
    {
        try await mappingStoreErrors {
            Self.restoration(
                try await store.restoreImport(id: id, organizationID: organizationID, by: personID, at: at))
        }
    }

    static func restoration(_ r: (AccountImport, ImportRestoreCounts)) -> ImportRestoration {
        ImportRestoration(
            importID: r.0.id, fileName: r.0.fileName, importedAt: r.0.startedAt, accountsBack: r.1.accountsBack,
            addedRetired: r.1.addedRetired)
    }

    public func completeImport(id: UUID, at: Date) async throws {
        _ = try await store.completeImport(id: id, at: at)
    }

    public func failImport(id: UUID, message: String, at: Date) async throws {
        try await store.failImport(id: id, message: message, at: at)
    }

    public func refreshOverlaps(of partnership: Partnership, at: Date, known: ImportedAccounts?) async throws -> Int {
        try await mappingStoreErrors {
            try await store.refreshOverlaps(
                of: partnership, at: at, known: known.map { ($0.organizationID, $0.accounts) })
        }
    }

    public func savePendingUpload(_ upload: PendingUpload) async throws {
        try await store.savePendingUpload(
            id: upload.id, organizationID: upload.organizationID, personID: upload.personID, fileName: upload.fileName,
            data: upload.data, at: upload.createdAt)
    }

    public func pendingUpload(_ id: UUID, personID: UUID) async throws -> PendingUpload? {
        try await store.pendingUpload(id, personID: personID)
    }

    public func deletePendingUpload(_ id: UUID) async throws {
        try await store.deletePendingUpload(id)
    }

    public func dropPendingUploads(before date: Date) async throws {
        try await store.dropPendingUploads(before: date)
    }
}
