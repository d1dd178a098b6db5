import CoSellDomain
import Foundation

/// A deal's next actions as one person reads them: each action with the companies and the owner
/// named, and whether it waits on that person.
public struct DealActions: Sendable {
    public struct Item: Sendable {
        public var action: NextAction
        /// The acting organizations with their names, in the action's order.
        public var companies: [Organization]
        public var owner: Person?
        /// Not blocked, and the reader owns it or (unowned) may do it.
        public var waitsOnReader: Bool
    }

    public var deal: Deal
    public var items: [Item]
}

extension DealWorkflows {
    /// The next actions of a deal the principal may see, from its current stage's gate (none for a
    /// deal out of play). A read: no transaction, nothing written.
    public func actions(of dealID: UUID, by p: Principal) async throws -> DealActions {
        let (deal, playbook) = try await Access(store: store).visibleDeal(dealID, p)
        let orgIDs = [deal.hostOrganizationID, deal.partnerOrganizationID]
        let organizations = Dictionary(
            try await store.organizations(orgIDs).map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let actions = NextActions.of(
            deal, playbook: playbook, companyNames: organizations.mapValues(\.name), today: LocalDate(clock()))
        let ownerIDs = Set(actions.compactMap(\.ownerID))
        var owners: [UUID: Person] = [:]
        for id in ownerIDs { owners[id] = try await store.person(id) }
        return DealActions(
            deal: deal,
            items: actions.map { a in
                DealActions.Item(
                    action: a, companies: a.organizationIDs.compactMap { organizations[$0] },
                    owner: a.ownerID.flatMap { owners[$0] }, waitsOnReader: a.waits(on: p.person, deal: deal))
            })
    }
}
