import CoSellDomain
import CoSellMatching
import CoSellWorkflows
import Foundation

extension FailingStore {
    func overlaps(of ps: Partnership) async throws -> [StoredOverlap] { try await base.overlaps(of: ps) }
    func sharing(of ps: Partnership) async throws -> [SharingSetting] { try await base.sharing(of: ps) }
    func idealCustomerProfile(of id: UUID) async throws -> IdealCustomerProfile? {
        try await base.idealCustomerProfile(of: id)
    }
    func crmAccounts(of id: UUID) async throws -> [CRMAccount] { try await base.crmAccounts(of: id) }
    func activeAccountCount(of id: UUID) async throws -> Int { try await base.activeAccountCount(of: id) }
}

extension FailingStore {
    func updatePlan(_ plan: CoSellPlan, of id: UUID) async throws { try await base.updatePlan(plan, of: id) }
}
