import CoSellDomain
import Foundation

extension InMemoryStore {
    /// A session as kept: whose, its CSRF token, until when.
    public struct StoredSession: Sendable, Equatable {
        public var personID: UUID
        public var csrf: String
        public var createdAt: Date
        public var expiresAt: Date
    }

    /// A password reset as kept: the hash of its secret, whose, until when, whether used.
    public struct StoredPasswordReset: Sendable, Equatable {
        public var id: UUID
        public var personID: UUID
        public var tokenHash: String
        public var createdAt: Date
        public var expiresAt: Date
        public var usedAt: Date?
    }

    /// One failed sign-in.
    public struct SignInFailure: Sendable, Equatable {
        public var id = UUID()
        public var email: String
        public var address: String
        public var at: Date
    }

    /// An API token as kept: what its owner sees, whose it is, the hash of its secret.
    public struct StoredToken: Sendable, Equatable {
        public var info: APITokenInfo
        public var personID: UUID
        public var hash: String
    }
}

extension InMemoryStore {
    public func signInFailures(
        email: String, address: String, since: Date
    ) async throws -> (account: Int, address: Int) {
        read { s in
            let recent = s.signInFailures.filter { $0.at > since }
            return (
                recent.filter { $0.email == email.lowercased() }.count, recent.filter { $0.address == address }.count
            )
        }
    }

    public func recordSignInFailure(id: UUID, email: String, address: String, at: Date) async throws {
        write {
            $0.signInFailures.append(SignInFailure(id: id, email: email.lowercased(), address: address, at: at))
        }
    }

    public func deleteSignInFailure(id: UUID) async throws {
        write { $0.signInFailures.removeAll { $0.id == id } }
    }

    public func credentials(email: String) async throws -> (Person, String)? {
        read { s in
            guard let p = s.people.values.first(where: { $0.email.lowercased() == email.lowercased() }),
                let hash = s.passwordHashes[p.id]
            else { return nil }
            return (p, hash)
        }
    }

    public func createSession(
        tokenHash: String, personID: UUID, csrf: String, at: Date, expiresAt: Date
    ) async throws {
        write {
            $0.sessions[tokenHash] = StoredSession(personID: personID, csrf: csrf, createdAt: at, expiresAt: expiresAt)
        }
    }

    public func deleteSession(tokenHash: String) async throws {
        write { $0.sessions[tokenHash] = nil }
    }

    public func insertToken(_ token: APITokenInfo, personID: UUID, hash: String) async throws {
        write { $0.tokens[token.id] = StoredToken(info: token, personID: personID, hash: hash) }
    }

    public func revokeToken(_ id: UUID, of personID: UUID, at: Date) async throws -> Bool {
        write { s in
            guard let t = s.tokens[id], t.personID == personID else { return false }
            if t.info.revokedAt == nil { s.tokens[id]?.info.revokedAt = at }
            return true
        }
    }

    public func acceptInvitation(tokenHash: String, passwordHash: String, at: Date) async throws -> Person {
        try write { s in
            guard let inv = s.invitations[tokenHash], inv.acceptedAt == nil, inv.expiresAt > at else {
                throw WorkflowError.notFound("invitation")
            }
            let email = inv.email.lowercased()
            guard !s.people.values.contains(where: { $0.email.lowercased() == email }) else {
                throw WorkflowError.conflict("A person with the e-mail \(email) already exists.")
            }
            let person = Person(
                id: UUID(), organizationID: inv.organizationID, name: inv.name, email: email, role: inv.role)
            s.people[person.id] = person
            s.passwordHashes[person.id] = passwordHash
            s.invitations[tokenHash]?.acceptedAt = at
            return person
        }
    }

    public func openInvitation(tokenHash: String, at: Date) async throws -> Invitation? {
        read { s in s.invitations[tokenHash].flatMap { $0.acceptedAt == nil && $0.expiresAt > at ? $0 : nil } }
    }

    public func openInvitations(of organizationID: UUID, at: Date) async throws -> [Invitation] {
        read { s in
            s.invitations.values.filter {
                $0.organizationID == organizationID && $0.acceptedAt == nil && $0.expiresAt > at
            }
            .sorted { $0.createdAt > $1.createdAt }
        }
    }

    public func insertPasswordReset(
        id: UUID, personID: UUID, tokenHash: String, at: Date, expiresAt: Date
    )
        async throws
    {
        write { s in
            s.passwordResets.append(
                StoredPasswordReset(
                    id: id, personID: personID, tokenHash: tokenHash, createdAt: at, expiresAt: expiresAt, usedAt: nil))
        }
    }

    public func passwordResetCount(of personID: UUID, since: Date) async throws -> Int {
        read { s in s.passwordResets.filter { $0.personID == personID && $0.createdAt > since }.count }
    }

    public func passwordResetIsOpen(tokenHash: String, at: Date) async throws -> Bool {
        read { s in
            s.passwordResets.contains {
                $0.tokenHash == tokenHash && $0.usedAt == nil && $0.expiresAt > at
                    && s.people[$0.personID]?.deactivatedAt == nil
            }
        }
    }

    public func usePasswordReset(tokenHash: String, passwordHash: String, at: Date) async throws -> Person {
        try write { s in
            guard let i = s.passwordResets.firstIndex(where: { $0.tokenHash == tokenHash }),
                s.passwordResets[i].usedAt == nil, s.passwordResets[i].expiresAt > at,
                let person = s.people[s.passwordResets[i].personID], person.deactivatedAt == nil
            else { throw WorkflowError.notFound("password reset") }
            s.passwordHashes[person.id] = passwordHash
            for j in s.passwordResets.indices where s.passwordResets[j].personID == person.id {
                if s.passwordResets[j].usedAt == nil { s.passwordResets[j].usedAt = at }
            }
            s.sessions = s.sessions.filter { $0.value.personID != person.id }
            return person
        }
    }

    public func replacePassword(of personID: UUID, passwordHash: String, at: Date) async throws {
        write { s in
            s.passwordHashes[personID] = passwordHash
            for j in s.passwordResets.indices where s.passwordResets[j].personID == personID {
                if s.passwordResets[j].usedAt == nil { s.passwordResets[j].usedAt = at }
            }
            s.sessions = s.sessions.filter { $0.value.personID != personID }
        }
    }

    public func hasNoOrganization() async throws -> Bool { read { $0.organizations.isEmpty } }

    public func insertOrganization(_ organization: Organization) async throws {
        try write { s in
            guard s.organizations[organization.id] == nil else {
                throw WorkflowError.conflict("The organization exists.")
            }
            s.organizations[organization.id] = organization
        }
    }

    public func insertPerson(_ person: Person, passwordHash: String, at: Date) async throws {
        try write { s in
            guard !s.people.values.contains(where: { $0.email.lowercased() == person.email.lowercased() }) else {
                throw WorkflowError.conflict("A person with the e-mail \(person.email) already exists.")
            }
            s.people[person.id] = person
            s.passwordHashes[person.id] = passwordHash
        }
    }

    public func setRole(_ role: Role, of personID: UUID) async throws {
        try write { s in
            guard s.people[personID] != nil else { throw WorkflowError.notFound("person") }
            s.people[personID]?.role = role
        }
    }
}
