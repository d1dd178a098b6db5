import CoSellDomain
import CoSellMatching
import FluentKit
import FluentSQL
import Foundation

/// One account of one organization's CRM, as imported.
public struct CRMAccount: Codable, Sendable, Equatable, Identifiable {
    public var id: UUID
    public var organizationID: UUID
    public var crmID: String
    public var name: String
    public var website: String?
    public var domain: String?
    public var country: String?
    public var industry: String?
    public var employees: Int?
    public var population: String
    /// `active`, or `retired` when a later import no longer had it.
    public var status: String
    public var updatedAt: Date
    /// The postal address from the export (Salesforce: the billing address); nil when it has none.
    public var address: CustomerAddress? = nil
}

/// One import of a CRM export: what it did, or why it failed.
public struct AccountImport: Codable, Sendable, Equatable, Identifiable {
    public var id: UUID
    public var organizationID: UUID
    public var fileName: String
    public var format: String?
    /// `running`, `succeeded` or `failed`.
    public var status: String
    public var totalRows: Int
    public var added: Int
    public var updated: Int
    public var unchanged: Int
    public var retired: Int
    /// Rows left out because they had no name.
    public var skipped: Int
    public var duplicatePairs: Int
    /// Why it failed, naming the line.
    public var message: String?
    public var startedAt: Date
    public var finishedAt: Date?
}

/// How much of one population an organization shows its partner, as users know it from Crossbeam.
public enum SharingLevel: String, Codable, Sendable, CaseIterable, Comparable {
    case hidden
    case counts
    case overlappingAccounts = "overlapping_accounts"
    case allAccounts = "all_accounts"

    var rank: Int { SharingLevel.allCases.firstIndex(of: self)! }
    public static func < (a: SharingLevel, b: SharingLevel) -> Bool { a.rank < b.rank }
}

public struct SharingSetting: Codable, Sendable, Equatable {
    public var organizationID: UUID
    public var population: String
    public var level: SharingLevel
}

/// An overlap between the two organizations of a partnership, with both accounts.
public struct StoredOverlap: Codable, Sendable, Equatable, Identifiable {
    public var id: UUID
    public var partnershipID: UUID
    /// The accounts, in the partnership's organization order.
    public var accounts: [CRMAccount]
    public var relation: String
    public var method: String
    public var score: Double
    public var jointAccountID: UUID?
}

/// An organization's settings for account mapping.
public struct OrganizationSettings: Codable, Sendable, Equatable {
    public var idealCustomerProfile: IdealCustomerProfile?
    public var populationRules: PopulationRules?

    public init(idealCustomerProfile: IdealCustomerProfile? = nil, populationRules: PopulationRules? = nil) {
        self.idealCustomerProfile = idealCustomerProfile
        self.populationRules = populationRules
    }
}

final class CRMAccountRecord: Model, @unchecked Sendable {
    static let schema = "crm_accounts"
    @ID(custom: "id", generatedBy: .user) var id: UUID?
    @Field(key: "organization_id") var organizationID: UUID
    @Field(key: "crm_id") var crmID: String
    @Field(key: "name") var name: String
    @OptionalField(key: "website") var website: String?
    @OptionalField(key: "domain") var domain: String?
    @OptionalField(key: "country") var country: String?
    @OptionalField(key: "industry") var industry: String?
    @OptionalField(key: "employees") var employees: Int?
    @Field(key: "population") var population: String
    @Field(key: "status") var status: String
    @OptionalField(key: "import_id") var importID: UUID?
    @Field(key: "updated_at") var updatedAt: Date
    @OptionalField(key: "street") var street: String?
    @OptionalField(key: "city") var city: String?
    @OptionalField(key: "state") var state: String?
    @OptionalField(key: "postal_code") var postalCode: String?

    init() {}

    var value: CRMAccount {
        CRMAccount(
            id: id!, organizationID: organizationID, crmID: crmID, name: name, website: website, domain: domain,
            country: country, industry: industry, employees: employees, population: population, status: status,
            updatedAt: updatedAt,
            address: CustomerAddress(line1: street, city: city, state: state, postalCode: postalCode).nonEmpty)
    }

    /// Sets the fields from an imported record; returns whether anything changed.
    func apply(_ r: AccountRecord) -> Bool {
        let domain = r.domain.matchable
        let changed =
            $name.value == nil || name != r.name || website != r.website || self.domain != domain
            || country != r.country
            || industry != r.industry || employees != r.employees || population != r.population.rawValue
            || status != "active" || street != r.street || city != r.city || state != r.state
            || postalCode != r.postalCode
        name = r.name
        website = r.website
        self.domain = domain
        country = r.country
        industry = r.industry
        employees = r.employees
        population = r.population.rawValue
        status = "active"
        street = r.street
        city = r.city
        state = r.state
        postalCode = r.postalCode
        return changed
    }
}

