import CoSellDomain
import CoSellMatching
import Foundation

/// What the in-memory store keeps of account imports besides the accounts, overlaps and profiles
/// the account-mapping reads share (`State.crmAccounts`, `State.overlaps`, `State.profiles`).
public struct AccountImportState: Sendable {
    /// An import job: its file, its state and what it did.
    public struct Job: Sendable, Equatable {
        public var organizationID: UUID
        public var fileName: String
        public var createdBy: UUID?
        /// `running`, `succeeded` or `failed`.
        public var status: String
        public var message: String?
        public var added = 0
        public var updated = 0
        public var unchanged = 0
        public var retired = 0
        public var startedAt: Date
        public var finishedAt: Date?
        /// True on the organization's latest applied import until it is restored.
        public var restorable = false
        public var restoredAt: Date? = nil
        public var restoredBy: UUID? = nil
    }

    /// What an organization's latest applied import replaced: the accounts it changed or retired, as
    /// they were, and the ids of those it added.
    public struct Undo: Sendable, Equatable {
        public var importID: UUID
        public var previous: [CRMAccount] = []
        public var added: [UUID] = []
    }

    public var jobs: [UUID: Job] = [:]
    /// By organization.
    public var undo: [UUID: Undo] = [:]
    public var populationRules: [UUID: PopulationRules] = [:]
    public var pendingUploads: [UUID: PendingUpload] = [:]

    public init() {}
}

extension InMemoryStore {
    public func populationRules(of organizationID: UUID) async throws -> PopulationRules? {
        read { $0.imports.populationRules[organizationID] }
    }

    public func saveSettings(_ settings: MappingSettings, of organizationID: UUID, at: Date) async throws {
        write { s in
            s.profiles[organizationID] = settings.idealCustomerProfile
            s.imports.populationRules[organizationID] = settings.populationRules
        }
    }

    public func startImport(id: UUID, organizationID: UUID, fileName: String, createdBy: UUID?, at: Date) async throws {
        write {
            $0.imports.jobs[id] = AccountImportState.Job(
                organizationID: organizationID, fileName: String(fileName.prefix(200)), createdBy: createdBy,
                status: "running", startedAt: at)
        }
    }

    public func activeAccountKeys(of organizationID: UUID) async throws -> [(id: UUID, crmID: String)] {
        read { s in
            s.crmAccounts.values.filter { $0.organizationID == organizationID && $0.status == "active" }
                .map { ($0.id, $0.crmID) }
        }
    }

    public func activeOverlapLinks(of partnership: Partnership) async throws -> [OverlapLink] {
        try await overlaps(of: partnership).map {
            OverlapLink(
                accountIDs: $0.accounts.map(\.id), accountNames: $0.accounts.map(\.name),
                jointAccountID: $0.jointAccountID)
        }
    }

    public func importAccounts(
        _ table: AccountTable, organizationID: UUID, importID: UUID, at: Date, retireMissing: Bool,
        progress: @escaping @Sendable (Double) -> Void
    ) async throws -> ImportedAccounts? {
        let records = table.records
        try write { s in
            guard var job = s.imports.jobs[importID] else { throw WorkflowError.notFound("import") }
            var existing: [String: CRMAccount] = [:]
            for a in s.crmAccounts.values where a.organizationID == organizationID { existing[a.crmID] = a }
            var undo = AccountImportState.Undo(importID: importID)
            var seen = Set<String>()
            for r in records where seen.insert(r.id).inserted {  // a repeated CRM id: the first row wins
                var account = Self.account(r, organizationID: organizationID, at: at)
                if let old = existing[r.id] {
                    account.id = old.id
                    var unchanged = old
                    unchanged.updatedAt = at
                    if unchanged == account {
                        job.unchanged += 1
                        continue
                    }
                    job.updated += 1
                    undo.previous.append(old)
                } else {
                    job.added += 1
                    undo.added.append(account.id)
                }
                s.crmAccounts[account.id] = account
            }
            for (crmID, old) in existing where retireMissing && !seen.contains(crmID) && old.status == "active" {
                s.crmAccounts[old.id]?.status = "retired"
                s.crmAccounts[old.id]?.updatedAt = at
                job.retired += 1
                undo.previous.append(old)
            }
            for (id, other) in s.imports.jobs where other.organizationID == organizationID && other.restorable {
                s.imports.jobs[id]?.restorable = false
            }
            job.restorable = true
            s.imports.jobs[importID] = job
            s.imports.undo[organizationID] = undo
        }
        progress(1)
        return nil  // its lists are in memory: matching reads them
    }

    private static func account(_ r: AccountRecord, organizationID: UUID, at: Date) -> CRMAccount {
        let address =
            [r.street, r.city, r.state, r.postalCode].allSatisfy { $0 == nil }
            ? nil : CustomerAddress(line1: r.street, city: r.city, state: r.state, postalCode: r.postalCode)
        return CRMAccount(
            id: UUID(), organizationID: organizationID, crmID: r.id, name: r.name, website: r.website,
            domain: r.domain.matchable, country: r.country, industry: r.industry, employees: r.employees,
            population: r.population.rawValue, updatedAt: at, address: address)
    }

    public func importOrganization(_ id: UUID) async throws -> UUID? {
        read { $0.imports.jobs[id]?.organizationID }
    }

    public func restorableImport(of organizationID: UUID) async throws -> ImportRestoration? {
        read { s in
            guard
                let found = s.imports.jobs.first(where: {
                    $0.value.organizationID == organizationID && $0.value.restorable && $0.value.status == "succeeded"
                        && $0.value.restoredAt == nil
                }),
                !s.imports.jobs.values.contains(where: { $0.organizationID == organizationID && $0.status == "running" }
                )
            else { return nil }
            let (id, job) = (found.key, found.value)
            let undo = s.imports.undo[organizationID]
            return ImportRestoration(
                importID: id, fileName: job.fileName, importedAt: job.startedAt,
                accountsBack: undo?.importID == id ? undo!.previous.count : 0,
                addedRetired: undo?.importID == id ? undo!.added.count : 0)
        }
    }

