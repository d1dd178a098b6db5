import CoSellDomain
import Foundation

extension InMemoryStore {
    public func compensationPlans(of partnershipID: UUID) async throws -> [CompensationPlan] {
        read { s in
            s.compensationPlans.values.filter { $0.partnershipID == partnershipID }
                .sorted { $0.organizationID.uuidString < $1.organizationID.uuidString }
        }
    }

    public func saveCompensationPlan(_ plan: CompensationPlan) async throws {
        write { $0.compensationPlans["\(plan.partnershipID)/\(plan.organizationID)"] = plan }
    }
}
