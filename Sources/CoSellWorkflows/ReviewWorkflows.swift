import CoSellDomain
import Foundation

/// The weekly co-sell deal review of a partnership: reading it, and recording who attended and what
/// was decided.
public struct ReviewWorkflows: Sendable {
    let store: any WorkflowStore
    let clock: @Sendable () -> Date

    /// Which week, and which page of the review's long lists (nil: every item).
    public struct WeekPage: Sendable {
        public var week: ISOWeek
        public var page: (limit: Int, offset: Int)?

        public init(week: ISOWeek, page: (limit: Int, offset: Int)?) {
            self.week = week
            self.page = page
        }
    }

    /// What a review records: attendees, and decisions whose owner is named by id (nil: no owner).
    public struct Entry: Sendable {
        public var attendees: [String]
        public var decisions: [ReviewDecision]

        public init(attendees: [String], decisions: [ReviewDecision]) {
            self.attendees = attendees
            self.decisions = decisions
        }
    }

    /// The review of a partnership the principal's organization is in, as the principal sees it
    /// (sellers: only the deals they are on). `request` is read after the partnership is found.
    public func weeklyReview(
        of partnershipID: UUID, by p: Principal, _ request: @Sendable () throws -> WeekPage
    ) async throws -> WeeklyReview {
        let ps = try await Access(store: store).visiblePartnership(partnershipID, p)
        let r = try request()
        let now = clock()
        let review = try await store.weeklyReview(of: ps, week: r.week, viewer: p.person, now: now, page: r.page)
        return review.adding(
            namedAccounts: try await namedAccounts(ps, week: r.week, by: p, now: now),
            carriedDecisions: try await carriedDecisions(ps, before: review.previousWeek, reading: r.week))
    }

    /// How far back open decisions are carried into a review, and stay next actions: half a year of
    /// weekly reviews.
    public static let carriedWeeks = 26

    /// The first week whose open decisions are still carried at `week`.
    public static func carriedFrom(_ week: ISOWeek) -> ISOWeek {
        var from = week
        for _ in 0..<carriedWeeks { from = from.previous }
        return from
    }

    /// The decisions of the reviews recorded in the `carriedWeeks` before `previous` (the latest
    /// review before the one read, whose decisions the review shows as last week's) that are open,
    /// or were checked off at the review of `week` (so the meeting sees what it closed).
    public func carriedDecisions(
        _ ps: Partnership, before previous: ISOWeek?, reading week: ISOWeek
    ) async throws
        -> [WeekDecision]
    {
        guard let previous else { return [] }
        return try await store.reviewRecords(partnershipID: ps.id, from: Self.carriedFrom(previous))
            .filter { $0.week < previous }
            .flatMap { r in
                r.decisions.filter { $0.isOpen || $0.checkedInWeek == week }.map {
                    WeekDecision(week: r.week, decision: $0)
                }
            }
    }

    /// The named accounts the principal may see (their company's, and the other company's as far as
    /// it shares them), per account executive, with their movement during `week`: the lists as they
    /// stand now, the movement from the deals on them that the principal may see.
    func namedAccounts(
        _ ps: Partnership, week: ISOWeek, by p: Principal, now: Date
    ) async throws
        -> [ReviewSellerAccounts]
    {
        let (rows, deals) = try await NamedAccountWorkflows.visibleRows(ps, p, on: store, now: now)
        guard !rows.isEmpty else { return [] }
        var playbooks: [Playbook] = []
        for key in Set(deals.map(\.playbookVersionKey)) {
            if let pb = try await store.playbook(key.id, version: key.version) { playbooks.append(pb) }
        }
        return WeeklyReview.namedAccounts(
            rows.map {
                NamedAccountEntry(
                    named: $0.named, personName: $0.personName, accountName: $0.accountName, progress: $0.progress)
            }, deals: deals.map { DealFacts($0) }, playbooks: playbooks, week: week,
            organizationIDs: [p.person.organizationID] + ps.organizationIDs.filter { $0 != p.person.organizationID },
            companyNames: try await NamedAccountWorkflows.companyNames(ps, on: store))
    }

