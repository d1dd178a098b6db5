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
    }

    public var jobs: [UUID: Job] = [:]
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

    public func importAccounts(
        _ table: AccountTable, organizationID: UUID, importID: UUID, at: Date, retireMissing: Bool,
        progress: @escaping @Sendable (Double) -> Void
    ) async throws {
        let records = table.records
        try write { s in
            guard var job = s.imports.jobs[importID] else { throw WorkflowError.notFound("import") }
            var existing: [String: CRMAccount] = [:]
            for a in s.crmAccounts.values where a.organizationID == organizationID { existing[a.crmID] = a }
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
                } else {
                    job.added += 1
                }
                s.crmAccounts[account.id] = account
            }
            for (crmID, old) in existing where retireMissing && !seen.contains(crmID) && old.status == "active" {
                s.crmAccounts[old.id]?.status = "retired"
                s.crmAccounts[old.id]?.updatedAt = at
                job.retired += 1
            }
            s.imports.jobs[importID] = job
        }
        progress(1)
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

    public func refreshOverlaps(of partnership: Partnership, at: Date) async throws -> Int {
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
            s.overlaps = s.overlaps.filter { $0.partnershipID != partnership.id } + fresh
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
