import CoSellDomain
import FluentKit
import FluentSQL
import Foundation

/// Why the store refused a write.
public enum StoreError: Error, Equatable, Sendable {
    /// Someone else changed the record first (optimistic concurrency), or a uniqueness rule was hit.
    case conflict(String)
    case notFound(String)
    case invalid(field: String, String)
}

/// A page of results.
public struct Page<Item: Sendable>: Sendable {
    public var items: [Item]
    public var total: Int

    public init(items: [Item], total: Int) {
        self.items = items
        self.total = total
    }
}

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

/// The repository for everything cosell keeps: plain values in, plain values out. Every multi-row
/// change runs in one transaction.
public struct CoSellStore: Sendable {
    public let db: any Database
    /// Parsed deal facts kept between requests (the server's); nil reads them from the database each time.
    public let factsCache: FactsCache?
    /// Called before each retry of a transaction SQLite refused for a concurrent writer, with the
    /// retry's number (1 for the first): lets a test act at that moment instead of after a delay.
    public let onRetry: (@Sendable (Int) async -> Void)?

    /// Retries after the first attempt, when SQLite refuses a transaction for a concurrent writer.
    public static let maxRetries = 5

    public init(db: any Database, factsCache: FactsCache? = nil, onRetry: (@Sendable (Int) async -> Void)? = nil) {
        self.db = db
        self.factsCache = factsCache
        self.onRetry = onRetry
    }

    /// Runs `body` in one transaction (the caller's, when one is open). When SQLite refuses it for a
    /// concurrent writer (`isSQLiteWriteConflict`: the transaction read first and cannot take the
    /// write lock, or the lock stayed taken past the busy timeout), it was rolled back, and it runs
    /// again after a short random pause, up to `maxRetries` times; then the conflict is thrown (a 503).
    public func transaction<T: Sendable>(
        _ body: @escaping @Sendable (any Database) async throws -> T
    ) async throws -> T {
        if db.inTransaction { return try await body(db) }
        var attempt = 0
        while true {
            do {
                return try await db.transaction(body)
            } catch  where isSQLiteWriteConflict(error) && attempt < Self.maxRetries {
                attempt += 1
                await onRetry?(attempt)
                try await Task.sleep(nanoseconds: UInt64.random(in: 5_000_000...30_000_000) * UInt64(attempt))
            }
        }
    }

    // MARK: organizations and people

    public func insert(_ o: Organization) async throws {
        try await OrganizationRecord(o).create(on: db)
    }

    public func organization(_ id: UUID) async throws -> Organization? {
        try await OrganizationRecord.find(id, on: db)?.domainValue
    }

    public func organizations(_ ids: [UUID]) async throws -> [Organization] {
        try await OrganizationRecord.query(on: db).filter(\.$id ~~ ids).sort(\.$name).all().map(\.domainValue)
    }

    public func insert(_ p: Person, at: Date) async throws {
        if try await PersonRecord.query(on: db).filter(\.$email == p.email.lowercased()).count() > 0 {
            throw StoreError.conflict("A person with the e-mail \(p.email) already exists.")
        }
        try await PersonRecord(p, createdAt: at).create(on: db)
    }

    public func person(_ id: UUID) async throws -> Person? {
        try await PersonRecord.find(id, on: db)?.domainValue
    }

    public func people(inOrganizations ids: [UUID]) async throws -> [Person] {
        try await PersonRecord.query(on: db).filter(\.$organizationID ~~ ids).sort(\.$name).all().map(\.domainValue)
    }

    // MARK: API tokens

    public func insertToken(id: UUID, personID: UUID, name: String, hash: String, scope: String, at: Date) async throws
    {
        let r = APITokenRecord()
        r.id = id
        r.personID = personID
        r.name = name
        r.tokenHash = hash
        r.scope = scope
        r.createdAt = at
        try await r.create(on: db)
    }

    /// The person behind an unrevoked token, and the token's scope; records the time of use.
    public func person(forTokenHash hash: String, at: Date) async throws -> (Person, scope: String)? {
        try await tokenUse(hash: hash, at: at).map { ($0.person, $0.scope) }
    }

