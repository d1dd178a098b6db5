import CoSellDomain
import Foundation

/// Where each partnership's joint value proposition is kept: its published version and its draft.
public protocol ValuePropositionStore: Sendable {
    func valueProposition(of partnershipID: UUID) async throws -> ValueProposition?
    /// Saves the value proposition if its stored revision is still `expectedRevision` (0: none is
    /// stored yet), else `WorkflowError.conflict`.
    func saveValueProposition(_ vp: ValueProposition, expectedRevision: Int) async throws
}