final class AccountImportRecord: Model, @unchecked Sendable {
    static let schema = "account_imports"
    @ID(custom: "id", generatedBy: .user) var id: UUID?
    @Field(key: "organization_id") var organizationID: UUID
    @Field(key: "file_name") var fileName: String
    @OptionalField(key: "format") var format: String?
    @Field(key: "status") var status: String
    @Field(key: "total_rows") var totalRows: Int
    @Field(key: "added") var added: Int
    @Field(key: "updated") var updated: Int
    @Field(key: "unchanged") var unchanged: Int
    @Field(key: "retired") var retired: Int
    @Field(key: "skipped") var skipped: Int
    @Field(key: "duplicate_pairs") var duplicatePairs: Int
    @OptionalField(key: "message") var message: String?
    @OptionalField(key: "created_by") var createdBy: UUID?
    @Field(key: "started_at") var startedAt: Date
    @OptionalField(key: "finished_at") var finishedAt: Date?

    init() {}

    var value: AccountImport {
        AccountImport(
            id: id!, organizationID: organizationID, fileName: fileName, format: format, status: status,
            totalRows: totalRows, added: added, updated: updated, unchanged: unchanged, retired: retired,
            skipped: skipped, duplicatePairs: duplicatePairs, message: message, startedAt: startedAt,
            finishedAt: finishedAt)
    }
}

final class OrganizationSettingsRecord: Model, @unchecked Sendable {
    static let schema = "organization_settings"
    @ID(custom: "organization_id", generatedBy: .user) var id: UUID?
    @OptionalField(key: "icp") var icp: String?
    @OptionalField(key: "population_rules") var populationRules: String?
    @Field(key: "updated_at") var updatedAt: Date

    init() {}
}

final class SharingRecord: Model, @unchecked Sendable {
    static let schema = "partnership_sharing"
    @ID(custom: "id", generatedBy: .user) var id: UUID?
    @Field(key: "partnership_id") var partnershipID: UUID
    @Field(key: "organization_id") var organizationID: UUID
    @Field(key: "population") var population: String
    @Field(key: "level") var level: String
    @Field(key: "updated_at") var updatedAt: Date

    init() {}
}

final class OverlapRecord: Model, @unchecked Sendable {
    static let schema = "overlaps"
    @ID(custom: "id", generatedBy: .user) var id: UUID?
    @Field(key: "partnership_id") var partnershipID: UUID
    @Field(key: "account_a_id") var accountAID: UUID
    @Field(key: "account_b_id") var accountBID: UUID
    @Field(key: "relation") var relation: String
    @Field(key: "method") var method: String
    @Field(key: "score") var score: Double
    @OptionalField(key: "joint_account_id") var jointAccountID: UUID?
    @Field(key: "refreshed_at") var refreshedAt: Date

    init() {}
}

extension CoSellStore {
    // MARK: imports

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
        try await r.create(on: db)
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

    // MARK: settings and sharing

    public func settings(of organizationID: UUID) async throws -> OrganizationSettings {
        guard let r = try await OrganizationSettingsRecord.find(organizationID, on: db) else { return .init() }
        return OrganizationSettings(
            idealCustomerProfile: try r.icp.map { try JSONColumn.decode(IdealCustomerProfile.self, from: $0) },
            populationRules: try r.populationRules.map { try JSONColumn.decode(PopulationRules.self, from: $0) })
    }

    public func saveSettings(_ s: OrganizationSettings, of organizationID: UUID, at: Date) async throws {
        let r = try await OrganizationSettingsRecord.find(organizationID, on: db) ?? OrganizationSettingsRecord()
        let isNew = r.id == nil
        r.id = organizationID
        r.icp = try s.idealCustomerProfile.map(JSONColumn.encode)
        r.populationRules = try s.populationRules.map(JSONColumn.encode)
        r.updatedAt = at
        if isNew { try await r.create(on: db) } else { try await r.update(on: db) }
    }

    /// Every population's sharing level for both organizations; unset ones are `hidden`.
    public func sharing(of partnership: Partnership) async throws -> [SharingSetting] {
        let rows = try await SharingRecord.query(on: db).filter(\.$partnershipID == partnership.id).all()
        var out: [SharingSetting] = []
        for org in partnership.organizationIDs {
            for pop in Population.allCases {
                let level =
                    rows.first { $0.organizationID == org && $0.population == pop.rawValue }
                    .flatMap { SharingLevel(rawValue: $0.level) } ?? .hidden
                out.append(SharingSetting(organizationID: org, population: pop.rawValue, level: level))
            }
        }
        return out
    }

    public func setSharing(
        _ level: SharingLevel, population: String, organizationID: UUID, partnershipID: UUID, at: Date
    ) async throws {
        if let r = try await SharingRecord.query(on: db).filter(\.$partnershipID == partnershipID)
            .filter(\.$organizationID == organizationID).filter(\.$population == population).first()
        {
            r.level = level.rawValue
            r.updatedAt = at
            try await r.update(on: db)
        } else {
            let r = SharingRecord()
            r.id = UUID()
            r.partnershipID = partnershipID
            r.organizationID = organizationID
            r.population = population
            r.level = level.rawValue
            r.updatedAt = at
            try await r.create(on: db)
        }
    }

    // MARK: overlaps

