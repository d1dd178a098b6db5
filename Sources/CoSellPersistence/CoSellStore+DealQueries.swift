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
        /// The deal with the earliest due open move first; deals without due moves last.
        case nextDueAscending
    }

    /// Deals of this organization's partnerships.
    public var organizationID: UUID
    public var partnershipID: UUID?
    public var statuses: [DealStatus]?
    /// Only deals still being worked through the playbook (not completed, not abandoned or ended).
    public var inPlayOnly: Bool
    /// Only deals this person is on, by the `deal_participants` table (the people `Visibility.isOnDeal`
    /// names).
    public var mentioning: UUID?
    /// Only deals where `organizationID` plays this side.
    public var side: Side?
    public var stageIndex: Int?
    /// Only deals that may be stalled: idle since, in the stage since, or with a move due before.
    public var possiblyStalled: (idleBefore: Date, inStageBefore: Date, dueBefore: LocalDate)?
    public var order: Order
    public var limit: Int
    public var offset: Int = 0

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
    /// The query's conditions on the `deals` table, in SQL (the columns and the participants table).
    func filtered<B: SQLPredicateBuilder>(_ b: B, _ q: DealQuery) -> B {
        var b = b
        switch q.side {
        case .host: b = b.where("host_organization_id", .equal, q.organizationID)
        case .partner: b = b.where("partner_organization_id", .equal, q.organizationID)
        case nil:
            b = b.where(group: {
                $0.where("host_organization_id", .equal, q.organizationID)
                    .orWhere("partner_organization_id", .equal, q.organizationID)
            })
        }
        if let p = q.partnershipID { b = b.where("partnership_id", .equal, p) }
        if let s = q.statuses { b = b.where("status", .in, s.map(\.rawValue)) }
        if q.inPlayOnly {
            b = b.where("completed_at", .is, SQLLiteral.null)
                .where("status", .in, [DealStatus.open, .won, .lost].map(\.rawValue))
        }
        if let m = q.mentioning {
            b = b.where(
                SQLColumn("id"), .in,
                SQLSubquery.select {
                    $0.column("deal_id").from("deal_participants").where("person_id", .equal, m)
                })
        }
        if let i = q.stageIndex { b = b.where("stage_index", .equal, i) }
        if let s = q.possiblyStalled {
            b = b.where(group: {
                $0.where("last_activity_at", .lessThan, s.idleBefore)
                    .orWhere("stage_entered_at", .lessThan, s.inStageBefore)
                    .orWhere("next_due_on", .lessThan, s.dueBefore.description)
            })
        }
        return b
    }

    /// The facts of the deals a query selects, in its order: what the board and the home page show,
    /// without decoding a single document. Two steps: the ids in order (sorting only small, indexed
    /// columns of `deals`), then the facts of those ids.
    public func dealFacts(_ q: DealQuery) async throws -> [DealFacts] {
        let ids = try await orderedIDs(q)
        if ids.isEmpty { return [] }
        let byID = try await facts(ids: ids)
        return ids.compactMap { byID[$0] }
    }

    /// The ids of the deals a query selects, in its order, sorting only small columns.
    func orderedIDs(_ q: DealQuery) async throws -> [UUID] {
        var b = filtered(try sql.select().column("id").from(DealRecord.schema), q)
        switch q.order {
        case .lastActivityDescending: b = b.orderBy("last_activity_at", .descending)
        case .lastActivityAscending: b = b.orderBy("last_activity_at", .ascending)
        case .stageEnteredAscending: b = b.orderBy("stage_entered_at", .ascending)
        case .nextDueAscending:
            b = b.orderBy(SQLBinaryExpression(SQLColumn("next_due_on"), .is, SQLLiteral.null), SQLDirection.ascending)
                .orderBy("next_due_on", .ascending)
        }
        return try await b.orderBy("id").limit(q.limit).offset(q.offset).all().map {
            try $0.decode(column: "id", as: UUID.self)
        }
    }

    /// Count and amount by stage for the deals a query selects (limit and order are ignored).
    public func stageTotals(_ q: DealQuery) async throws -> [StageTotal] {
        let rows = try await filtered(
            try sql.select().column("stage_index").column("currency")
                .column(SQLRaw("CAST(COUNT(*) AS BIGINT)"), as: "n")
                .column(SQLRaw("CAST(SUM(amount_minor) AS BIGINT)"), as: "total")
                .from(DealRecord.schema), q
        ).groupBy("stage_index").groupBy("currency").all()
        var byStage: [Int: StageTotal] = [:]
        for r in rows {
            let i = try r.decode(column: "stage_index", as: Int.self)
            var t = byStage[i] ?? StageTotal(stageIndex: i, count: 0, amounts: [:])
            t.count += try r.decode(column: "n", as: Int.self)
            if let c = try r.decode(column: "currency", as: String?.self),
                let total = try r.decode(column: "total", as: Int64?.self)
            {
                t.amounts[c, default: 0] += total
            }
            byStage[i] = t
        }
        return byStage.values.sorted { $0.stageIndex < $1.stageIndex }
    }

    /// Keeps the deal's people in the lookup table (in the caller's transaction).
    static func syncParticipants(_ deal: Deal, on db: any Database) async throws {
        guard let sql = db as? any SQLDatabase else { return }
        try await sql.delete(from: "deal_participants").where("deal_id", .equal, deal.id).run()
        let ids = deal.participantIDs.sorted { $0.uuidString < $1.uuidString }
        guard !ids.isEmpty else { return }
        var insert = sql.insert(into: "deal_participants").columns("deal_id", "person_id")
        for id in ids { insert = insert.values(SQLBind(deal.id), SQLBind(id)) }
        try await insert.run()
    }

    /// The deal in play on each of these joint accounts of a partnership (joint account id -> deal id).
    public func dealsInPlay(partnershipID: UUID, jointAccountIDs: [UUID]) async throws -> [UUID: UUID] {
        if jointAccountIDs.isEmpty { return [:] }
        let rows = try await DealRecord.query(on: db).filter(\.$partnershipID == partnershipID)
            .filter(\.$jointAccountID ~~ jointAccountIDs)
            .filter(\.$completedAt == nil).filter(\.$status ~~ [DealStatus.open, .won, .lost].map(\.rawValue))
            .field(\.$id).field(\.$jointAccountID).all()
        var out: [UUID: UUID] = [:]
        for r in rows { if let id = r.id { out[r.jointAccountID] = id } }
        return out
    }
}
