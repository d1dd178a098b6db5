import CoSellDomain
import Foundation

extension InMemoryStore {
    public func exchangeRateTables(organizationID: UUID) async throws -> [StoredExchangeRates] {
        read { s in
            s.exchangeRates.filter { $0.key.hasPrefix(organizationID.uuidString + "/") }
                .sorted { $0.key < $1.key }.map(\.value)
        }
    }

    public func exchangeRates(organizationID: UUID, reportingCurrency: Currency) async throws -> StoredExchangeRates? {
        read { $0.exchangeRates["\(organizationID.uuidString)/\(reportingCurrency.code)"] }
    }

    public func replaceExchangeRates(_ table: ExchangeRateTable, organizationID: UUID, at: Date) async throws {
        write {
            $0.exchangeRates["\(organizationID.uuidString)/\(table.reportingCurrency.code)"] = StoredExchangeRates(
                table: table, uploadedAt: at)
        }
    }

    public func reportFacts(
        visibleTo organizationID: UUID, partnershipID: UUID?, status: DealStatus?
    ) async throws
        -> [DealFacts]
    {
        read { s in
            s.deals.values.filter { d in
                d.side(of: organizationID) != nil && (partnershipID.map { d.partnershipID == $0 } ?? true)
                    && (status.map { d.status == $0 } ?? true)
            }.sorted { $0.createdAt > $1.createdAt }.map { DealFacts($0) }
        }
    }
}
