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
        if d.createdBy == personID { return true }
        if d.moves.contains(where: { $0.ownerID == personID }) { return true }
        let e = d.evidence
        let signoffs =
            [e.targetSelection.commitments.host, e.targetSelection.commitments.partner].compactMap { $0?.personID }
            + e.jointDiscovery.briefs.flatMap {
                [$0.approvals.host?.personID, $0.approvals.partner?.personID].compactMap { $0 }
            }
            + [e.targetSelection.icpFit.host?.recordedBy, e.targetSelection.icpFit.partner?.recordedBy].compactMap {
                $0
            }
            + [e.doorOpener.doorOpener?.ownerID, e.close.registration?.registeredBy].compactMap { $0 }
        return signoffs.contains(personID)
    }
}
