import CoSellDomain
import Foundation

extension WorkspaceLoader {
    /// Demo exchange rates, one a week for the last 400 days: the host company reports in US dollars
    /// (from euros and pounds), the partner in euros (from dollars and pounds).
    static func loadExchangeRates(_ ws: DemoWorkspace, store: CoSellStore) async throws {
        let orgs = ws.partnership.organizationIDs
        let at = ws.partnership.createdAt
        let now = ws.deals.map(\.deal.lastActivityAt).max() ?? at
        let usd = Currency(code: "USD")!
        let eur = Currency(code: "EUR")!
        let gbp = Currency(code: "GBP")!
        // Base rates in ten-thousandths, with a small deterministic weekly wobble.
        let series: [(reporting: Currency, org: UUID, from: [(Currency, Int)])] = [
            (usd, orgs[0], [(eur, 10_850), (gbp, 12_700)]),
            (eur, orgs[1], [(usd, 9_220), (gbp, 11_710)]),
        ]
        for s in series {
            var entries: [ExchangeRateEntry] = []
            for week in 0...57 {
                let day = LocalDate(now.addingTimeInterval(-Double(week) * 7 * 86_400))
                for (currency, base) in s.from {
                    let units = base + ((week * 37) % 120) - 60
                    let text = "\(units / 10_000).\(String(format: "%04d", units % 10_000))"
                    entries.append(ExchangeRateEntry(date: day, currency: currency, rate: ExchangeRate(text)!))
                }
            }
            try await store.replaceExchangeRates(
                ExchangeRateTable(reportingCurrency: s.reporting, entries: entries), organizationID: s.org, at: at)
        }
    }
}