    /// Matches the two organizations' active accounts and stores the overlaps, keeping the link of
    /// pairs that were already known (and the joint accounts started from them).
    @discardableResult
    public func refreshOverlaps(of partnership: Partnership, at: Date) async throws -> Int {
        let a = try await accounts(of: partnership.organizationIDs[0])
        let b = try await accounts(of: partnership.organizationIDs[1])
        func table(_ list: [CRMAccount]) throws -> AccountTable {
            try AccountTable.from(
                rows: list.map { acc in
                    var row: [AccountField: String] = [.id: acc.crmID, .name: acc.name, .population: acc.population]
                    if let w = acc.website ?? acc.domain { row[.website] = w }
                    if let c = acc.country { row[.country] = c }
                    if let i = acc.industry { row[.industry] = i }
                    if let e = acc.employees { row[.employees] = String(e) }
                    return row
                })
        }
        let ta = try table(a)
        let tb = try table(b)
        let result = AccountMatcher.match(host: ta, partner: tb, findDuplicates: false)
        let byCRM = (
            Dictionary(uniqueKeysWithValues: a.map { ($0.crmID, $0.id) }),
            Dictionary(uniqueKeysWithValues: b.map { ($0.crmID, $0.id) })
        )
        var fresh: [String: (UUID, UUID, Overlap)] = [:]
        for o in result.overlaps {
            guard let ia = byCRM.0[ta.id(at: o.hostIndex)], let ib = byCRM.1[tb.id(at: o.partnerIndex)] else {
                continue
            }
            fresh["\(ia)|\(ib)"] = (ia, ib, o)
        }
        let freshPairs = fresh
        try await transaction { tx in
            // Write first (see importAccounts): concurrent refreshes of one partnership run one after the other.
            try await PartnershipRecord.query(on: tx).filter(\.$id == partnership.id).set(\.$name, to: partnership.name)
                .update()
            let old = try await OverlapRecord.query(on: tx).filter(\.$partnershipID == partnership.id).all()
            var kept = Set<String>()
            for r in old {
                let key = "\(r.accountAID)|\(r.accountBID)"
                if let (_, _, o) = freshPairs[key] {
                    r.relation = o.relation.rawValue
                    r.method = o.method.rawValue
                    r.score = o.score
                    r.refreshedAt = at
                    try await r.update(on: tx)
                    kept.insert(key)
                } else {
                    try await r.delete(on: tx)
                }
            }
            var batch: [OverlapRecord] = []
            for (key, (ia, ib, o)) in freshPairs where !kept.contains(key) {
                let r = OverlapRecord()
                r.id = UUID()
                r.partnershipID = partnership.id
                r.accountAID = ia
                r.accountBID = ib
                r.relation = o.relation.rawValue
                r.method = o.method.rawValue
                r.score = o.score
                r.refreshedAt = at
                batch.append(r)
                if batch.count == 500 {
                    try await batch.create(on: tx)
                    batch.removeAll()
                }
            }
            if !batch.isEmpty { try await batch.create(on: tx) }
            // A joint account started before either export carried an address gets one now, from the
            // first side of the pair that has one (never overwriting an address it holds).
            let byID = Dictionary((a + b).map { ($0.id, $0) }, uniquingKeysWith: { x, _ in x })
            for r in old where kept.contains("\(r.accountAID)|\(r.accountBID)") {
                guard let joint = r.jointAccountID,
                    let source = [byID[r.accountAID], byID[r.accountBID]].compactMap({ $0 }).first(where: {
                        $0.address != nil
                    }), let address = source.address
                else { continue }
                try await JointAccountRecord.query(on: tx).filter(\.$id == joint).filter(\.$street == nil)
                    .filter(\.$city == nil).filter(\.$state == nil).filter(\.$postalCode == nil)
                    .set(\.$street, to: address.line1).set(\.$city, to: address.city).set(\.$state, to: address.state)
                    .set(\.$postalCode, to: address.postalCode).update()
            }
        }
        return fresh.count
    }

    public func overlaps(of partnership: Partnership) async throws -> [StoredOverlap] {
        let rows = try await OverlapRecord.query(on: db).filter(\.$partnershipID == partnership.id).all()
        let a = Dictionary(
            uniqueKeysWithValues: try await accounts(of: partnership.organizationIDs[0], includeRetired: true).map {
                ($0.id, $0)
            })
        let b = Dictionary(
            uniqueKeysWithValues: try await accounts(of: partnership.organizationIDs[1], includeRetired: true).map {
                ($0.id, $0)
            })
        return rows.compactMap { r in
            guard let x = a[r.accountAID], let y = b[r.accountBID], x.status == "active", y.status == "active" else {
                return nil
            }
            return StoredOverlap(
                id: r.id!, partnershipID: r.partnershipID, accounts: [x, y], relation: r.relation, method: r.method,
                score: r.score, jointAccountID: r.jointAccountID)
        }
    }

    public func linkOverlap(_ overlapID: UUID, to jointAccountID: UUID) async throws {
        guard let r = try await OverlapRecord.find(overlapID, on: db) else { throw StoreError.notFound("overlap") }
        r.jointAccountID = jointAccountID
        try await r.update(on: db)
    }
}
