import CoSellDomain
import Foundation

/// The verbs of an organization's people: inviting a person, deactivating one. Each writes its
/// change and its audit line in one transaction.
public struct PeopleWorkflows: Sendable {
    let store: any WorkflowStore
    let clock: @Sendable () -> Date

    /// How long an invitation can be accepted.
    public static let invitationLifetime: TimeInterval = 7 * 86_400

    /// Whom to invite, with which role.
    public struct Invitee: Sendable {
        public var email: String
        public var name: String
        public var role: Role

        public init(email: String, name: String, role: Role) {
            self.email = email
            self.name = name
            self.role = role
        }
    }

    /// An admin invites a person into their own organization. The caller keeps the secret accept
    /// token and hands over its hash; `invitee` is read after the organization, write and role checks.
    /// With `mailPath` (the accept page's path with the secret, given when the server sends mail) the
    /// invitation's mail is queued in the same transaction.
    public func invite(
        into organizationID: UUID, by p: Principal, tokenHash: String, mailPath: String? = nil,
        _ invitee: @escaping @Sendable () async throws -> Invitee
    ) async throws -> Invitation {
        guard organizationID == p.person.organizationID else { throw WorkflowError.notFound("organization") }
        try p.requireWrite()
        try p.require([.admin], "Only admins invite people.")
        let wanted = try await invitee()
        let (email, name) = try Self.check(wanted)
        let now = clock()
        return try await store.transaction { s in
            let invitation = try await Self.writeInvitation(
                on: s, into: organizationID, email: email, name: name, role: wanted.role, invitedBy: p.person.id,
                tokenHash: tokenHash, at: now,
                audit: p.auditEntry(
                    "person_invited",
                    "\(p.person.name) invited \(email) as \(wanted.role.rawValue)"
                        + (mailPath == nil ? "." : "; the link was mailed."),
                    organizationID: organizationID, at: now))
            if let mailPath {
                let organization = try await s.organizations([organizationID]).first?.name ?? "your company"
                try await s.queueAccountMail(
                    .invitation(invitation, organizationName: organization, invitedBy: p.person.name, path: mailPath),
                    at: now)
            }
            return invitation
        }
    }

    /// Why a person cannot be invited or created with an e-mail: someone has it (compared in lower case).
    public static let emailTaken = "A person with that e-mail already exists."

    /// Keeps an invitation (refused when the e-mail is taken) and its audit line, on the caller's transaction.
    static func writeInvitation(
        on s: any WorkflowStore, into organizationID: UUID, email: String, name: String, role: Role,
        invitedBy: UUID, tokenHash: String, at now: Date, audit: AuditEvent
    ) async throws -> Invitation {
        if try await s.person(email: email) != nil { throw WorkflowError.conflict(emailTaken) }
        let invitation = Invitation(
            id: UUID(), organizationID: organizationID, email: email, name: name, role: role, invitedBy: invitedBy,
            createdAt: now, expiresAt: now.addingTimeInterval(invitationLifetime), acceptedAt: nil)
        try await s.createInvitation(invitation, tokenHash: tokenHash)
        try await s.audit(audit)
        return invitation
    }

    /// The rules for a new person's e-mail and name, wherever they come from (the API, the command
    /// line): an e-mail address of at most 200 characters, a name of 1 to 200. Returns them as kept:
    /// trimmed, the e-mail in lower case.
    public static func check(_ invitee: Invitee) throws(WorkflowError) -> (email: String, name: String) {
        guard let email = keptEmail(invitee.email) else {
            throw .invalid(field: "email", "email must be an e-mail address.")
        }
        guard let name = keptName(invitee.name) else {
            throw .invalid(field: "name", "name must be 1 to 200 characters.")
        }
        return (email, name)
    }

    /// The e-mail as kept (trimmed, lower case), or nil when it is not an address of at most 200 characters.
    public static func keptEmail(_ raw: String) -> String? {
        let email = raw.trimmingCharacters(in: .whitespaces).lowercased()
        guard email.count <= 200, email.split(separator: "@").count == 2, !email.hasPrefix("@"), !email.hasSuffix("@")
        else { return nil }
        return email
    }

    /// The name as kept (trimmed), or nil when it is empty or longer than 200 characters.
    public static func keptName(_ raw: String) -> String? {
        let name = raw.trimmingCharacters(in: .whitespaces)
        return name.isEmpty || name.count > 200 ? nil : name
    }

    /// An organization's people and the invitations still open, as its admins see them.
    public struct Directory: Sendable {
        public var organization: Organization
        public var people: [Person]
        public var invitations: [Invitation]
    }

    /// The admin's view of their own organization: its people (active first, by name) and the
    /// invitations that can still be accepted.
    public func directory(by p: Principal) async throws -> Directory {
        try p.require([.admin], "Only admins manage the people of their organization.")
        let org = p.person.organizationID
        guard let organization = try await store.organizations([org]).first else {
            throw WorkflowError.notFound("organization")
        }
        let people = try await store.people(inOrganizations: [org]).sorted {
            ($0.deactivatedAt == nil ? 0 : 1, $0.name.lowercased()) < (
                $1.deactivatedAt == nil ? 0 : 1, $1.name.lowercased()
            )
        }
        return Directory(
            organization: organization, people: people,
            invitations: try await store.openInvitations(of: org, at: clock()))
    }

    /// The invitation behind a link, with its organization's name, while it can be accepted.
    public func openInvitation(tokenHash: String) async throws -> (invitation: Invitation, organizationName: String)? {
        guard let invitation = try await store.openInvitation(tokenHash: tokenHash, at: clock()) else { return nil }
        let name = try await store.organizations([invitation.organizationID]).first?.name ?? ""
        return (invitation, name)
    }

    /// An admin deactivates another person of their own organization.
    public func deactivate(_ personID: UUID, in organizationID: UUID, by p: Principal) async throws -> Person {
        guard organizationID == p.person.organizationID else { throw WorkflowError.notFound("organization") }
        try p.requireWrite()
        try p.require([.admin], "Only admins deactivate people.")
        let now = clock()
        return try await store.transaction { s in
            guard var target = try await s.person(personID), target.organizationID == organizationID else {
                throw WorkflowError.notFound("person")
            }
            guard target.id != p.person.id else { throw WorkflowError.conflict("You cannot deactivate yourself.") }
            try await s.deactivate(personID, at: now)
            target.deactivatedAt = now
            try await s.audit(
                p.auditEntry(
                    "person_deactivated", "\(p.person.name) deactivated \(target.email).",
                    organizationID: organizationID, at: now))
            return target
        }
    }
}
