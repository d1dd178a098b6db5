import CoSellDomain
import Foundation

/// The dual opt-in in the pages: an admin invites another company by its domain and the e-mail of a
/// person there; the invited company joins the server through the link when it is not on it yet,
/// and its admins accept or decline. Each verb is one transaction with its audit lines.
extension PartnershipWorkflows {
    /// How long a partnership invitation's link works.
    public static let invitationLifetime: TimeInterval = 14 * 86_400

    /// Whom to invite: the company's domain, a person's address there, and the partnership's name
    /// (empty for "<your company> × <theirs>").
    public struct PartnerInvitee: Sendable {
        public var name: String
        public var partnerDomain: String
        public var email: String

        public init(name: String, partnerDomain: String, email: String) {
            self.name = name
            self.partnerDomain = partnerDomain
            self.email = email
        }
    }

    /// An invitation as made: with the pending partnership when the invited company is on the server.
    public struct SentInvitation: Sendable {
        public var invitation: PartnerInvitation
        public var partnership: Partnership?
        /// The invited company, when it is on the server already.
        public var partnerOrganization: Organization?
    }

    /// The rules of an invitation's fields, each refusal naming its field: the domain, then the
    /// address at that domain, then the name. Returns them as kept.
    public static func check(
        _ wanted: PartnerInvitee
    ) throws(WorkflowError) -> (
        domain: String, email: String, name: String?
    ) {
        guard let domain = PartnerInvitation.keptDomain(wanted.partnerDomain) else {
            throw .invalid(field: "partner_domain", "Type the company's web domain, such as beacon.example.")
        }
        guard let email = PeopleWorkflows.keptEmail(wanted.email) else {
            throw .invalid(field: "email", "Type the address of a person at \(domain), such as ana@\(domain).")
        }
        guard PartnerInvitation.emailBelongs(email, to: domain) else {
            throw .invalid(
                field: "email",
                "The address must be at \(domain) (or one of its subdomains): the person who answers speaks for that company."
            )
        }
        let name = wanted.name.trimmingCharacters(in: .whitespaces)
        guard name.count <= 200 else { throw .invalid(field: "name", "name must be at most 200 characters.") }
        return (domain, email, name.isEmpty ? nil : name)
    }

    /// An admin invites another company to a partnership. When the company is on the server, the
    /// pending partnership is made now (its admins accept or decline it); otherwise the link lets
    /// the invited person set their company up. The caller keeps the link's secret and hands over
    /// its hash; with `mailPath` (the link's path, given when the server sends mail) the mail is
    /// queued in the same transaction. `invitee` is read after the write and role checks.
    public func invitePartner(
        by p: Principal, tokenHash: String, mailPath: String? = nil,
        _ invitee: @escaping @Sendable () async throws -> PartnerInvitee
    ) async throws -> SentInvitation {
        try p.requireWrite()
        try p.require([.admin], "Only admins invite partners.")
        let (domain, email, wantedName) = try Self.check(try await invitee())
        let me = p.person.organizationID
        let now = clock()
        return try await store.transaction { s in
            guard let mine = try await s.organizations([me]).first else { throw WorkflowError.notFound("organization") }
            if mine.domain?.lowercased() == domain {
                throw WorkflowError.invalid(field: "partner_domain", "\(domain) is your own company's domain.")
            }
            let other = try await s.organization(domain: domain)
            let name = wantedName ?? "\(mine.name) × \(other?.name ?? domain)"
            var made: Partnership? = nil
            if let other {
                if try await s.partnerships(of: me).contains(where: { $0.includes(other.id) && $0.status != .ended }) {
                    throw WorkflowError.conflict(
                        "A partnership with \(other.name) exists or is waiting for an answer already.")
                }
                var ps = Partnership(
                    id: UUID(), name: name, organizationIDs: [me, other.id], status: .pending, createdAt: now)
                ps.invitedBy = me
                try await s.insertPartnership(ps)
                made = ps
            } else if let open = try await s.openPartnerInvitations(from: me, at: now).first(where: {
                $0.partnerDomain == domain && $0.partnershipID == nil
            }) {
                throw WorkflowError.conflict(
                    "An invitation to \(domain) is open already (sent to \(open.email)); it works until \(AccountMail.stamp(open.expiresAt)) UTC."
                )
            }
            let invitation = PartnerInvitation(
                id: UUID(), fromOrganizationID: me, invitedBy: p.person.id, partnershipName: name,
                partnerDomain: domain, email: email, partnershipID: made?.id, createdAt: now,
                expiresAt: now.addingTimeInterval(Self.invitationLifetime))
            try await s.insertPartnerInvitation(invitation, tokenHash: tokenHash)
            let detail =
                "\(p.person.name) invited \(other?.name ?? domain) (\(email)) to the partnership \"\(name)\""
                + (mailPath == nil ? "." : "; the link was mailed.")
            for org in [me] + (other.map { [$0.id] } ?? []) {
                try await s.audit(p.auditEntry("partnership_invited", detail, organizationID: org, at: now))
            }
            if let mailPath {
                try await s.queueAccountMail(
                    .partnerInvitation(
                        invitation, fromCompany: mine.name, invitedBy: p.person.name, companyOnServer: other?.name,
                        path: mailPath), at: now)
            }
            return SentInvitation(invitation: invitation, partnership: made, partnerOrganization: other)
        }
    }

    /// What a partnership invitation's link opens, as its page shows it.
    public struct InvitationLink: Sendable {
        public var invitation: PartnerInvitation
        public var fromCompany: String
        public var invitedBy: String
        /// The invited company when it is on the server (its admins sign in to answer).
        public var partnerOrganization: Organization?
        /// The partnership's state, once it exists.
        public var partnership: Partnership?
    }

