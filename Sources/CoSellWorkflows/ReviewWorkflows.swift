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
        return try await store.weeklyReview(of: ps, week: r.week, viewer: p.person, now: clock(), page: r.page)
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
        var decisions: [ReviewDecision] = []
        for (i, d) in e.decisions.enumerated() {
            var decision = ReviewDecision(text: d.text, dueOn: d.dueOn)
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
}
