import CoSellDomain
import CoSellMatching
import CoSellWorkflows
import Foundation

extension FluentWorkflowStore {
    public func overlaps(of partnership: Partnership) async throws -> [StoredOverlap] {
        try await store.overlaps(of: partnership)
    }

    public func sharing(of partnership: Partnership) async throws -> [SharingSetting] {
        try await store.sharing(of: partnership)
    }

    public func idealCustomerProfile(of organizationID: UUID) async throws -> IdealCustomerProfile? {
        try await store.settings(of: organizationID).idealCustomerProfile
    }

    public func crmAccounts(of organizationID: UUID) async throws -> [CRMAccount] {
        try await store.accounts(of: organizationID)
    }

    public func activeAccountCount(of organizationID: UUID) async throws -> Int {
        try await store.accountCount(of: organizationID)
    }
}

extension FluentWorkflowStore {
    public func updatePlan(_ plan: CoSellPlan, of partnershipID: UUID) async throws {
        try await store.updatePlan(plan, of: partnershipID)
    }
}
