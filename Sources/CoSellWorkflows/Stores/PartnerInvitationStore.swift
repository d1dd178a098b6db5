import CoSellDomain
import Foundation

/// What the partnership invitations read and write. Links are kept by the hash of their secret.
public protocol PartnerInvitationStore: Sendable {
    func insertPartnerInvitation(_ invitation: PartnerInvitation, tokenHash: String) async throws
    /// The invitation of a link, open or not; nil for an unknown link.
    func partnerInvitation(tokenHash: String) async throws -> PartnerInvitation?
    /// Marks the invitation used and records the partnership it made.
    func usePartnerInvitation(_ id: UUID, partnershipID: UUID, at: Date) async throws
    /// The organization's invitations still open at `at`, newest first.
    func openPartnerInvitations(from organizationID: UUID, at: Date) async throws -> [PartnerInvitation]
}
