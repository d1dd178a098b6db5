import CoSellDomain
import Foundation

/// An exchange-rate table as stored: the table and when it was uploaded.
public struct StoredExchangeRates: Sendable, Equatable {
    public var table: ExchangeRateTable
    public var uploadedAt: Date

    public init(table: ExchangeRateTable, uploadedAt: Date) {
        self.table = table
        self.uploadedAt = uploadedAt
    }
}

/// What the revenue verbs read and write: an organization's exchange-rate tables.
public protocol RevenueStore: Sendable {
    /// Every table of the organization, by reporting currency code.
    func exchangeRateTables(organizationID: UUID) async throws -> [StoredExchangeRates]
    /// The organization's table into `reportingCurrency`, or nil when none was uploaded.
    func exchangeRates(organizationID: UUID, reportingCurrency: Currency) async throws -> StoredExchangeRates?
    /// Replaces the organization's table for the table's reporting currency.
    func replaceExchangeRates(_ table: ExchangeRateTable, organizationID: UUID, at: Date) async throws
}
