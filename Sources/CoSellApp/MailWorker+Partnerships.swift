import CoSellDomain
import CoSellPersistence
import CoSellWorkflows
import Foundation

extension MailWorker {
    /// The notes of the active partnerships' actions on `today` (`PartnershipActions`): hold the
    /// discovery call, confirm it, do its next move, approve the value proposition's draft, carry out
    /// a weekly review's decision. Their keys make each one told once.
    static func partnershipNotes(_ store: CoSellStore, today: LocalDate) async throws -> [MailNote] {
        let active = try await store.activePartnerships()
        guard !active.isEmpty else { return [] }
        let calls = try await store.discoveryCalls(ofPartnerships: active.map(\.id))
        let decisions = try await store.openReviewDecisions(
            ofPartnerships: active.map(\.id), from: ReviewWorkflows.carriedFrom(ISOWeek(containing: today.startOfDay)))
        var notes: [MailNote] = []
        for ps in active {
            let people = try await store.people(inOrganizations: ps.organizationIDs)
            let orgs = try await store.organizations(ps.organizationIDs)
            let actions = PartnershipActions.of(
                ps, calls: calls[ps.id] ?? [], people: people,
                companyNames: Dictionary(orgs.map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a }), today: today,
                decisions: decisions[ps.id] ?? [], valueProposition: try await store.valueProposition(of: ps.id))
            notes += Notifications.partnershipActions(actions, partnership: ps)
        }
        return notes
    }
}
