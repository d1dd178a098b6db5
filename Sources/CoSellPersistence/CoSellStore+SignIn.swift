import CoSellDomain
import FluentKit
import FluentSQL
import Foundation

/// An API token as its owner sees it (never the secret).
public struct APITokenInfo: Codable, Sendable, Equatable, Identifiable {
    public var id: UUID
    public var name: String
    public var scope: String
    public var createdAt: Date
    public var lastUsedAt: Date?
    public var revokedAt: Date?

    public init(id: UUID, name: String, scope: String, createdAt: Date, lastUsedAt: Date?, revokedAt: Date?) {
        self.id = id
        self.name = name
        self.scope = scope
        self.createdAt = createdAt
        self.lastUsedAt = lastUsedAt
        self.revokedAt = revokedAt
    }
}

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

final class CredentialRecord: Model, @unchecked Sendable {
    static let schema = "credentials"
    @ID(custom: "person_id", generatedBy: .user) var id: UUID?
    @Field(key: "password_hash") var passwordHash: String
    @Field(key: "updated_at") var updatedAt: Date
    init() {}
}

final class SessionRecord: Model, @unchecked Sendable {
    static let schema = "sessions"
    @ID(custom: "id", generatedBy: .user) var id: UUID?
    @Field(key: "token_hash") var tokenHash: String
    @Field(key: "person_id") var personID: UUID
    @Field(key: "csrf_token") var csrfToken: String
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "expires_at") var expiresAt: Date
    init() {}
}

final class SignInFailureRecord: Model, @unchecked Sendable {
    static let schema = "sign_in_failures"
    @ID(custom: "id", generatedBy: .user) var id: UUID?
    @Field(key: "email") var email: String
    @Field(key: "address") var address: String
    @Field(key: "at") var at: Date
    init() {}
}

final class AuditEventRecord: Model, @unchecked Sendable {
    static let schema = "audit_events"
    @ID(custom: "id", generatedBy: .user) var id: UUID?
    @OptionalField(key: "organization_id") var organizationID: UUID?
    @OptionalField(key: "actor_id") var actorID: UUID?
    @OptionalField(key: "actor_name") var actorName: String?
    @Field(key: "kind") var kind: String
    @Field(key: "detail") var detail: String
    @OptionalField(key: "address") var address: String?
    @Field(key: "at") var at: Date
    init() {}

    var value: AuditEvent {
        AuditEvent(
            id: id!, organizationID: organizationID, actorID: actorID, actorName: actorName, kind: kind, detail: detail,
            address: address, at: at)
    }
}

final class InvitationRecord: Model, @unchecked Sendable {
    static let schema = "invitations"
    @ID(custom: "id", generatedBy: .user) var id: UUID?
    @Field(key: "organization_id") var organizationID: UUID
    @Field(key: "email") var email: String
    @Field(key: "name") var name: String
    @Field(key: "role") var role: String
    @Field(key: "token_hash") var tokenHash: String
    @Field(key: "invited_by") var invitedBy: UUID
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "expires_at") var expiresAt: Date
    @OptionalField(key: "accepted_at") var acceptedAt: Date?
    init() {}

    var value: Invitation {
        Invitation(
            id: id!, organizationID: organizationID, email: email, name: name, role: Role(rawValue: role) ?? .viewer,
            invitedBy: invitedBy, createdAt: createdAt, expiresAt: expiresAt, acceptedAt: acceptedAt)
    }
}

extension CoSellStore {
    // MARK: passwords and sessions

    public func setPassword(hash: String, for personID: UUID, at: Date) async throws {
        if let r = try await CredentialRecord.find(personID, on: db) {
            r.passwordHash = hash
            r.updatedAt = at
            try await r.update(on: db)
        } else {
            let r = CredentialRecord()
            r.id = personID
            r.passwordHash = hash
            r.updatedAt = at
            try await r.create(on: db)
        }
    }

    /// The person with this e-mail and their password hash, if they have one.
    public func credentials(email: String) async throws -> (Person, String)? {
        guard let p = try await PersonRecord.query(on: db).filter(\.$email == email.lowercased()).first(),
            let c = try await CredentialRecord.find(p.id!, on: db)
        else { return nil }
        return (p.domainValue, c.passwordHash)
    }

    public func person(email: String) async throws -> Person? {
        try await PersonRecord.query(on: db).filter(\.$email == email.lowercased()).first()?.domainValue
    }

