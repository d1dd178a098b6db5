import CoSellDomain
import Foundation

/// Who sees what: the one place the API (and the pages) ask.
public enum Visibility {
    /// A joint deal is seen by people of its two organizations; a seller only when on the deal (they
    /// opened it, own a move, or signed evidence) or on the partnership (a plan owner).
    public static func canSee(_ deal: Deal, person: Person, partnership: Partnership) -> Bool {
        guard deal.side(of: person.organizationID) != nil else { return false }
        guard person.role == .seller else { return true }
        if partnership.plan?.owners.contains(where: { $0.personID == person.id }) == true { return true }
        return isOnDeal(deal, personID: person.id)
    }

    public static func isOnDeal(_ d: Deal, personID: UUID) -> Bool {
        d.participantIDs.contains(personID)
    }
}
