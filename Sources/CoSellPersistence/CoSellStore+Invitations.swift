import CoSellDomain
import FluentKit
import Foundation

public struct Invitation: Codable, Sendable, Equatable, Identifiable {
    public var id: UUID
    public var organizationID: UUID
    public var email: String
    public var name: String
    public var role: Role
    public var invitedBy: UUID
    public var createdAt: Date
    public var expiresAt: Date
    public var acceptedAt: Date?

    public init(
        id: UUID, organizationID: UUID, email: String, name: String, role: Role, invitedBy: UUID, createdAt: Date,
        expiresAt: Date, acceptedAt: Date?
    ) {
        self.id = id
        self.organizationID = organizationID
        self.email = email
        self.name = name
        self.role = role
        self.invitedBy = invitedBy
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.acceptedAt = acceptedAt
    }
}

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
