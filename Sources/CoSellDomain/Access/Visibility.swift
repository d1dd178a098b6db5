import Foundation

/// Who sees what: the one place the API (and the pages) ask.
public enum Visibility {
    /// A joint deal is seen by people of its two organizations; a seller only when on the deal (they
    /// opened it, own a move, or signed evidence) or on the partnership (a plan owner).
    public static func canSee(_ deal: Deal, person: Person, partnership: Partnership) -> Bool {
        canSee(side: deal.side(of: person.organizationID), person: person, partnership: partnership) {
            isOnDeal(deal, personID: person.id)
        }
    }

    /// The same rule over a deal's stored facts (the board, the home page, the reports).
    public static func canSee(_ deal: DealFacts, person: Person, partnership: Partnership) -> Bool {
        canSee(side: deal.side(of: person.organizationID), person: person, partnership: partnership) {
            isOnDeal(deal, personID: person.id)
        }
    }

    public static func isOnDeal(_ d: Deal, personID: UUID) -> Bool {
        d.participantIDs.contains(personID)
    }

    public static func isOnDeal(_ d: DealFacts, personID: UUID) -> Bool {
        d.isParticipant(personID)
    }

    static func canSee(side: Side?, person: Person, partnership: Partnership, isOnDeal: () -> Bool) -> Bool {
        guard side != nil else { return false }
        guard person.role == .seller else { return true }
        if partnership.plan?.owners.contains(where: { $0.personID == person.id }) == true { return true }
        return isOnDeal()
    }
}
