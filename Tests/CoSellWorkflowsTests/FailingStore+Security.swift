import CoSellDomain
import CoSellWorkflows
import Foundation

extension FailingStore {
    func signInFailures(email: String, address: String, since: Date) async throws -> (account: Int, address: Int) {
        try await base.signInFailures(email: email, address: address, since: since)
    }
    func recordSignInFailure(id: UUID, email: String, address: String, at: Date) async throws {
        try await base.recordSignInFailure(id: id, email: email, address: address, at: at)
    }
    func deleteSignInFailure(id: UUID) async throws { try await base.deleteSignInFailure(id: id) }
    func credentials(email: String) async throws -> (Person, String)? { try await base.credentials(email: email) }
    func createSession(tokenHash: String, personID: UUID, csrf: String, at: Date, expiresAt: Date) async throws {
        try await base.createSession(tokenHash: tokenHash, personID: personID, csrf: csrf, at: at, expiresAt: expiresAt)
    }
    func deleteSession(tokenHash: String) async throws { try await base.deleteSession(tokenHash: tokenHash) }
    func insertToken(_ token: APITokenInfo, personID: UUID, hash: String) async throws {
        try await base.insertToken(token, personID: personID, hash: hash)
    }
    func revokeToken(_ id: UUID, of personID: UUID, at: Date) async throws -> Bool {
        try await base.revokeToken(id, of: personID, at: at)
    }
    func hasNoOrganization() async throws -> Bool { try await base.hasNoOrganization() }
    func openInvitation(tokenHash: String, at: Date) async throws -> Invitation? {
        try await base.openInvitation(tokenHash: tokenHash, at: at)
    }
    func openInvitations(of organizationID: UUID, at: Date) async throws -> [Invitation] {
        try await base.openInvitations(of: organizationID, at: at)
    }
    func insertPasswordReset(id: UUID, personID: UUID, tokenHash: String, at: Date, expiresAt: Date) async throws {
        try await base.insertPasswordReset(
            id: id, personID: personID, tokenHash: tokenHash, at: at, expiresAt: expiresAt)
    }
    func passwordResetCount(of personID: UUID, since: Date) async throws -> Int {
        try await base.passwordResetCount(of: personID, since: since)
    }
    func passwordResetIsOpen(tokenHash: String, at: Date) async throws -> Bool {
        try await base.passwordResetIsOpen(tokenHash: tokenHash, at: at)
    }
    func usePasswordReset(tokenHash: String, passwordHash: String, at: Date) async throws -> Person {
        try await base.usePasswordReset(tokenHash: tokenHash, passwordHash: passwordHash, at: at)
    }
    func replacePassword(of personID: UUID, passwordHash: String, at: Date) async throws {
        try await base.replacePassword(of: personID, passwordHash: passwordHash, at: at)
    }
    func acceptInvitation(tokenHash: String, passwordHash: String, at: Date) async throws -> Person {
        try await base.acceptInvitation(tokenHash: tokenHash, passwordHash: passwordHash, at: at)
    }
    func insertOrganization(_ organization: Organization) async throws {
        try await base.insertOrganization(organization)
    }
    func insertPerson(_ person: Person, passwordHash: String, at: Date) async throws {
        try await base.insertPerson(person, passwordHash: passwordHash, at: at)
    }
    func setRole(_ role: Role, of personID: UUID) async throws { try await base.setRole(role, of: personID) }
}

extension FailingStore {
    func insertPartnerInvitation(_ invitation: PartnerInvitation, tokenHash: String) async throws {
        try await base.insertPartnerInvitation(invitation, tokenHash: tokenHash)
    }
    func partnerInvitation(tokenHash: String) async throws -> PartnerInvitation? {
        try await base.partnerInvitation(tokenHash: tokenHash)
    }
    func usePartnerInvitation(_ id: UUID, partnershipID: UUID, at: Date) async throws {
        try await base.usePartnerInvitation(id, partnershipID: partnershipID, at: at)
    }
    func openPartnerInvitations(from organizationID: UUID, at: Date) async throws -> [PartnerInvitation] {
        try await base.openPartnerInvitations(from: organizationID, at: at)
    }
}
