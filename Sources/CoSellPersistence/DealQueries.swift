import CoSellDomain
import FluentKit
import FluentSQL
import Foundation

/// What the pages ask of the deals: narrowed in SQL by the columns, so that a page reads only the
/// documents it shows. Callers still apply the exact rules (visibility, stall) to what comes back.
public struct DealQuery: Sendable {
    public enum Order: Sendable {
        case lastActivityDescending
        case lastActivityAscending
        case stageEnteredAscending
    }

    /// Deals of this organization's partnerships.
    public var organizationID: UUID
    public var partnershipID: UUID?
    public var statuses: [DealStatus]?
    /// Only deals still being worked through the playbook (not completed, not abandoned or ended).
    public var inPlayOnly: Bool
    /// Only deals whose document names this person (a cheap pre-filter; check `Visibility.isOnDeal`).
    public var mentioning: UUID?
    /// Only deals where `organizationID` plays this side.
    public var side: Side?
    public var stageIndex: Int?
    /// Only deals that may be stalled: idle since, in the stage since, or with a move due before.
    public var possiblyStalled: (idleBefore: Date, inStageBefore: Date, dueBefore: LocalDate)?
    public var order: Order
    public var limit: Int

    public init(
        organizationID: UUID, partnershipID: UUID? = nil, statuses: [DealStatus]? = nil, inPlayOnly: Bool = false,
        mentioning: UUID? = nil, side: Side? = nil, stageIndex: Int? = nil,
        possiblyStalled: (idleBefore: Date, inStageBefore: Date, dueBefore: LocalDate)? = nil,
        order: Order = .lastActivityDescending, limit: Int = 50
    ) {
        self.organizationID = organizationID
        self.partnershipID = partnershipID
        self.statuses = statuses
        self.inPlayOnly = inPlayOnly
        self.mentioning = mentioning
        self.side = side
        self.stageIndex = stageIndex
        self.possiblyStalled = possiblyStalled
        self.order = order
        self.limit = limit
    }
}

/// Count and amounts of the deals in one stage column.
public struct StageTotal: Sendable, Equatable {
    public var stageIndex: Int
    public var count: Int
    /// Sum of amounts by currency code, in minor units.
    public var amounts: [String: Int64]
}

extension CoSellStore {
    func baseQuery(_ q: DealQuery) -> QueryBuilder<DealRecord> {
        var b = DealRecord.query(on: db)
        switch q.side {
        case .host: b = b.filter(\.$hostOrganizationID == q.organizationID)
        case .partner: b = b.filter(\.$partnerOrganizationID == q.organizationID)
        case nil:
            b = b.group(.or) {
                $0.filter(\.$hostOrganizationID == q.organizationID).filter(
                    \.$partnerOrganizationID == q.organizationID)
            }
        }
        if let p = q.partnershipID { b = b.filter(\.$partnershipID == p) }
        if let s = q.statuses { b = b.filter(\.$status ~~ s.map(\.rawValue)) }
        if q.inPlayOnly {
            b = b.filter(\.$completedAt == nil).filter(
                \.$status ~~ [DealStatus.open, .won, .lost].map(\.rawValue))
        }
        if let m = q.mentioning { b = b.filter(\.$document ~~ m.uuidString) }
        if let i = q.stageIndex { b = b.filter(\.$stageIndex == i) }
        if let s = q.possiblyStalled {
            b = b.group(.or) {
                $0.filter(\.$lastActivityAt < s.idleBefore).filter(\.$stageEnteredAt < s.inStageBefore)
                    .filter(\.$nextDueOn < s.dueBefore.description)
            }
        }
        return b
    }

    /// The deals a page shows, in the order it asks.
    public func deals(_ q: DealQuery) async throws -> [Deal] {
        var b = baseQuery(q)
        switch q.order {
        case .lastActivityDescending: b = b.sort(\.$lastActivityAt, .descending)
        case .lastActivityAscending: b = b.sort(\.$lastActivityAt, .ascending)
        case .stageEnteredAscending: b = b.sort(\.$stageEnteredAt, .ascending)
        }
        return try await b.sort(\.$id).limit(q.limit).all().map { try $0.domainValue() }
    }

    /// Count and amount by stage for the deals a query selects (limit and order are ignored).
    public func stageTotals(_ q: DealQuery) async throws -> [StageTotal] {
        let rows = try await baseQuery(q).field(\.$stageIndex).field(\.$amountMinor).field(\.$currency).all()
        var byStage: [Int: StageTotal] = [:]
        for r in rows {
            var t = byStage[r.stageIndex] ?? StageTotal(stageIndex: r.stageIndex, count: 0, amounts: [:])
            t.count += 1
            if let a = r.amountMinor, let c = r.currency { t.amounts[c, default: 0] += a }
            byStage[r.stageIndex] = t
        }
        return byStage.values.sorted { $0.stageIndex < $1.stageIndex }
    }

    /// The deal in play on each joint account of a partnership (joint account id -> deal id).
    public func dealsInPlay(partnershipID: UUID) async throws -> [UUID: UUID] {
        let rows = try await DealRecord.query(on: db).filter(\.$partnershipID == partnershipID)
            .filter(\.$completedAt == nil).filter(\.$status ~~ [DealStatus.open, .won, .lost].map(\.rawValue))
            .field(\.$id).field(\.$jointAccountID).all()
        var out: [UUID: UUID] = [:]
        for r in rows { if let id = r.id { out[r.jointAccountID] = id } }
        return out
    }

    /// Every version of every playbook (few rows: for stall limits and the playbooks page).
    public func allPlaybookVersions() async throws -> [Playbook] {
        try await PlaybookRecord.query(on: db).sort(\.$version).all().map { try $0.domainValue() }
    }

    // MARK: uploads waiting for confirmation

    public func savePendingUpload(
        id: UUID, organizationID: UUID, personID: UUID, fileName: String, data: Data, at: Date
    ) async throws {
        // Uploads nobody confirmed within a day are dropped.
        try await PendingUploadRecord.query(on: db).filter(\.$createdAt < at.addingTimeInterval(-86_400)).delete()
        let r = PendingUploadRecord()
        r.id = id
        r.organizationID = organizationID
        r.personID = personID
        r.fileName = fileName
        r.data = data
        r.createdAt = at
        try await r.create(on: db)
    }

    public func pendingUpload(
        _ id: UUID, personID: UUID
    ) async throws -> (fileName: String, data: Data, organizationID: UUID)? {
        guard let r = try await PendingUploadRecord.find(id, on: db), r.personID == personID else { return nil }
        return (r.fileName, r.data, r.organizationID)
    }

    public func deletePendingUpload(_ id: UUID) async throws {
        try await PendingUploadRecord.query(on: db).filter(\.$id == id).delete()
    }
}

final class PendingUploadRecord: Model, @unchecked Sendable {
    static let schema = "pending_uploads"
    @ID(custom: "id", generatedBy: .user) var id: UUID?
    @Field(key: "organization_id") var organizationID: UUID
    @Field(key: "person_id") var personID: UUID
    @Field(key: "file_name") var fileName: String
    @Field(key: "data") var data: Data
    @Field(key: "created_at") var createdAt: Date

    init() {}
}
