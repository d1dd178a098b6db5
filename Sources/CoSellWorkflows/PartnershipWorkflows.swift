import CoSellDomain
import Foundation

/// The verbs of a partnership's lifecycle that change more than one record: accepting it and ending
/// it. Each is one unit of work with its audit lines.
public struct PartnershipWorkflows: Sendable {
    let store: any WorkflowStore
    let clock: @Sendable () -> Date

    /// The invited organization's admin accepts: the partnership becomes active.
    public func accept(_ partnershipID: UUID, by p: Principal) async throws -> Partnership {
        let now = clock()
        return try await store.transaction { s in
            var ps = try await Access(store: s).visiblePartnership(partnershipID, p)
            try p.requireWrite()
            try p.require([.admin], "Only admins accept partnerships.")
            guard ps.status == .pending else {
                throw WorkflowError.conflict("The partnership is \(ps.status.rawValue), not pending.")
            }
            guard ps.invitedBy != p.person.organizationID else {
                throw WorkflowError.conflict(
                    "Your organization sent this invitation; the other organization accepts it.")
            }
            ps.status = .active
            try await s.savePartnershipStatus(ps)
            for org in ps.organizationIDs {
                try await s.audit(
                    p.auditEntry(
                        "partnership_accepted", "\(p.person.name) accepted the partnership \"\(ps.name)\".",
                        organizationID: org, at: now))
            }
            return ps
        }
    }

    /// An admin of either side ends the partnership with a written reason: sharing stops, and every
    /// open joint deal ends with that reason on its timeline, in the same transaction.
    public func end(_ partnershipID: UUID, reason: String, by p: Principal) async throws -> Partnership {
        try await end(partnershipID, by: p) { reason }
    }

    /// `end`, with the reason read (a request's body judged) only after the visibility, write, role
    /// and status checks passed.
    public func end(
        _ partnershipID: UUID, by p: Principal, reason: @escaping @Sendable () async throws -> String
    ) async throws -> Partnership {
        let now = clock()
        return try await store.transaction { s in
            var ps = try await Access(store: s).visiblePartnership(partnershipID, p)
            try p.requireWrite()
            try p.require([.admin], "Only admins end partnerships.")
            guard ps.status != .ended else { throw WorkflowError.conflict("The partnership has ended already.") }
            let written = try await reason().trimmingCharacters(in: .whitespacesAndNewlines)
            guard written.count >= 3, written.count <= 10_000 else {
                throw WorkflowError.invalid(field: "reason", "Give a written reason.")
            }
            let orgs = try await s.organizations(ps.organizationIDs)
            let orgName = orgs.first { $0.id == p.person.organizationID }?.name ?? "one side"
            ps.status = .ended
            ps.endedBy = p.person.organizationID
            ps.endedReason = written
            try await s.savePartnershipStatus(ps)
            let deals = try await s.openDeals(of: ps.id)
            let people = try await s.people(inOrganizations: ps.organizationIDs)
            for deal in deals {
                guard let playbook = try await s.playbook(of: deal) else { continue }
                let outcome = try await DealWorkflows.change(
                    deal, playbook: playbook, .endByPartnership(reason: "\(orgName) ended the partnership: \(written)"),
                    by: p, people: people, at: now, on: s)
                if case .refused(let error) = outcome { throw error }
            }
            for org in ps.organizationIDs {
                try await s.audit(
                    p.auditEntry(
                        "partnership_ended",
                        "\(p.person.name) (\(orgName)) ended the partnership \"\(ps.name)\": \(written); \(deals.count) open deals ended.",
                        organizationID: org, at: now))
            }
            return ps
        }
    }
}

/// The verbs of cosell, over one store and one clock: what the server, the CLI and the tests call.
public struct Workflows: Sendable {
    public let store: any WorkflowStore
    public let clock: @Sendable () -> Date

    public init(store: any WorkflowStore, clock: @escaping @Sendable () -> Date = { Date() }) {
        self.store = store
        self.clock = clock
    }

    public var access: Access { Access(store: store) }
    public var deals: DealWorkflows { DealWorkflows(store: store, clock: clock) }
    public var partnerships: PartnershipWorkflows { PartnershipWorkflows(store: store, clock: clock) }
}
