import Foundation

extension DemoWorkspace {
    /// Three named accounts for each account executive of both companies: first accounts of deals
    /// they work on (in play first, so the table shows stages and stalls), then an account with no deal
    /// yet, then any other; within a company each account is named once while accounts last.
    public var namedAccounts: [NamedAccount] {
        let limit = partnership.plan?.namedAccountsPerSeller ?? CoSellPlan.defaultNamedAccountsPerSeller
        let allDeals = deals.map(\.deal).sorted {
            ($0.isInPlay ? 0 : 1, $0.createdAt, $0.id.uuidString) < (
                $1.isInPlay ? 0 : 1, $1.createdAt, $1.id.uuidString
            )
        }
        let participants = allDeals.map(\.participantIDs)
        let withDeals = Set(allDeals.map(\.jointAccountID))
        var out: [NamedAccount] = []
        for org in organizations {
            var taken = Set<UUID>()
            let sellers = people.filter { $0.organizationID == org.id && $0.role == .seller }
            for seller in sellers {
                var picks: [UUID] = []
                func pick(_ id: UUID) {
                    guard picks.count < limit, !picks.contains(id), !taken.contains(id) else { return }
                    picks.append(id)
                    taken.insert(id)
                }
                for (i, d) in allDeals.enumerated() where picks.count < limit - 1 && participants[i].contains(seller.id)
                {
                    pick(d.jointAccountID)
                }
                if let free = jointAccounts.first(where: { !withDeals.contains($0.id) && !taken.contains($0.id) }) {
                    pick(free.id)
                }
                for d in allDeals { pick(d.jointAccountID) }
                for a in jointAccounts { pick(a.id) }
                out += picks.map {
                    NamedAccount(
                        partnershipID: partnership.id, organizationID: org.id, personID: seller.id, accountID: $0,
                        createdAt: partnership.createdAt)
                }
            }
        }
        return out
    }
}
