import CoSellDomain
import CoSellWorkflows
import Foundation

extension FluentWorkflowStore {
    public func signInFailures(
        email: String, address: String, since: Date
    ) async throws -> (account: Int, address: Int) {
        try await store.signInFailures(email: email, address: address, since: since)
    }

    public func recordSignInFailure(id: UUID, email: String, address: String, at: Date) async throws {
        try await store.recordSignInFailure(id: id, email: email, address: address, at: at)
    }

    public func deleteSignInFailure(id: UUID) async throws { try await store.deleteSignInFailure(id: id) }

    public func credentials(email: String) async throws -> (Person, String)? {
        try await store.credentials(email: email)
    }

    public func createSession(
        tokenHash: String, personID: UUID, csrf: String, at: Date, expiresAt: Date
    ) async throws {
        try await store.createSession(
            tokenHash: tokenHash, personID: personID, csrf: csrf, at: at, expiresAt: expiresAt)
    }

    public func deleteSession(tokenHash: String) async throws { try await store.deleteSession(tokenHash: tokenHash) }

    public func insertToken(_ token: APITokenInfo, personID: UUID, hash: String) async throws {
        try await store.insertToken(
            id: token.id, personID: personID, name: token.name, hash: hash, scope: token.scope, at: token.createdAt)
    }

    public func revokeToken(_ id: UUID, of personID: UUID, at: Date) async throws -> Bool {
        try await store.revokeToken(id, of: personID, at: at)
    }

    public func acceptInvitation(tokenHash: String, passwordHash: String, at: Date) async throws -> Person {
        do {
            return try await store.acceptInvitation(tokenHash: tokenHash, passwordHash: passwordHash, at: at)
        } catch let e as StoreError {
            throw e.asWorkflowError
        }
    }

    public func insertOrganization(_ organization: Organization) async throws { try await store.insert(organization) }

    public func insertPerson(_ person: Person, passwordHash: String, at: Date) async throws {
        do {
            try await store.insert(person, at: at)
            try await store.setPassword(hash: passwordHash, for: person.id, at: at)
        } catch let e as StoreError {
            throw e.asWorkflowError
        }
    }
}

extension FluentWorkflowStore {
    public func openInvitation(tokenHash: String, at: Date) async throws -> Invitation? {
        try await store.openInvitation(tokenHash: tokenHash, at: at)
    }

    public func openInvitations(of organizationID: UUID, at: Date) async throws -> [Invitation] {
        try await store.openInvitations(of: organizationID, at: at)
    }

    public func insertPasswordReset(
        id: UUID, personID: UUID, tokenHash: String, at: Date, expiresAt: Date
    )
        async throws
    {
        try await store.insertPasswordReset(
            id: id, personID: personID, tokenHash: tokenHash, at: at, expiresAt: expiresAt)
    }

    public func passwordResetCount(of personID: UUID, since: Date) async throws -> Int {
        try await store.passwordResetCount(of: personID, since: since)
    }

    public func usePasswordReset(tokenHash: String, passwordHash: String, at: Date) async throws -> Person {
        do {
            return try await store.usePasswordReset(tokenHash: tokenHash, passwordHash: passwordHash, at: at)
        } catch let e as StoreError {
            throw e.asWorkflowError
        }
    }

    public func replacePassword(of personID: UUID, passwordHash: String, at: Date) async throws {
        try await store.replacePassword(of: personID, passwordHash: passwordHash, at: at)
    }

    public func passwordResetIsOpen(tokenHash: String, at: Date) async throws -> Bool {
        try await store.passwordResetIsOpen(tokenHash: tokenHash, at: at)
    }

    public func hasNoOrganization() async throws -> Bool { try await store.isEmpty() }

    public func setRole(_ role: Role, of personID: UUID) async throws {
        do {
            try await store.setRole(role, of: personID)
        } catch let e as StoreError {
            throw e.asWorkflowError
        }
    }
}
