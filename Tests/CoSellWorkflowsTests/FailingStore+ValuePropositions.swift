import CoSellDomain
import CoSellWorkflows
import Foundation

extension FailingStore {
    func valueProposition(of partnershipID: UUID) async throws -> ValueProposition? {
        try await base.valueProposition(of: partnershipID)
    }

    func saveValueProposition(_ vp: ValueProposition, expectedRevision: Int) async throws {
        try await base.saveValueProposition(vp, expectedRevision: expectedRevision)
    }
}