    /// Records a week's review of a partnership the principal's organization is in (replacing what
    /// was recorded for that week). `week` is read after the partnership is found, `entry` after the
    /// write checks, with the people of the partnership's two organizations (who may own a decision).
    /// The record is one row, written in the store's own transaction: a concurrent recording of the
    /// same week is written over, not refused.
    public func record(
        in partnershipID: UUID, week: @Sendable () throws -> ISOWeek, by p: Principal,
        _ entry: @Sendable ([Person]) async throws -> Entry
    ) async throws -> ReviewRecord {
        let now = clock()
        let ps = try await Access(store: store).visiblePartnership(partnershipID, p)
        let week = try week()
        try p.requireWrite()
        guard ps.status != .pending else {
            throw WorkflowError.conflict("The partnership is not accepted yet; there is no review to record.")
        }
        guard week <= ISOWeek(containing: now) else {
            throw WorkflowError.invalid(
                field: "week", "\(week) has not started yet: record a review once its week has begun.")
        }
        let people = try await store.people(inOrganizations: ps.organizationIDs)
        let e = try await entry(people)
        // A decision the week's record holds already keeps its id and whether it was checked off:
        // found by the id the request names, else by the same text.
        let before = try await store.reviewRecord(partnershipID: ps.id, week: week)?.decisions ?? []
        var decisions: [ReviewDecision] = []
        for (i, d) in e.decisions.enumerated() {
            let text = d.text.trimmingCharacters(in: .whitespacesAndNewlines)
            let kept: ReviewDecision?
            if let id = d.id {
                guard let found = before.first(where: { $0.id == id }) else {
                    throw WorkflowError.invalid(
                        field: "decisions[\(i)].id", "The review of \(week) has no decision with this id.")
                }
                kept = found
            } else {
                kept = before.first { b in b.text == text && !decisions.contains { $0.id == b.id } }
            }
            var decision = kept ?? ReviewDecision(id: UUID(), text: d.text)
            decision.text = d.text
            decision.dueOn = d.dueOn
            decision.ownerID = nil
            decision.ownerName = nil
            if let owner = d.ownerID {
                guard let person = people.first(where: { $0.id == owner }) else {
                    throw WorkflowError.invalid(
                        field: "decisions[\(i)].owner_id",
                        "The owner must be a person of one of the partnership's two organizations.")
                }
                decision.ownerID = person.id
                decision.ownerName = person.name
            }
            decisions.append(decision)
        }
        let attendees: [String]
        let checked: [ReviewDecision]
        switch Result(catching: { () throws(DealError) in
            try ReviewRecord.validated(attendees: e.attendees, decisions: decisions)
        }) {
        case .success(let valid): (attendees, checked) = valid
        case .failure(.invalid(let field, let m)): throw WorkflowError.invalid(field: field, m)
        case .failure(let other): throw other
        }
        return try await store.saveReviewRecord(
            ReviewRecord(
                partnershipID: ps.id, week: week, attendees: attendees, decisions: checked, recordedBy: p.person.id,
                recordedByName: p.person.name, recordedAt: now, updatedAt: now))
    }

    /// Checks off a decision of the review of `week` (taken that week, usually looked at in a later
    /// review): done, dropped, or open again. People who write (partner managers, admins, sellers)
    /// of either company do it; one transaction with an audit line for each company. Checking a
    /// decision off as it already stands changes nothing and writes no line. `status` (a request's
    /// body) is read after the visibility and write checks.
    public func checkOff(
        _ decisionID: UUID, of week: ISOWeek, in partnershipID: UUID,
        as status: @escaping @Sendable () throws -> ReviewDecision.Status, by p: Principal
    ) async throws -> ReviewRecord {
        let now = clock()
        return try await store.transaction { s in
            let ps = try await Access(store: s).visiblePartnership(partnershipID, p)
            try p.requireWrite()
            guard ps.status != .pending else {
                throw WorkflowError.conflict("The partnership is not accepted yet; it has no review decisions.")
            }
            let status = try status()
            guard var record = try await s.reviewRecord(partnershipID: ps.id, week: week) else {
                throw WorkflowError.notFound("review")
            }
            guard let i = record.decisions.firstIndex(where: { $0.id == decisionID }) else {
                throw WorkflowError.notFound("decision")
            }
            let was = record.decisions[i]
            guard (was.status ?? .open) != status else { return record }
            let reviewing = max(week, ISOWeek(containing: now))
            record.decisions[i] = was.checked(status, by: p.person, at: now, inWeek: reviewing)
            let saved = try await s.saveReviewRecord(record)
            let words: String
            switch status {
            case .done: words = "done"
            case .dropped: words = "dropped"
            case .open: words = "open again"
            }
            let owner = was.ownerName.map { " (owner: \($0))" } ?? ""
            for org in ps.organizationIDs {
                try await s.audit(
                    p.auditEntry(
                        "review_decision_checked",
                        "\(p.person.name) marked the decision \"\(was.text)\"\(owner) of the \(week) review of \"\(ps.name)\" \(words).",
                        organizationID: org, at: now))
            }
            return saved
        }
    }
}
