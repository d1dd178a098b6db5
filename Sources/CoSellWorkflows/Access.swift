import CoSellDomain
import Foundation

/// What a principal may see: the one place the API, the pages and the other verbs ask. Each lookup
/// answers `WorkflowError.notFound` for what is missing and for what belongs to others alike, so an
/// id of another organization cannot be told from an unknown one.
public struct Access: Sendable {
    let store: any WorkflowStore

    public init(store: any WorkflowStore) {
        self.store = store
    }

    /// The principal's organization and the organizations it has an active partnership with.
    public func visibleOrganizationIDs(_ p: Principal) async throws -> [UUID] {
        let own = p.person.organizationID
        let partners = try await store.partnerships(of: own).filter { $0.status == .active }.compactMap {
            $0.counterpart(of: own)
        }
        return [own] + partners
    }

    /// Owners whose playbooks a person sees: the standard (nil), their organization and its partners.
    public func visiblePlaybookOwners(_ p: Principal) async throws -> Set<UUID?> {
        Set(try await visibleOrganizationIDs(p).map { Optional($0) } + [nil])
    }

    /// A playbook's newest version, when its owner is visible.
    public func visiblePlaybook(_ id: UUID, _ p: Principal) async throws -> Playbook {
        guard let pb = try await store.playbook(id, version: nil),
            try await visiblePlaybookOwners(p).contains(pb.organizationID)
        else { throw WorkflowError.notFound("playbook") }
        return pb
    }

    /// A partnership the principal's organization is one of the two sides of.
    public func visiblePartnership(_ id: UUID, _ p: Principal) async throws -> Partnership {
        guard let ps = try await store.partnership(id), ps.includes(p.person.organizationID) else {
            throw WorkflowError.notFound("partnership")
        }
        return ps
    }

    /// A partnership the principal's organization is a side of, while it is active: a pending one
    /// shares nothing yet, and when either side ends it both lose access to what was shared (409).
    public func activePartnership(_ id: UUID, _ p: Principal) async throws -> Partnership {
        let ps = try await visiblePartnership(id, p)
        guard ps.status == .active else {
            throw WorkflowError.conflict("The partnership is \(ps.status.rawValue): nothing is shared in it.")
        }
        return ps
    }

    /// A deal the principal may see (its two companies; a seller only when on it), with its playbook version.
    public func visibleDeal(_ id: UUID, _ p: Principal) async throws -> (Deal, Playbook) {
        guard let deal = try await store.deal(id), deal.side(of: p.person.organizationID) != nil,
            let partnership = try await store.partnership(deal.partnershipID),
            Visibility.canSee(deal, person: p.person, partnership: partnership),
            let playbook = try await store.playbook(of: deal)
        else { throw WorkflowError.notFound("deal") }
        return (deal, playbook)
    }
}