    /// The invitation of a link, while it works (or, for a company on the server, while its
    /// partnership waits for an answer); nil otherwise.
    public func invitationLink(tokenHash: String) async throws -> InvitationLink? {
        let now = clock()
        guard let i = try await store.partnerInvitation(tokenHash: tokenHash), i.expiresAt > now else { return nil }
        let from = try await store.organizations([i.fromOrganizationID]).first
        let inviter = try await store.people(inOrganizations: [i.fromOrganizationID]).first { $0.id == i.invitedBy }
        var ps: Partnership? = nil
        if let id = i.partnershipID { ps = try await store.partnership(id) }
        if i.usedAt != nil, ps?.status != .pending { return nil }
        return InvitationLink(
            invitation: i, fromCompany: from?.name ?? "A company", invitedBy: inviter?.name ?? "An admin",
            partnerOrganization: try await store.organization(domain: i.partnerDomain), partnership: ps)
    }

    /// The invited person sets their company up from the link: the organization (with the invited
    /// domain), its first admin (with the invited address and the password they chose) and the
    /// pending partnership, with the link used, in one transaction. A company already on the server
    /// is a conflict (its admins sign in to answer); a link that no longer works is not found.
    public func join(
        tokenHash: String, organization: String, adminName: String, password: String, from address: String?,
        hashPassword: @escaping @Sendable (String) async throws -> String
    ) async throws -> (created: PeopleWorkflows.Created, partnership: Partnership) {
        let orgName = organization.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !orgName.isEmpty, orgName.count <= 200 else {
            throw WorkflowError.invalid(field: "organization", "Name your company (1 to 200 characters).")
        }
        guard let name = PeopleWorkflows.keptName(adminName) else {
            throw WorkflowError.invalid(field: "name", "Type your name (at most 200 characters).")
        }
        try SecurityWorkflows.checkPassword(password)
        let hash = try await hashPassword(password)
        let now = clock()
        return try await store.transaction { s in
            guard let i = try await s.partnerInvitation(tokenHash: tokenHash), i.isOpen(at: now),
                i.partnershipID == nil
            else { throw WorkflowError.notFound("invitation") }
            if let there = try await s.organization(domain: i.partnerDomain) {
                throw WorkflowError.conflict(
                    "\(there.name) is on this server already: sign in as one of its admins to answer the invitation.")
            }
            if try await s.person(email: i.email) != nil { throw WorkflowError.conflict(PeopleWorkflows.emailTaken) }
            guard let from = try await s.organizations([i.fromOrganizationID]).first else {
                throw WorkflowError.notFound("invitation")
            }
            let org = Organization(id: UUID(), name: orgName, domain: i.partnerDomain, createdAt: now)
            try await s.insertOrganization(org)
            let person = Person(id: UUID(), organizationID: org.id, name: name, email: i.email, role: .admin)
            try await s.insertPerson(person, passwordHash: hash, at: now)
            // A name left to cosell said the domain while the company had no name here: now it has one.
            let name =
                i.partnershipName == "\(from.name) × \(i.partnerDomain)"
                ? "\(from.name) × \(orgName)" : i.partnershipName
            var ps = Partnership(
                id: UUID(), name: name, organizationIDs: [from.id, org.id], status: .pending, createdAt: now)
            ps.invitedBy = from.id
            try await s.insertPartnership(ps)
            try await s.usePartnerInvitation(i.id, partnershipID: ps.id, at: now)
            try await s.audit(
                AuditEvent(
                    organizationID: org.id, actorID: person.id, actorName: person.name, kind: "person_created",
                    detail: "\(person.name) set up \(org.name) on this server from \(from.name)'s invitation.",
                    address: address, at: now))
            try await s.audit(
                AuditEvent(
                    organizationID: from.id, actorID: person.id, actorName: person.name,
                    kind: "partner_joined",
                    detail:
                        "\(person.name) set up \(org.name) (\(i.partnerDomain)) from the invitation to \"\(ps.name)\"; it waits for their answer.",
                    address: address, at: now))
            return (PeopleWorkflows.Created(person: person, organization: org), ps)
        }
    }

    /// The invited company's admin declines a pending partnership: it ends, with who declined on it.
    public func decline(_ partnershipID: UUID, by p: Principal) async throws -> Partnership {
        let now = clock()
        return try await store.transaction { s in
            var ps = try await Access(store: s).visiblePartnership(partnershipID, p)
            try p.requireWrite()
            try p.require([.admin], "Only admins answer partnership invitations.")
            guard ps.status == .pending else {
                throw WorkflowError.conflict("The partnership is \(ps.status.rawValue), not waiting for an answer.")
            }
            guard ps.invitedBy != p.person.organizationID else {
                throw WorkflowError.conflict(
                    "Your organization sent this invitation; the other organization answers it.")
            }
            let orgName =
                try await s.organizations([p.person.organizationID]).first?.name ?? "The invited company"
            ps.status = .ended
            ps.endedBy = p.person.organizationID
            ps.endedReason = "\(orgName) declined the invitation."
            try await s.savePartnershipStatus(ps)
            for org in ps.organizationIDs {
                try await s.audit(
                    p.auditEntry(
                        "partnership_declined",
                        "\(p.person.name) (\(orgName)) declined the partnership \"\(ps.name)\".",
                        organizationID: org, at: now))
            }
            return ps
        }
    }

    /// The invitations the principal's organization sent that wait for a company to join the server.
    public func invitationsWaiting(by p: Principal) async throws -> [PartnerInvitation] {
        try await store.openPartnerInvitations(from: p.person.organizationID, at: clock()).filter {
            $0.partnershipID == nil
        }
    }
}
