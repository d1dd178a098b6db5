import CoSellDomain
import CoSellMatching
import Foundation

/// An organization's settings for account mapping: its ideal customer profile and how its CRM's
/// values map to populations (nil: the detected format's defaults).
public struct MappingSettings: Sendable, Equatable {
    public var idealCustomerProfile: IdealCustomerProfile?
    public var populationRules: PopulationRules?

    public init(idealCustomerProfile: IdealCustomerProfile? = nil, populationRules: PopulationRules? = nil) {
        self.idealCustomerProfile = idealCustomerProfile
        self.populationRules = populationRules
    }
}

/// A file uploaded on the import page, kept until its person has checked the columns and confirmed.
public struct PendingUpload: Sendable, Equatable {
    public var id: UUID
    public var organizationID: UUID
    public var personID: UUID
    public var fileName: String
    public var data: Data
    public var createdAt: Date

    public init(id: UUID, organizationID: UUID, personID: UUID, fileName: String, data: Data, createdAt: Date) {
        self.id = id
        self.organizationID = organizationID
        self.personID = personID
        self.fileName = fileName
        self.data = data
        self.createdAt = createdAt
    }
}

/// An import that can be restored, or was: the job, and the accounts restoring it gives back their
/// previous values (those it changed or retired) and the accounts it added, retired.
public struct ImportRestoration: Sendable, Equatable {
    public var importID: UUID
    public var fileName: String
    public var importedAt: Date
    public var accountsBack: Int
    public var addedRetired: Int

    public init(importID: UUID, fileName: String, importedAt: Date, accountsBack: Int, addedRetired: Int) {
        self.importID = importID
        self.fileName = fileName
        self.importedAt = importedAt
        self.accountsBack = accountsBack
        self.addedRetired = addedRetired
    }
}

/// One organization's active accounts as an import just left them: matching uses them instead of
/// reading the list back (at a million accounts, reading took most of the time of matching).
public struct ImportedAccounts: Sendable {
    public let organizationID: UUID
    public let accounts: AccountsForMatching

    public init(organizationID: UUID, accounts: AccountsForMatching) {
        self.organizationID = organizationID
        self.accounts = accounts
    }
}

/// One overlap as an import's check reads it (`AccountImportStore.activeOverlapLinks`).
public struct OverlapLink: Sendable, Equatable {
    /// The two accounts, in the partnership's order of organizations.
    public var accountIDs: [UUID]
    public var accountNames: [String]
    public var jointAccountID: UUID?

    public init(accountIDs: [UUID], accountNames: [String], jointAccountID: UUID?) {
        self.accountIDs = accountIDs
        self.accountNames = accountNames
        self.jointAccountID = jointAccountID
    }
}

/// What the account-import verbs read and write: an organization's settings, its import jobs, its
/// list of CRM accounts, the overlaps of its partnerships, and the import page's pending uploads.
public protocol AccountImportStore: Sendable {
    /// The organization's population rules; nil when it set none.
    func populationRules(of organizationID: UUID) async throws -> PopulationRules?
    /// Replaces the organization's ideal customer profile and population rules.
    func saveSettings(_ settings: MappingSettings, of organizationID: UUID, at: Date) async throws

    /// The organization's active accounts, each as its id and CRM id only (an import's check of what it
    /// would retire reads a million of them: whole accounts took gigabytes).
    func activeAccountKeys(of organizationID: UUID) async throws -> [(id: UUID, crmID: String)]
    /// The overlaps of `partnership` whose two accounts are active (those its pages list), each as its
    /// two accounts' ids and names, in the partnership's order of organizations, and the joint account
    /// linked to it (an import's check of what it would retire reads these: whole overlaps with their
    /// accounts took minutes and gigabytes at a million).
    func activeOverlapLinks(of partnership: Partnership) async throws -> [OverlapLink]
    /// Records a job `running`, with no counts yet.
    func startImport(id: UUID, organizationID: UUID, fileName: String, createdBy: UUID?, at: Date) async throws
    /// Upserts every record of `table` by CRM id, retires the organization's active accounts the file
    /// no longer has, and writes the counts on the job, which stays `running`. `progress` receives the
    /// fraction of rows written. Called outside a transaction: a database store writes a large file in
    /// several short transactions and makes it visible in one, all of it or none. Returns the
    /// organization's active accounts as the import left them, or nil when the store does not give them
    /// (matching then reads the list).
    func importAccounts(
        _ table: AccountTable, organizationID: UUID, importID: UUID, at: Date, retireMissing: Bool,
        progress: @escaping @Sendable (Double) -> Void
    ) async throws -> ImportedAccounts?
    /// The organization of import `id`; nil when there is no such import.
    func importOrganization(_ id: UUID) async throws -> UUID?
    /// The organization's import that can be restored: its latest applied import, succeeded and not
    /// restored, while no import of the organization runs; nil when there is none.
    func restorableImport(of organizationID: UUID) async throws -> ImportRestoration?
    /// Puts the organization's accounts back as they were before import `id` (the accounts it changed
    /// or retired get their previous values, those it added are retired, none is deleted) and marks
    /// it restored by `personID` (nil: the operator). Refused with `conflict`, saying why, when the
    /// import is not the one `restorableImport` gives (running, failed, restored already, or not the
    /// latest, or another import is running); `notFound("import")` when it is not the organization's.
    /// Called in a transaction.
    func restoreImport(
        _ id: UUID, organizationID: UUID, by personID: UUID?, at: Date
    ) async throws
        -> ImportRestoration
    /// Marks the job `succeeded`.
    func completeImport(id: UUID, at: Date) async throws
    /// Marks the job `failed` with a message.
    func failImport(id: UUID, message: String, at: Date) async throws

    /// Matches the two organizations' active accounts and stores the overlaps, keeping the link of
    /// pairs already known. Returns how many overlaps there are. Called outside a transaction: the
    /// matching runs first, then the overlaps are written in one transaction of the store's own.
    /// `known`: one organization's list as an import just gave it, matched instead of reading it back.
    func refreshOverlaps(of partnership: Partnership, at: Date, known: ImportedAccounts?) async throws -> Int

    func savePendingUpload(_ upload: PendingUpload) async throws
    /// The upload, when it is `personID`'s; nil otherwise.
    func pendingUpload(_ id: UUID, personID: UUID) async throws -> PendingUpload?
    func deletePendingUpload(_ id: UUID) async throws
    /// Drops the uploads made before `date` (nobody confirmed them).
    func dropPendingUploads(before date: Date) async throws
}

extension AccountImportStore {
    /// Matches the two organizations' lists as they are stored.
    public func refreshOverlaps(of partnership: Partnership, at: Date) async throws -> Int {
        try await refreshOverlaps(of: partnership, at: at, known: nil)
    }
}
