import CoSellDomain
import CoSellWorkflows
import Foundation

extension FluentWorkflowStore {
    public func exchangeRateTables(organizationID: UUID) async throws -> [StoredExchangeRates] {
        try await store.exchangeRateTables(organizationID: organizationID)
    }

    public func exchangeRates(organizationID: UUID, reportingCurrency: Currency) async throws -> StoredExchangeRates? {
        try await store.exchangeRates(organizationID: organizationID, reportingCurrency: reportingCurrency)
    }

    public func replaceExchangeRates(_ table: ExchangeRateTable, organizationID: UUID, at: Date) async throws {
        try await store.replaceExchangeRates(table, organizationID: organizationID, at: at)
    }

    public func reportFacts(
        visibleTo organizationID: UUID, partnershipID: UUID?, status: DealStatus?
    ) async throws
        -> [DealFacts]
    {
        try await store.reportFacts(visibleTo: organizationID, partnershipID: partnershipID, status: status)
    }
}
