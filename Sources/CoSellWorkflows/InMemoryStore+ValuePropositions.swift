import CoSellDomain
import Foundation

extension InMemoryStore {
    public func valueProposition(of partnershipID: UUID) async throws -> ValueProposition? {
        read { $0.valuePropositions[partnershipID] }
    }

    public func saveValueProposition(_ vp: ValueProposition, expectedRevision: Int) async throws {
        let saved: Bool = write { s in
            guard (s.valuePropositions[vp.partnershipID]?.revision ?? 0) == expectedRevision else { return false }
            s.valuePropositions[vp.partnershipID] = vp
            return true
        }
        if !saved {
            throw WorkflowError.conflict(
                "The value proposition was changed by someone else since you read it; reload it and try again.")
        }
    }
}
