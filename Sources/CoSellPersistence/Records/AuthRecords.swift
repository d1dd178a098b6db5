import CoSellDomain
import FluentKit
import Foundation

final class APITokenRecord: Model, @unchecked Sendable {
    static let schema = "api_tokens"
    @ID(custom: "id", generatedBy: .user) var id: UUID?
    @Field(key: "person_id") var personID: UUID
    @Field(key: "name") var name: String
    @Field(key: "token_hash") var tokenHash: String
    @Field(key: "scope") var scope: String
    @Field(key: "created_at") var createdAt: Date
    @OptionalField(key: "last_used_at") var lastUsedAt: Date?
    @OptionalField(key: "revoked_at") var revokedAt: Date?

    init() {}
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

final class PartnerInvitationRecord: Model, @unchecked Sendable {
    static let schema = "partner_invitations"
    @ID(custom: "id", generatedBy: .user) var id: UUID?
    @Field(key: "from_organization_id") var fromOrganizationID: UUID
    @Field(key: "invited_by") var invitedBy: UUID
    @Field(key: "partnership_name") var partnershipName: String
    @Field(key: "partner_domain") var partnerDomain: String
    @Field(key: "email") var email: String
    @Field(key: "token_hash") var tokenHash: String
    @OptionalField(key: "partnership_id") var partnershipID: UUID?
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "expires_at") var expiresAt: Date
    @OptionalField(key: "used_at") var usedAt: Date?
    init() {}

    init(_ i: PartnerInvitation, tokenHash: String) {
        id = i.id
        fromOrganizationID = i.fromOrganizationID
        invitedBy = i.invitedBy
        partnershipName = i.partnershipName
        partnerDomain = i.partnerDomain
        email = i.email
        self.tokenHash = tokenHash
        partnershipID = i.partnershipID
        createdAt = i.createdAt
        expiresAt = i.expiresAt
        usedAt = i.usedAt
    }

    var value: PartnerInvitation {
        PartnerInvitation(
            id: id!, fromOrganizationID: fromOrganizationID, invitedBy: invitedBy, partnershipName: partnershipName,
            partnerDomain: partnerDomain, email: email, partnershipID: partnershipID, createdAt: createdAt,
            expiresAt: expiresAt, usedAt: usedAt)
    }
}
