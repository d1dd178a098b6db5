import CoSellDomain
import CoSellMatching
import Foundation

/// The verbs of a partnership's lifecycle that change more than one record: accepting it and ending
/// it. Each is one unit of work with its audit lines.
public struct PartnershipWorkflows: Sendable {
    let store: any WorkflowStore
    let clock: @Sendable () -> Date

    /// An invitation to a partnership: its name and the other organization's domain.
    public struct Invitation: Sendable {
        public var name: String
        public var partnerDomain: String

        public init(name: String, partnerDomain: String) {
            self.name = name
            self.partnerDomain = partnerDomain
        }
    }

    /// An admin invites another organization, by its domain, to a new partnership: it stays pending
    /// until an admin of that organization accepts. `invitation` is read after the role check.
    public func invite(
        by p: Principal, _ invitation: @escaping @Sendable () async throws -> Invitation
    ) async throws -> Partnership {
        try p.requireWrite()
        try p.require([.admin], "Only admins start partnerships.")
        let wanted = try await invitation()
        let name = wanted.name.trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty, name.count <= 200 else {
            throw WorkflowError.invalid(field: "name", "name must be 1 to 200 characters.")
        }
        let me = p.person.organizationID
        let now = clock()
        return try await store.transaction { s in
            guard
                let other = try await s.organization(domain: wanted.partnerDomain.trimmingCharacters(in: .whitespaces)),
                other.id != me
            else {
                throw WorkflowError.invalid(
                    field: "partner_domain", "No other organization on this server uses that domain.")
            }
            if try await s.partnerships(of: me).contains(where: { $0.includes(other.id) && $0.status != .ended }) {
                throw WorkflowError.conflict("A partnership with that organization exists or is pending already.")
            }
            var ps = Partnership(
                id: UUID(), name: name, organizationIDs: [me, other.id], status: .pending, createdAt: now)
            ps.invitedBy = me
            try await s.insertPartnership(ps)
            for org in ps.organizationIDs {
                try await s.audit(
                    p.auditEntry(
                        "partnership_invited",
                        "\(p.person.name) invited \(other.name) to the partnership \"\(name)\".", organizationID: org,
                        at: now))
            }
            return ps
        }
    }

    /// What one organization chooses to share of one population.
    public struct SharingChoice: Sendable {
        public var population: String
        public var level: SharingLevel

        public init(population: String, level: SharingLevel) {
            self.population = population
            self.level = level
        }
    }

    /// An admin sets what their organization shares of one population in an active partnership,
    /// with an audit line for both organizations. `choice` is read (the request judged) after the
    /// visibility, status, write and role checks.
    public func setSharing(
        in partnershipID: UUID, by p: Principal, _ choice: @escaping @Sendable () async throws -> SharingChoice
    ) async throws -> Partnership {
        let now = clock()
        return try await store.transaction { s in
            let ps = try await Access(store: s).activePartnership(partnershipID, p)
            try p.requireWrite()
            try p.require([.admin], "Only admins change sharing.")
            let c = try await choice()
            try await s.setSharing(
                c.level, population: c.population, organizationID: p.person.organizationID, partnershipID: ps.id,
                at: now)
            for org in ps.organizationIDs {
                try await s.audit(
                    p.auditEntry(
                        "sharing_changed",
                        "\(p.person.name) set \(c.population) to \(c.level.rawValue) in \"\(ps.name)\".",
                        organizationID: org, at: now))
            }
            return ps
        }
    }

    /// What an admin shares of every population in one step.
    public enum SharingPreset: String, Sendable, CaseIterable {
        /// Every population as overlapping accounts: the other company sees the accounts you share.
        case overlapping
        /// Every population as counts only.
        case counts
        /// Nothing.
        case nothing

        public var level: SharingLevel {
            switch self {
            case .overlapping: return .overlappingAccounts
            case .counts: return .counts
            case .nothing: return .hidden
            }
        }
    }

    /// An admin sets every population of their organization to the preset's level, in one
    /// transaction with one audit line for each organization.
    public func setSharing(
        in partnershipID: UUID, by p: Principal, preset: @escaping @Sendable () async throws -> SharingPreset
    ) async throws -> Partnership {
        let now = clock()
        return try await store.transaction { s in
            let ps = try await Access(store: s).activePartnership(partnershipID, p)
            try p.requireWrite()
            try p.require([.admin], "Only admins change sharing.")
            let chosen = try await preset()
            let populations = Population.allCases.map(\.rawValue)
            for population in populations {
                try await s.setSharing(
                    chosen.level, population: population, organizationID: p.person.organizationID,
                    partnershipID: ps.id, at: now)
            }
            for org in ps.organizationIDs {
                try await s.audit(
                    p.auditEntry(
                        "sharing_changed",
                        "\(p.person.name) set every population (\(populations.joined(separator: ", "))) to \(chosen.level.rawValue) in \"\(ps.name)\".",
                        organizationID: org, at: now))
            }
            return ps
        }
    }

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