    public func restoreImport(
        _ id: UUID, organizationID: UUID, by personID: UUID?, at: Date
    ) async throws
        -> ImportRestoration
    {
        try write { s in
            guard var job = s.imports.jobs[id], job.organizationID == organizationID else {
                throw WorkflowError.notFound("import")
            }
            if job.restoredAt != nil {
                throw WorkflowError.conflict("The import of \(job.fileName) was restored already.")
            }
            switch job.status {
            case "running":
                throw WorkflowError.conflict(
                    "The import of \(job.fileName) is still running: it can be restored once it has finished.")
            case "succeeded": break
            default:
                throw WorkflowError.conflict(
                    "The import of \(job.fileName) did not succeed, so there is nothing of it to restore.")
            }
            guard job.restorable else {
                throw WorkflowError.conflict(
                    "Only the latest import can be restored: a later import of your accounts replaced what the import of \(job.fileName) changed."
                )
            }
            if let running = s.imports.jobs.values.first(where: {
                $0.organizationID == organizationID && $0.status == "running"
            }) {
                throw WorkflowError.conflict(
                    "The import of \(running.fileName) is running: restore once it has finished.")
            }
            let undo = s.imports.undo[organizationID].flatMap { $0.importID == id ? $0 : nil }
            for var old in undo?.previous ?? [] {
                old.updatedAt = at
                s.crmAccounts[old.id] = old
            }
            for added in undo?.added ?? [] where s.crmAccounts[added]?.status == "active" {
                s.crmAccounts[added]?.status = "retired"
                s.crmAccounts[added]?.updatedAt = at
            }
            s.imports.undo[organizationID] = nil
            job.restorable = false
            job.restoredAt = at
            job.restoredBy = personID
            s.imports.jobs[id] = job
            return ImportRestoration(
                importID: id, fileName: job.fileName, importedAt: job.startedAt,
                accountsBack: undo?.previous.count ?? 0, addedRetired: undo?.added.count ?? 0)
        }
    }

    public func completeImport(id: UUID, at: Date) async throws {
        write {
            $0.imports.jobs[id]?.status = "succeeded"
            $0.imports.jobs[id]?.finishedAt = at
        }
    }

    public func failImport(id: UUID, message: String, at: Date) async throws {
        write {
            $0.imports.jobs[id]?.status = "failed"
            $0.imports.jobs[id]?.message = String(message.prefix(2000))
            $0.imports.jobs[id]?.finishedAt = at
        }
    }

    /// Matches the lists it holds (`known` is what an import of the Fluent store gives; this store's
    /// import gives none).
    public func refreshOverlaps(of partnership: Partnership, at: Date, known: ImportedAccounts?) async throws -> Int {
        let lists = read { s in
            partnership.organizationIDs.map { org in
                s.crmAccounts.values.filter { $0.organizationID == org && $0.status == "active" }
                    .sorted { $0.crmID < $1.crmID }
            }
        }
        let a = try AccountTable.of(lists[0])
        let b = try AccountTable.of(lists[1])
        let found = AccountMatcher.match(host: a, partner: b, findDuplicates: false).overlaps
        let byCRM = lists.map { list in Dictionary(list.map { ($0.crmID, $0) }, uniquingKeysWith: { x, _ in x }) }
        return write { s in
            // Pairs already known keep their id, hence the joint account linked to them.
            var known: [String: StoredOverlap] = [:]
            for o in s.overlaps where o.partnershipID == partnership.id {
                known[o.accounts.map(\.id.uuidString).joined(separator: "|")] = o
            }
            let fresh = found.compactMap { o -> StoredOverlap? in
                guard let x = byCRM[0][a.id(at: o.hostIndex)], let y = byCRM[1][b.id(at: o.partnerIndex)] else {
                    return nil
                }
                let pair = [x, y]
                return StoredOverlap(
                    id: known[pair.map(\.id.uuidString).joined(separator: "|")]?.id ?? UUID(),
                    partnershipID: partnership.id, accounts: pair, relation: o.relation.rawValue,
                    method: o.method.rawValue, score: o.score)
            }
            // A deal's pair with an account retired is kept, hidden, as the Fluent store does.
            let freshIDs = Set(fresh.map(\.id))
            let hidden = s.overlaps.filter { o in
                o.partnershipID == partnership.id && !freshIDs.contains(o.id)
                    && (s.overlapLinks[o.id] ?? o.jointAccountID) != nil
                    && !o.accounts.allSatisfy { (s.crmAccounts[$0.id] ?? $0).status == "active" }
            }
            s.overlaps = s.overlaps.filter { $0.partnershipID != partnership.id } + fresh + hidden
            return fresh.count
        }
    }

    public func savePendingUpload(_ upload: PendingUpload) async throws {
        write { $0.imports.pendingUploads[upload.id] = upload }
    }

    public func pendingUpload(_ id: UUID, personID: UUID) async throws -> PendingUpload? {
        read { s in s.imports.pendingUploads[id].flatMap { $0.personID == personID ? $0 : nil } }
    }

    public func deletePendingUpload(_ id: UUID) async throws {
        write { $0.imports.pendingUploads[id] = nil }
    }

    public func dropPendingUploads(before date: Date) async throws {
        write { $0.imports.pendingUploads = $0.imports.pendingUploads.filter { $0.value.createdAt >= date } }
    }
}
