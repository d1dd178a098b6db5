import CoSellDomain
import Foundation

/// How people join an organization besides an admin's invitation: accepting an invitation, and the
/// command line's invitations and new people.
extension PeopleWorkflows {
    /// Accepts an invitation by its secret's hash: the person with the invitation's name, e-mail and
    /// role, their password, the invitation marked used and a `person_joined` audit line, in one
    /// transaction. The password is checked, then hashed by `hashPassword` (slow; outside the
    /// transaction). An unknown, used or expired invitation is `WorkflowError.notFound("invitation")`.
    public func acceptInvitation(
        tokenHash: String, password: String, from address: String?,
        hashPassword: @escaping @Sendable (String) async throws -> String
    ) async throws -> Person {
        try SecurityWorkflows.checkPassword(password)
        let hash = try await hashPassword(password)
        let now = clock()
        return try await store.transaction { s in
            let person = try await s.acceptInvitation(tokenHash: tokenHash, passwordHash: hash, at: now)
            try await s.audit(
                AuditEvent(
                    organizationID: person.organizationID, actorID: person.id, actorName: person.name,
                    kind: "person_joined", detail: "\(person.name) accepted the invitation.", address: address, at: now
                ))
            return person
        }
    }

    /// The command line invites a person into an organization, under the same rules as an admin's
    /// invitation. The invitation names the organization's first admin as its sender (an
    /// organization without an admin cannot invite); the audit line names the command.
    public func invite(
        into organizationID: UUID, by op: CommandLineOperator, tokenHash: String, _ invitee: Invitee
    ) async throws -> Invitation {
        let (email, name) = try Self.check(invitee)
        let now = clock()
        return try await store.transaction { s in
            guard try await !s.organizations([organizationID]).isEmpty else {
                throw WorkflowError.notFound("organization")
            }
            guard let admin = try await s.people(inOrganizations: [organizationID]).first(where: { $0.role == .admin })
            else {
                throw WorkflowError.conflict(
                    "The organization has no admin yet: create one with `cosell user create`.")
            }
            return try await Self.writeInvitation(
                on: s, into: organizationID, email: email, name: name, role: invitee.role, invitedBy: admin.id,
                tokenHash: tokenHash, at: now,
                audit: op.auditEntry(
                    "person_invited", "Invited \(email) as \(invitee.role.rawValue) from the command line.",
                    organizationID: organizationID, at: now))
        }
    }

    /// The setup page of an empty server: the first organization and its admin with the password
    /// they chose, in one transaction, with a `person_created` audit line. Once any organization
    /// exists it is `WorkflowError.notFound("setup")`: the page is gone.
    public func setUp(
        organization: String, domain: String?, admin: Invitee, password: String, from address: String?,
        hashPassword: @escaping @Sendable (String) async throws -> String
    ) async throws -> Created {
        guard try await store.hasNoOrganization() else { throw WorkflowError.notFound("setup") }
        let orgName = organization.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !orgName.isEmpty, orgName.count <= 200 else {
            throw WorkflowError.invalid(field: "organization", "Name your company (1 to 200 characters).")
        }
        let cleanDomain = domain?.trimmingCharacters(in: .whitespaces).lowercased()
        if let d = cleanDomain, !d.isEmpty, d.count > 253 || !d.contains(".") || d.contains(" ") {
            throw WorkflowError.invalid(field: "domain", "The domain is a web address such as acme.example.")
        }
        try SecurityWorkflows.checkPassword(password)
        let (email, name) = try Self.check(admin)
        let hash = try await hashPassword(password)
        let now = clock()
        return try await store.transaction { s in
            guard try await s.hasNoOrganization() else { throw WorkflowError.notFound("setup") }
            let org = Organization(
                id: UUID(), name: orgName, domain: cleanDomain?.isEmpty == false ? cleanDomain : nil, createdAt: now)
            try await s.insertOrganization(org)
            let person = Person(id: UUID(), organizationID: org.id, name: name, email: email, role: .admin)
            try await s.insertPerson(person, passwordHash: hash, at: now)
            try await s.audit(
                AuditEvent(
                    organizationID: org.id, actorID: person.id, actorName: person.name, kind: "person_created",
                    detail: "\(person.name) set up \(org.name) on this server as its first admin.", address: address,
                    at: now))
            return Created(person: person, organization: org)
        }
    }

    /// Where a person made at the command line belongs: an organization that exists, or a new one.
    public enum Home: Sendable {
        case existing(UUID)
        case new(name: String, domain: String?)
    }

    /// A person made at the command line, with the organization made for them (if any).
    public struct Created: Sendable {
        public var person: Person
        public var organization: Organization?
    }

    /// The command line makes a person with a password (the first admin of a new organization, say),
    /// under the rules of an invitation and of a chosen password: the organization when it is new,
    /// the person, their password and a `person_created` audit line naming the command, in one
    /// transaction. The password is hashed by `hashPassword` after it is checked, outside the
    /// transaction.
    public func create(
        _ newPerson: Invitee, in home: Home, by op: CommandLineOperator, password: String,
        hashPassword: @escaping @Sendable (String) async throws -> String
    ) async throws -> Created {
        try SecurityWorkflows.checkPassword(password)
        let (email, name) = try Self.check(newPerson)
        let hash = try await hashPassword(password)
        let now = clock()
        return try await store.transaction { s in
            var made: Organization? = nil
            let organizationID: UUID
            switch home {
            case .existing(let id):
                guard try await !s.organizations([id]).isEmpty else { throw WorkflowError.notFound("organization") }
                organizationID = id
            case .new(let orgName, let domain):
                let org = Organization(id: UUID(), name: orgName, domain: domain?.lowercased(), createdAt: now)
                try await s.insertOrganization(org)
                made = org
                organizationID = org.id
            }
            if try await s.person(email: email) != nil { throw WorkflowError.conflict(Self.emailTaken) }
            let person = Person(
                id: UUID(), organizationID: organizationID, name: name, email: email, role: newPerson.role)
            try await s.insertPerson(person, passwordHash: hash, at: now)
            try await s.audit(
                op.auditEntry(
                    "person_created", "Created \(email) as \(newPerson.role.rawValue) from the command line.",
                    organizationID: organizationID, at: now))
            return Created(person: person, organization: made)
        }
    }
}
