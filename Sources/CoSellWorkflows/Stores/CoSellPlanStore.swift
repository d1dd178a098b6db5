import CoSellDomain
import Foundation

/// Where a partnership's co-sell plan is kept.
public protocol CoSellPlanStore: Sendable {
    /// Replaces the partnership's co-sell plan.
    func updatePlan(_ plan: CoSellPlan, of partnershipID: UUID) async throws
}
