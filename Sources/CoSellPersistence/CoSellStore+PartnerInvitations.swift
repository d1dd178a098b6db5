import CoSellDomain
import CoSellWorkflows
import FluentKit
import Foundation

extension CoSellStore {
    public func insertPartnerInvitation(_ invitation: PartnerInvitation, tokenHash: String) async throws {
        try await PartnerInvitationRecord(invitation, tokenHash: tokenHash).create(on: db)
    }

    public func partnerInvitation(tokenHash: String) async throws -> PartnerInvitation? {
        try await PartnerInvitationRecord.query(on: db).filter(\.$tokenHash == tokenHash).first()?.value
    }

    public func usePartnerInvitation(_ id: UUID, partnershipID: UUID, at: Date) async throws {
        try await PartnerInvitationRecord.query(on: db).filter(\.$id == id).set(\.$usedAt, to: at)
            .set(\.$partnershipID, to: partnershipID).update()
    }

    public func openPartnerInvitations(from organizationID: UUID, at: Date) async throws -> [PartnerInvitation] {
        try await PartnerInvitationRecord.query(on: db).filter(\.$fromOrganizationID == organizationID)
            .filter(\.$usedAt == nil).filter(\.$expiresAt > at).sort(\.$createdAt, .descending).limit(200).all()
            .map(\.value)
    }
}

extension FluentWorkflowStore {
    public func insertPartnerInvitation(_ invitation: PartnerInvitation, tokenHash: String) async throws {
        try await store.insertPartnerInvitation(invitation, tokenHash: tokenHash)
    }

    public func partnerInvitation(tokenHash: String) async throws -> PartnerInvitation? {
        try await store.partnerInvitation(tokenHash: tokenHash)
    }

    public func usePartnerInvitation(_ id: UUID, partnershipID: UUID, at: Date) async throws {
        try await store.usePartnerInvitation(id, partnershipID: partnershipID, at: at)
    }

    public func openPartnerInvitations(from organizationID: UUID, at: Date) async throws -> [PartnerInvitation] {
        try await store.openPartnerInvitations(from: organizationID, at: at)
    }
}
