import CoSellDomain
import Foundation

extension PartnershipWorkflows {
    /// One partnership action waiting on the principal, with its partnership.
    public struct WaitingAction: Sendable {
        public var action: PartnershipAction
        public var partnership: Partnership
    }

    /// What the principal's active partnerships wait on them for (`PartnershipActions.of`): hold or
    /// confirm the discovery call, do its next move, approve the value proposition's draft, carry out
    /// a weekly review's decision (open, of the reviews of the last `ReviewWorkflows.carriedWeeks`).
    /// The overdue first, then by partnership name and title: the list the home page shows, over the
    /// same rules the mail sweep tells.
    public func actionsWaiting(on p: Principal) async throws -> [WaitingAction] {
        let now = clock()
        let today = LocalDate(now)
        let from = ReviewWorkflows.carriedFrom(ISOWeek(containing: now))
        return try await store.transaction { s in
            let mine = try await s.partnerships(of: p.person.organizationID).filter { $0.status == .active }
            guard !mine.isEmpty else { return [] }
            let orgIDs = Array(Set(mine.flatMap(\.organizationIDs)))
            let people = try await s.people(inOrganizations: orgIDs)
            let names = Dictionary(
                try await s.organizations(orgIDs).map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
            // The calls and the decisions of every partnership in one read each (the home page's path).
            let calls = try await s.discoveryCalls(ofPartnerships: mine.map(\.id))
            let decisions = try await s.openReviewDecisions(ofPartnerships: mine.map(\.id), from: from)
            var out: [WaitingAction] = []
            for ps in mine {
                let actions = PartnershipActions.of(
                    ps, calls: calls[ps.id] ?? [], people: people, companyNames: names, today: today,
                    decisions: decisions[ps.id] ?? [], valueProposition: try await s.valueProposition(of: ps.id))
                for a in actions where a.waits(on: p.person) { out.append(WaitingAction(action: a, partnership: ps)) }
            }
            return out.sorted { x, y in
                (x.action.overdue ? 0 : 1, x.partnership.name, x.action.title)
                    < (y.action.overdue ? 0 : 1, y.partnership.name, y.action.title)
            }
        }
    }
}
