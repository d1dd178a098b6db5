import CoSellDomain
import CoSellWorkflows
import Foundation

extension FailingStore {
    func compensationPlans(of partnershipID: UUID) async throws -> [CompensationPlan] {
        try await base.compensationPlans(of: partnershipID)
    }

    func saveCompensationPlan(_ plan: CompensationPlan) async throws { try await base.saveCompensationPlan(plan) }
}
