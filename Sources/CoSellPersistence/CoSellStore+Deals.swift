import CoSellDomain
import FluentKit
import FluentSQL
import Foundation

public struct DealFilter: Sendable {
    public var partnershipID: UUID?
    public var status: DealStatus?
    public var stageKey: String?
    public var limit: Int
    public var offset: Int

    public init(
        partnershipID: UUID? = nil, status: DealStatus? = nil, stageKey: String? = nil, limit: Int = 50, offset: Int = 0
    ) {
        self.partnershipID = partnershipID
        self.status = status
        self.stageKey = stageKey
        self.limit = limit
        self.offset = offset
    }
}

extension CoSellStore {
    public func deal(_ id: UUID) async throws -> Deal? {
        try await DealRecord.find(id, on: db)?.domainValue()
    }

    /// Deals of the partnerships an organization belongs to, newest first.
    public func deals(visibleTo organizationID: UUID, filter: DealFilter) async throws -> Page<Deal> {
        var q = DealRecord.query(on: db).group(.or) {
            $0.filter(\.$hostOrganizationID == organizationID).filter(\.$partnerOrganizationID == organizationID)
        }
        if let p = filter.partnershipID { q = q.filter(\.$partnershipID == p) }
        if let s = filter.status { q = q.filter(\.$status == s.rawValue) }
        if let k = filter.stageKey { q = q.filter(\.$stageKey == k) }
        let total = try await q.count()
        let items = try await q.sort(\.$createdAt, .descending).sort(\.$id)
            .range(filter.offset..<(filter.offset + filter.limit)).all().map { try $0.domainValue() }
        return Page(items: items, total: total)
    }

    /// Saves a changed deal if nobody saved it since `expectedVersion` was read, appends the
    /// timeline entries and keeps the facts, participants, registration ledger and lesson library in
    /// step, all in one transaction (the caller's, when it has one). Queuing the change's webhook
    /// events is the verb's step (`DealWorkflows`), in the same transaction.
    /// Returns the saved deal with its new version.
    public func save(
        _ deal: Deal, stageKey: String, expectedVersion: Int, changes: [DealChange], actor: Actor, at: Date
    ) async throws -> Deal {
        var saved = deal
        saved.version = expectedVersion + 1
        let document = try JSONColumn.encode(saved)
        let facts = DealFactsRecord(
            saved, playbook: try await playbook(saved.playbookID, version: saved.playbookVersion))
        let final = saved
        try await transaction { tx in
            guard let sql = tx as? any SQLDatabase else {
                throw StoreError.conflict("The database does not speak SQL.")
            }
            let rows = try await sql.update(DealRecord.schema)
                .set("title", to: final.title)
                .set("stage_key", to: stageKey)
                .set("stage_index", to: final.stageIndex)
                .set("status", to: final.status.rawValue)
                .set("amount_minor", to: final.amount?.minorUnits)
                .set("currency", to: final.amount?.currency.code)
                .set("expected_close_date", to: final.expectedCloseDate?.description)
                .set("stage_entered_at", to: final.stageEnteredAt)
                .set("last_activity_at", to: final.lastActivityAt)
                .set("completed_at", to: final.completedAt)
                .set("version", to: final.version)
                .set("next_due_on", to: final.nextDueOn?.description)
                .set("document", to: document)
                .where("id", .equal, final.id)
                .where("version", .equal, expectedVersion)
                .returning("id")
                .all()
            guard !rows.isEmpty else {
                throw StoreError.conflict(
                    "The deal was changed by someone else since version \(expectedVersion) was read; reload it and try again."
                )
            }
            let last = try await DealEventRecord.query(on: tx).filter(\.$dealID == final.id).max(\.$sequence) ?? 0
            for (i, c) in changes.enumerated() {
                try await DealEventRecord(
                    DealEvent(
                        id: UUID(), dealID: final.id, sequence: last + i + 1, at: at, actorID: actor.personID,
                        actorName: actor.name, kind: c.kind, summary: c.summary, before: c.before, after: c.after),
                    partnershipID: final.partnershipID
                ).create(on: tx)
            }
            facts.changedAtRevision = try await Self.nextFactsRevision(final.partnershipID, on: tx)
            try await Self.saveFacts(facts, on: tx)
            try await syncRegistration(final, on: tx)
            try await Self.syncParticipants(final, on: tx)
            try await LessonLibrary.sync(final, on: tx)
        }
        return final
    }

