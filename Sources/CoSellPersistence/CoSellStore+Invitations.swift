import CoSellDomain
import FluentKit
import Foundation

extension CoSellStore {
    public func createInvitation(_ i: Invitation, tokenHash: String) async throws {
        let r = InvitationRecord()
        r.id = i.id
        r.organizationID = i.organizationID
        r.email = i.email.lowercased()
        r.name = i.name
        r.role = i.role.rawValue
        r.tokenHash = tokenHash
        r.invitedBy = i.invitedBy
        r.createdAt = i.createdAt
        r.expiresAt = i.expiresAt
        try await r.create(on: db)
    }

    /// Accepts an invitation: creates the person and their password in one transaction.
    public func acceptInvitation(tokenHash: String, passwordHash: String, at: Date) async throws -> Person {
        try await transaction { tx in
            guard let inv = try await InvitationRecord.query(on: tx).filter(\.$tokenHash == tokenHash).first(),
                inv.acceptedAt == nil, inv.expiresAt > at
            else { throw StoreError.notFound("invitation") }
            if try await PersonRecord.query(on: tx).filter(\.$email == inv.email).count() > 0 {
                throw StoreError.conflict("A person with the e-mail \(inv.email) already exists.")
            }
            let person = Person(
                id: UUID(), organizationID: inv.organizationID, name: inv.name, email: inv.email,
                role: Role(rawValue: inv.role) ?? .viewer)
            try await PersonRecord(person, createdAt: at).create(on: tx)
            let c = CredentialRecord()
            c.id = person.id
            c.passwordHash = passwordHash
            c.updatedAt = at
            try await c.create(on: tx)
            inv.acceptedAt = at
            try await inv.update(on: tx)
            return person
        }
    }
}
