import CoSellDomain
import Foundation

/// Where each organization's record of how its account executives are credited for co-sell deals is kept.
public protocol CompensationStore: Sendable {
    /// What the partnership's organizations recorded (none, one or two plans).
    func compensationPlans(of partnershipID: UUID) async throws -> [CompensationPlan]
    /// Replaces what the plan's organization recorded for the plan's partnership.
    func saveCompensationPlan(_ plan: CompensationPlan) async throws
}