    /// Keeps the registrations table in step with the deal: a row per registered deal, holding the
    /// open slot while the deal is in play so that a duplicate open registration cannot exist.
    func syncRegistration(_ deal: Deal, on tx: any Database) async throws {
        guard let reg = deal.evidence.close.registration else { return }
        let slot = deal.isInPlay ? "open" : deal.id.uuidString
        if let existing = try await RegistrationRecord.query(on: tx).filter(\.$dealID == deal.id).first() {
            if existing.openSlot != slot {
                existing.openSlot = slot
                try await existing.update(on: tx)
            }
            return
        }
        if slot == "open",
            let other = try await RegistrationRecord.query(on: tx)
                .filter(\.$partnershipID == deal.partnershipID).filter(\.$jointAccountID == deal.jointAccountID)
                .filter(\.$openSlot == "open").first()
        {
            throw StoreError.conflict(
                "Duplicate registration: \(other.registrationCode) is already open for this account in this partnership (deal \(other.dealID.uuidString))."
            )
        }
        let r = RegistrationRecord(deal, registration: reg, openSlot: slot)
        do {
            try await r.create(on: tx)
        } catch let e as any DatabaseError where e.isConstraintFailure {
            throw StoreError.conflict(
                "Duplicate registration: another registration is already open for this account in this partnership.")
        }
    }

    public func timeline(of dealID: UUID) async throws -> [DealEvent] {
        try await DealEventRecord.query(on: db).filter(\.$dealID == dealID).sort(\.$sequence).all().map(\.domainValue)
    }

    /// Open deals of a partnership (for ending it).
    public func openDeals(of partnershipID: UUID) async throws -> [Deal] {
        try await DealRecord.query(on: db).filter(\.$partnershipID == partnershipID).filter(\.$status == "open").all()
            .map { try $0.domainValue() }
    }

    /// Whole deals by id (in no particular order), read in chunks.
    public func deals(ids: [UUID]) async throws -> [Deal] {
        var out: [Deal] = []
        var start = 0
        while start < ids.count {
            let chunk = Array(ids[start..<min(ids.count, start + 500)])
            start += chunk.count
            let rows = try await sql.select().column("document").column("version").from(DealRecord.schema)
                .where("id", .in, chunk).all()
            out += try await Self.decodeDeals(
                try rows.map {
                    (try $0.decode(column: "document", as: String.self), try $0.decode(column: "version", as: Int.self))
                })
        }
        return out
    }

    /// Writes a deal with a history that was built elsewhere (the demo workspace, an import), in one
    /// transaction (the caller's, when it has one): the deal is written whole or not at all, and a
    /// facts cache never sees its partnership's new revision without the deal's facts.
    public func importDeal(_ deal: Deal, stageKey: String, events: [(DealChange, Actor, Date)]) async throws {
        let playbook = try await playbook(deal.playbookID, version: deal.playbookVersion)
        try await transaction { db in
            try await DealRecord(deal, stageKey: stageKey).create(on: db)
            let facts = DealFactsRecord(deal, playbook: playbook)
            facts.changedAtRevision = try await Self.nextFactsRevision(deal.partnershipID, on: db)
            try await facts.create(on: db)
            try await Self.syncParticipants(deal, on: db)
            for (i, (c, actor, at)) in events.enumerated() {
                try await DealEventRecord(
                    DealEvent(
                        id: UUID(), dealID: deal.id, sequence: i + 1, at: at, actorID: actor.personID,
                        actorName: actor.name,
                        kind: c.kind, summary: c.summary, before: c.before, after: c.after),
                    partnershipID: deal.partnershipID
                ).create(on: db)
            }
            try await syncRegistration(deal, on: db)
            try await LessonLibrary.sync(deal, on: db)
        }
    }
}
