import CoSellDomain
import Foundation

extension InMemoryStore {
    public func insertPartnerInvitation(_ invitation: PartnerInvitation, tokenHash: String) async throws {
        write { $0.partnerInvitations[tokenHash] = invitation }
    }

    public func partnerInvitation(tokenHash: String) async throws -> PartnerInvitation? {
        read { $0.partnerInvitations[tokenHash] }
    }

    public func usePartnerInvitation(_ id: UUID, partnershipID: UUID, at: Date) async throws {
        write { s in
            for (key, i) in s.partnerInvitations where i.id == id {
                s.partnerInvitations[key]?.usedAt = at
                s.partnerInvitations[key]?.partnershipID = partnershipID
            }
        }
    }

    public func openPartnerInvitations(from organizationID: UUID, at: Date) async throws -> [PartnerInvitation] {
        read { s in
            s.partnerInvitations.values.filter { $0.fromOrganizationID == organizationID && $0.isOpen(at: at) }
                .sorted { ($0.createdAt, $0.id.uuidString) > ($1.createdAt, $1.id.uuidString) }
        }
    }
}