    public func createSession(tokenHash: String, personID: UUID, csrf: String, at: Date, expiresAt: Date) async throws {
        let r = SessionRecord()
        r.id = UUID()
        r.tokenHash = tokenHash
        r.personID = personID
        r.csrfToken = csrf
        r.createdAt = at
        r.expiresAt = expiresAt
        try await r.create(on: db)
    }

    /// The person behind a live session, and its CSRF token.
    public func session(tokenHash: String, at: Date) async throws -> (Person, csrf: String)? {
        guard let s = try await SessionRecord.query(on: db).filter(\.$tokenHash == tokenHash).first(), s.expiresAt > at,
            let p = try await PersonRecord.find(s.personID, on: db), p.deactivatedAt == nil
        else { return nil }
        return (p.domainValue, s.csrfToken)
    }

    public func deleteSession(tokenHash: String) async throws {
        try await SessionRecord.query(on: db).filter(\.$tokenHash == tokenHash).delete()
    }

    // MARK: sign-in rate limiting

    public func recordSignInFailure(email: String, address: String, at: Date) async throws {
        let r = SignInFailureRecord()
        r.id = UUID()
        r.email = email.lowercased()
        r.address = address
        r.at = at
        try await r.create(on: db)
    }

    /// Failed sign-ins since `since`, for one account and for one address.
    public func signInFailures(email: String, address: String, since: Date) async throws -> (account: Int, address: Int)
    {
        let a = try await SignInFailureRecord.query(on: db).filter(\.$email == email.lowercased()).filter(\.$at > since)
            .count()
        let b = try await SignInFailureRecord.query(on: db).filter(\.$address == address).filter(\.$at > since).count()
        return (a, b)
    }

    // MARK: tokens

    public func tokens(of personID: UUID) async throws -> [APITokenInfo] {
        try await APITokenRecord.query(on: db).filter(\.$personID == personID).sort(\.$createdAt).all().map {
            APITokenInfo(
                id: $0.id!, name: $0.name, scope: $0.scope, createdAt: $0.createdAt, lastUsedAt: $0.lastUsedAt,
                revokedAt: $0.revokedAt)
        }
    }

    /// Revokes one of a person's tokens; false when they have no such token.
    public func revokeToken(_ id: UUID, of personID: UUID, at: Date) async throws -> Bool {
        guard let t = try await APITokenRecord.find(id, on: db), t.personID == personID else { return false }
        if t.revokedAt == nil {
            t.revokedAt = at
            try await t.update(on: db)
        }
        return true
    }

    // MARK: people

    public func deactivate(_ personID: UUID, at: Date) async throws {
        guard let p = try await PersonRecord.find(personID, on: db) else { throw StoreError.notFound("person") }
        p.deactivatedAt = at
        try await p.update(on: db)
        try await SessionRecord.query(on: db).filter(\.$personID == personID).delete()
    }

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

    // MARK: audit log

    public func audit(_ e: AuditEvent) async throws {
        let r = AuditEventRecord()
        r.id = e.id
        r.organizationID = e.organizationID
        r.actorID = e.actorID
        r.actorName = e.actorName
        r.kind = e.kind
        r.detail = String(e.detail.prefix(2000))
        r.address = e.address
        r.at = e.at
        try await r.create(on: db)
    }

    public func auditEvents(of organizationID: UUID, limit: Int, offset: Int) async throws -> Page<AuditEvent> {
        let q = AuditEventRecord.query(on: db).filter(\.$organizationID == organizationID)
        let total = try await q.count()
        let items = try await q.sort(\.$at, .descending).sort(\.$id).range(offset..<(offset + limit)).all().map(\.value)
        return Page(items: items, total: total)
    }

    // MARK: partnerships

    public func organization(domain: String) async throws -> Organization? {
        try await OrganizationRecord.query(on: db).filter(\.$domain == domain.lowercased()).first()?.domainValue
    }

    public func savePartnershipStatus(_ p: Partnership) async throws {
        guard let r = try await PartnershipRecord.find(p.id, on: db) else { throw StoreError.notFound("partnership") }
        r.status = p.status.rawValue
        r.endedBy = p.endedBy
        r.endedReason = p.endedReason
        try await r.update(on: db)
    }

    /// Open deals of a partnership (for ending it).
    public func openDeals(of partnershipID: UUID) async throws -> [Deal] {
        try await DealRecord.query(on: db).filter(\.$partnershipID == partnershipID).filter(\.$status == "open").all()
            .map { try $0.domainValue() }
    }
}
