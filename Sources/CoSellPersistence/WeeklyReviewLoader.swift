import CoSellDomain
import Foundation

/// Loads what the weekly co-sell deal review is built from and builds it.
public enum WeeklyReviewLoader {
    /// The review of `partnership` for `week` as `viewer` sees it (sellers: only the deals they are
    /// on); with no viewer (the command line, run by the operator), every deal of the partnership.
    /// With `page`, the review holds that page of its long lists (see `WeeklyReview.paged`), and the
    /// costly parts are worked out for that page only.
    public static func load(
        store: CoSellStore, partnership: Partnership, week: ISOWeek, viewer: Person?, now: Date,
        page: (limit: Int, offset: Int)? = nil
    ) async throws -> WeeklyReview {
        let org = viewer?.organizationID ?? partnership.organizationIDs[0]
        // The facts of the deals not completed (stalled, or closed and awaiting their review), and of
        // the deals the week's entries name (with the server's facts cache, every deal's: at hand);
        // whole deals only for the overrides the review quotes.
        var facts = try await store.reportFacts(
            visibleTo: org, partnershipID: partnership.id, uncompletedOnly: store.factsCache == nil)
        let record = try await store.reviewRecord(partnershipID: partnership.id, week: week)
        let previous = try await store.reviewRecord(partnershipID: partnership.id, before: week)
        let since = previous.map { $0.week.end } ?? week.start
        let accounts = try await store.jointAccounts(
            of: partnership.id, createdFrom: min(since, week.start), to: week.end)
        var events = try await store.events(
            ofPartnership: partnership.id, from: week.start, to: week.end, kinds: WeeklyReview.timelineKinds)
        var refusals = try await store.gateRefusals(partnershipID: partnership.id, from: week.start, to: week.end)
        let lessons = try await store.lessonsCaptured(partnershipID: partnership.id, from: week.start, to: week.end)
        let loaded = Set(facts.map(\.id))
        let named = Set(events.map(\.dealID)).union(refusals.map(\.dealID)).union(lessons.map(\.dealID))
            .subtracting(loaded)
        // (Only when there are some: appending nothing would still copy the cache's array.)
        if !named.isEmpty {
            facts += try await store.facts(ids: Array(named)).values.filter { $0.partnershipID == partnership.id }
        }
        if let viewer { facts = facts.filter { Visibility.canSee($0, person: viewer, partnership: partnership) } }
        let visible = Set(facts.map(\.id))
        events = events.filter { visible.contains($0.dealID) }
        refusals = refusals.filter { visible.contains($0.dealID) }
        var playbooks: [Playbook] = []
        for id in Set(facts.map(\.playbookID)) { playbooks += try await store.playbookVersions(id) }
        var input = WeeklyReviewInput(
            partnership: partnership, week: week, now: now, accounts: accounts, facts: facts, deals: [],
            capturedLessons: lessons, events: events, refusals: refusals, playbooks: playbooks, record: record,
            previous: previous)
        input.companyNames = Dictionary(
            try await store.organizations(partnership.organizationIDs).map { ($0.id, $0.name) },
            uniquingKeysWith: { a, _ in a })
        let review =
            page.map { WeeklyReview.build(input, limit: $0.limit, offset: $0.offset) } ?? WeeklyReview.build(input)
        // The overrides this review shows, quoted from their deals.
        let quoted = Set(review.gates.filter { $0.kind == .overridden }.map(\.dealID))
        if quoted.isEmpty { return review }
        return review.quotingOverrides(from: try await store.deals(ids: Array(quoted)))
    }
}