    /// A token's owner and scope, and whether this use was recorded (at most once a minute per token).
    public func tokenUse(
        hash: String, at: Date
    ) async throws -> (person: Person, scope: String, tokenID: UUID, name: String, recorded: Bool)? {
        guard let token = try await APITokenRecord.query(on: db).filter(\.$tokenHash == hash).first(),
            token.revokedAt == nil, let person = try await PersonRecord.find(token.personID, on: db),
            person.deactivatedAt == nil
        else { return nil }
        var recorded = false
        if token.lastUsedAt.map({ at.timeIntervalSince($0) > 60 }) ?? true {
            token.lastUsedAt = at
            try await token.update(on: db)
            recorded = true
        }
        return (person.domainValue, token.scope, token.id!, token.name, recorded)
    }

    // MARK: partnerships and joint accounts

    public func insert(_ p: Partnership) async throws {
        try await PartnershipRecord(p).create(on: db)
    }

    public func partnership(_ id: UUID) async throws -> Partnership? {
        try await PartnershipRecord.find(id, on: db)?.domainValue()
    }

    public func partnerships(of organizationID: UUID) async throws -> [Partnership] {
        try await PartnershipRecord.query(on: db)
            .group(.or) { $0.filter(\.$organizationAID == organizationID).filter(\.$organizationBID == organizationID) }
            .sort(\.$createdAt).all().map { try $0.domainValue() }
    }

    public func updatePlan(_ plan: CoSellPlan?, of partnershipID: UUID) async throws {
        guard let r = try await PartnershipRecord.find(partnershipID, on: db) else {
            throw StoreError.notFound("partnership")
        }
        r.plan = try plan.map(JSONColumn.encode)
        try await r.update(on: db)
    }

    public func insert(_ a: JointAccount) async throws {
        try await JointAccountRecord(a).create(on: db)
    }

    public func jointAccount(_ id: UUID) async throws -> JointAccount? {
        try await JointAccountRecord.find(id, on: db)?.domainValue()
    }

    public func jointAccounts(of partnershipID: UUID, limit: Int, offset: Int) async throws -> Page<JointAccount> {
        let q = JointAccountRecord.query(on: db).filter(\.$partnershipID == partnershipID)
        let total = try await q.count()
        let items = try await q.sort(\.$name).sort(\.$id).range(offset..<(offset + limit)).all().map {
            try $0.domainValue()
        }
        return Page(items: items, total: total)
    }

    // MARK: playbooks

    public func insert(_ p: Playbook) async throws {
        if try await PlaybookRecord.query(on: db).filter(\.$playbookID == p.id).filter(\.$version == p.version).count()
            > 0
        {
            throw StoreError.conflict("Version \(p.version) of this playbook exists already.")
        }
        do {
            try await PlaybookRecord(p).create(on: db)
        } catch let e as any DatabaseError where e.isConstraintFailure {
            throw StoreError.conflict("Version \(p.version) of this playbook exists already.")
        }
    }

    public func playbook(_ id: UUID, version: Int? = nil) async throws -> Playbook? {
        var q = PlaybookRecord.query(on: db).filter(\.$playbookID == id)
        if let version { q = q.filter(\.$version == version) }
        return try await q.sort(\.$version, .descending).first()?.domainValue()
    }

    /// The newest version of every playbook.
    public func latestPlaybooks() async throws -> [Playbook] {
        let all = try await PlaybookRecord.query(on: db).sort(\.$version, .descending).all()
        var seen = Set<UUID>()
        return try all.filter { seen.insert($0.playbookID).inserted }.map { try $0.domainValue() }
    }

    public func playbookVersions(_ id: UUID) async throws -> [Playbook] {
        try await PlaybookRecord.query(on: db).filter(\.$playbookID == id).sort(\.$version).all().map {
            try $0.domainValue()
        }
    }

    // MARK: deals

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
        let r = RegistrationRecord()
        r.id = UUID()
        r.dealID = deal.id
        r.partnershipID = deal.partnershipID
        r.jointAccountID = deal.jointAccountID
        r.registrationCode = reg.registrationID
        r.attribution = reg.attribution.rawValue
        r.sourcedBy = reg.sourcedBy.rawValue
        r.registeredBy = reg.registeredBy
        r.registeredAt = reg.registeredAt
        r.openSlot = slot
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

    // MARK: health

    /// The number of migrations recorded in the database.
    public func appliedMigrations() async throws -> Int {
        guard let sql = db as? any SQLDatabase else { return 0 }
        let row = try await sql.raw("SELECT COUNT(*) AS n FROM _fluent_migrations").first()
        return try row?.decode(column: "n", as: Int.self) ?? 0
    }

    /// True when the database holds no organization yet (a fresh install).
    public func isEmpty() async throws -> Bool {
        try await OrganizationRecord.query(on: db).count() == 0
    }
}

extension CoSellStore {
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
