import CoSellDomain
import CoSellWorkflows
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
    /// open slot while the deal is in play so that a duplicate open registration cannot exist, and the
    /// accepted slot of the host's account and opportunity while its registration is accepted, so that
    /// one opportunity of one customer is partner revenue once across all the host's partnerships.
    func syncRegistration(_ deal: Deal, on tx: any Database, today: LocalDate? = nil) async throws {
        guard let reg = deal.evidence.close.registration else { return }
        let day = today ?? LocalDate(Date())
        let slot = deal.isInPlay && reg.status != .rejected ? "open" : deal.id.uuidString
        let submitter = reg.submittedBy.map { deal.organizationID(of: $0) } ?? deal.hostOrganizationID
        let existing = try await RegistrationRecord.query(on: tx).filter(\.$dealID == deal.id).first()
        let row = existing ?? RegistrationRecord(deal, registration: reg, openSlot: slot)
        if row.accountKey == nil || existing == nil {
            row.accountKey = try await Self.accountKey(
                jointAccountID: deal.jointAccountID, hostOrganizationID: deal.hostOrganizationID,
                on: tx as! any SQLDatabase)
        }
        let accountKey = row.accountKey!
        let opportunity = RegistrationClaimKeys.opportunity(reg.opportunityID)
        let acceptedSlot = deal.registrationHoldsClaim(on: day) ? "accepted" : row.id!.uuidString
        if slot == "open", existing?.openSlot != "open",
            let other = try await RegistrationRecord.query(on: tx)
                .filter(\.$partnershipID == deal.partnershipID).filter(\.$jointAccountID == deal.jointAccountID)
                .filter(\.$openSlot == "open").filter(\.$dealID != deal.id).first()
        {
            throw StoreError.conflict(
                "Duplicate registration: \(other.registrationCode) is already open for this account in this partnership (deal \(other.dealID.uuidString))."
            )
        }
        if reg.status == .pending || existing == nil {
            if let other = try await RegistrationRecord.query(on: tx)
                .filter(\.$submittingOrganizationID == submitter).filter(\.$registrationCode == reg.registrationID)
                .filter(\.$dealID != deal.id).first()
            {
                throw StoreError.invalid(
                    field: "registration_id",
                    "Registration id \(reg.registrationID) is already used by your company for another deal (\(other.dealID.uuidString)); registration ids are unique per company."
                )
            }
        }
        if acceptedSlot == "accepted", existing?.acceptedSlot != "accepted" {
            try await releaseOrRefuseClaim(
                hostOrganizationID: deal.hostOrganizationID, accountKey: accountKey, opportunity: opportunity,
                dealID: deal.id, today: day, on: tx)
        }
        row.openSlot = slot
        row.status = reg.status.rawValue
        row.hostOrganizationID = deal.hostOrganizationID
        row.submittingOrganizationID = submitter
        row.opportunityKey = opportunity
        row.acceptedSlot = acceptedSlot
        if reg.status == .pending || existing == nil {
            row.registrationCode = reg.registrationID
            row.attribution = reg.attribution.rawValue
            row.sourcedBy = reg.sourcedBy.rawValue
            row.registeredBy = reg.registeredBy
            row.registeredAt = reg.registeredAt
        }
        do {
            if existing == nil { try await row.create(on: tx) } else if row.hasChanges { try await row.update(on: tx) }
        } catch let e as any DatabaseError where e.isConstraintFailure {
            throw StoreError.conflict(
                "Duplicate registration: another registration already holds this account (in this partnership while its deal is open, or its opportunity across the host's partnerships)."
            )
        }
    }

    /// Before a registration takes the accepted claim of a host account and opportunity: a claim
    /// held by a registration that no longer protects anything (its deal lost, abandoned or ended, or
    /// lapsed without a win) is released; one that still holds refuses, naming it.
    func releaseOrRefuseClaim(
        hostOrganizationID: UUID, accountKey: String, opportunity: String, dealID: UUID, today: LocalDate,
        on tx: any Database
    ) async throws {
        guard
            let other = try await RegistrationRecord.query(on: tx)
                .filter(\.$hostOrganizationID == hostOrganizationID).filter(\.$accountKey == accountKey)
                .filter(\.$opportunityKey == opportunity).filter(\.$acceptedSlot == "accepted")
                .filter(\.$dealID != dealID).first()
        else { return }
        let otherDeal = try await DealRecord.find(other.dealID, on: tx).map { try $0.domainValue() }
        if otherDeal?.registrationHoldsClaim(on: today) == true {
            let where_ =
                try await PartnershipRecord.find(other.partnershipID, on: tx).map { " in the partnership \($0.name)" }
                ?? ""
            let opp = opportunity.isEmpty ? "" : " for opportunity \(opportunity)"
            throw StoreError.conflict(
                "Duplicate registration: this customer\(opp) is already registered as \(other.registrationCode), accepted\(where_) (deal \(other.dealID.uuidString)). One opportunity is partner revenue once: \(opportunity.isEmpty ? "if this is another opportunity, give its CRM opportunity id." : "the first accepted registration holds it.")"
            )
        }
        other.acceptedSlot = other.id!.uuidString
        try await other.update(on: tx)
    }

    /// The host's account a joint account stands for, the same in every partnership of the host: its
    /// web domain, else the host's CRM account id (from the mapping), else the joint account itself.
    static func accountKey(
        jointAccountID: UUID, hostOrganizationID: UUID, on sql: any SQLDatabase
    ) async throws
        -> String
    {
        if let row = try await sql.select().column("domain").from(JointAccountRecord.schema)
            .where("id", .equal, jointAccountID).first(),
            let key = RegistrationClaimKeys.domain(try row.decode(column: "domain", as: String?.self))
        {
            return key
        }
        let crm = try await sql.raw(
            """
            SELECT a.crm_id FROM overlaps o JOIN crm_accounts a ON (a.id = o.account_a_id OR a.id = o.account_b_id) \
            WHERE o.joint_account_id = \(bind: jointAccountID) AND a.organization_id = \(bind: hostOrganizationID) \
            ORDER BY a.crm_id LIMIT 1
            """
        ).first()
        if let crm, let id = try? crm.decode(column: "crm_id", as: String.self) {
            return RegistrationClaimKeys.crmAccount(id)
        }
        return RegistrationClaimKeys.jointAccount(jointAccountID)
    }

    public func timeline(of dealID: UUID) async throws -> [DealEvent] {
        try await DealEventRecord.query(on: db).filter(\.$dealID == dealID).sort(\.$sequence).all().map(\.domainValue)
    }

    /// Open deals on one joint account (index `deals_joint_account`, migration 0023).
    public func openDeals(onJointAccount jointAccountID: UUID) async throws -> [Deal] {
        try await DealRecord.query(on: db).filter(\.$jointAccountID == jointAccountID).filter(\.$status == "open")
            .all().map { try $0.domainValue() }
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
