import CoSellDomain
import CoSellWorkflows
import FluentKit
import Foundation

extension CoSellStore {
    /// Replaces an organization's table for one reporting currency, in one transaction: a failure
    /// leaves the previous table intact.
    public func replaceExchangeRates(_ table: ExchangeRateTable, organizationID: UUID, at: Date) async throws {
        let code = table.reportingCurrency.code
        try await transaction { tx in
            try await ExchangeRateRecord.query(on: tx).filter(\.$organizationID == organizationID)
                .filter(\.$reportingCurrency == code).delete()
            let rows = table.entries.map { e -> ExchangeRateRecord in
                let r = ExchangeRateRecord()
                r.id = UUID()
                r.organizationID = organizationID
                r.reportingCurrency = code
                r.date = e.date.description
                r.currency = e.currency.code
                r.rate = e.rate.description
                r.uploadedAt = at
                return r
            }
            var start = 0
            while start < rows.count {
                let end = min(rows.count, start + 500)
                try await Array(rows[start..<end]).create(on: tx)
                start = end
            }
        }
    }

    /// The organization's table into `reportingCurrency`, or nil when none was uploaded.
    public func exchangeRates(organizationID: UUID, reportingCurrency: Currency) async throws -> StoredExchangeRates? {
        let rows = try await ExchangeRateRecord.query(on: db).filter(\.$organizationID == organizationID)
            .filter(\.$reportingCurrency == reportingCurrency.code).all()
        return try Self.tables(rows).first
    }

    /// Every table of the organization, by reporting currency code.
    public func exchangeRateTables(organizationID: UUID) async throws -> [StoredExchangeRates] {
        try Self.tables(try await ExchangeRateRecord.query(on: db).filter(\.$organizationID == organizationID).all())
    }

    static func tables(_ rows: [ExchangeRateRecord]) throws -> [StoredExchangeRates] {
        var grouped: [String: [ExchangeRateRecord]] = [:]
        for r in rows { grouped[r.reportingCurrency, default: []].append(r) }
        return try grouped.keys.sorted().map { code in
            let list = grouped[code]!
            guard let reporting = Currency(code: code) else {
                throw StoreError.invalid(field: "reporting_currency", "Stored currency \(code) is unknown.")
            }
            let entries = try list.map { r -> ExchangeRateEntry in
                guard let d = LocalDate(r.date), let c = Currency(code: r.currency), let rate = ExchangeRate(r.rate)
                else { throw StoreError.invalid(field: "rate", "A stored exchange rate is unreadable.") }
                return ExchangeRateEntry(date: d, currency: c, rate: rate)
            }
            return StoredExchangeRates(
                table: ExchangeRateTable(reportingCurrency: reporting, entries: entries),
                uploadedAt: list.map(\.uploadedAt).max() ?? Date(timeIntervalSince1970: 0))
        }
    }
}
