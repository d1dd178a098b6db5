import CoSellDomain
import CoSellPersistence
import CoSellWorkflows
import Foundation
import Vapor

enum RevenuePageController {
    /// `GET /reports/revenue?currency=&from=&to=`: the same loader and visibility as
    /// `GET /api/v1/reports/revenue`; without a currency, that of the most recently uploaded table
    /// (USD when there is none). A refused filter comes back with the message beside its field.
    static func show(_ req: Request) async throws -> Response {
        let s = try await req.requirePageSession()
        let f = req.displayFormat
        let tables = try await req.store.exchangeRateTables(organizationID: s.person.organizationID)
        let typed = { (name: String) in
            ((try? req.query.get(String.self, at: name)) ?? "").trimmingCharacters(in: .whitespaces)
        }
        var errors: [String: String] = [:]
        func attempt<T>(_ field: String, _ body: () throws -> T) -> T? {
            do { return try body() } catch let p as Problem {
                errors[field] = p.detail
            } catch {
                errors[field] = "\(error)"
            }
            return nil
        }
        let currencyText = typed("currency")
        var reporting: Currency? = nil
        if currencyText.isEmpty {
            reporting = RevenueWorkflows.latest(tables) ?? Currency(code: "USD")
        } else {
            reporting = attempt("currency") { try RequestInput.currency(req, "currency") }
        }
        let from = typed("from").isEmpty ? nil : attempt("from") { try RequestInput.date(req, "from") } ?? nil
        let to = typed("to").isEmpty ? nil : attempt("to") { try RequestInput.date(req, "to") } ?? nil
        if let from, let to, to < from { errors["to"] = "The end must not be before the start." }
        var report: RevenuePageModel.Report? = nil
        if errors.isEmpty, let reporting {
            let revenue = try await req.workflows.revenue.revenue(
                by: s.principal, reporting: reporting, from: from, to: to)
            report = model(RevenueView(revenue), f)
        }
        let m = RevenuePageModel(
            chrome: s.chrome("Partner revenue", .revenue), currency: reporting?.code ?? currencyText,
            from: typed("from"), to: typed("to"), errors: errors,
            tableCurrencies: tables.map(\.table.reportingCurrency.code).sorted(), report: report,
            isAdmin: s.person.role == .admin)
        return Pages.html(RevenuePage.render(m), status: errors.isEmpty ? .ok : .unprocessableEntity)
    }

    /// The page's view of the API's report: a row per partner and quarter with both attributions.
    static func model(_ v: RevenueView, _ f: DisplayFormat) -> RevenuePageModel.Report {
        let r = v.report
        let names = Dictionary(v.organizations.map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
        func name(_ id: UUID) -> String { names[id] ?? "Unknown organization" }
        func money(_ minor: Int64) -> String { f.format(Money(minorUnits: minor, currency: r.reportingCurrency)) }
        struct Key: Hashable {
            var partner: UUID
            var quarter: String
        }
        var sums: [Key: (sourced: Int64, sourcedDeals: Int, influenced: Int64, influencedDeals: Int, overflow: Bool)] =
            [:]
        var order: [Key] = []
        for row in r.rows {
            let k = Key(partner: row.partnerOrganizationID, quarter: row.quarter)
            if sums[k] == nil { order.append(k) }
            var s = sums[k] ?? (0, 0, 0, 0, false)
            if row.attribution == .partnerSourced {
                let (v, o) = s.sourced.addingReportingOverflow(row.amount.minorUnits)
                s.sourced = v
                s.overflow = s.overflow || o
                s.sourcedDeals += row.deals
            } else {
                let (v, o) = s.influenced.addingReportingOverflow(row.amount.minorUnits)
                s.influenced = v
                s.overflow = s.overflow || o
                s.influencedDeals += row.deals
            }
            sums[k] = s
        }
        let rows = order.sorted { (name($0.partner), $0.quarter) < (name($1.partner), $1.quarter) }.map { k in
            let s = sums[k]!
            let (total, o) = s.sourced.addingReportingOverflow(s.influenced)
            return RevenuePageModel.Row(
                partner: name(k.partner), quarter: k.quarter, sourcedDeals: s.sourcedDeals,
                sourced: s.overflow || s.sourcedDeals == 0 ? "—" : money(s.sourced), influencedDeals: s.influencedDeals,
                influenced: s.overflow || s.influencedDeals == 0 ? "—" : money(s.influenced),
                total: s.overflow || o ? "—" : money(total),
                sourcedValue: Double(s.sourced), influencedValue: Double(s.influenced))
        }
        func title(_ id: UUID) -> String { v.dealTitles[id] ?? id.uuidString }
        let unconverted = r.unconverted.map { u in
            RevenuePageModel.LeftOut(
                dealID: u.dealID, title: title(u.dealID), partner: name(u.partnerOrganizationID),
                closeDate: f.format(u.closeDate), amount: f.format(u.amount),
                reason: u.reason == .noRate
                    ? "No \(u.amount.currency.code) rate into \(r.reportingCurrency.code) on or before \(f.format(u.closeDate))."
                    : "Too large to convert or to sum.")
        }
        let unattributed = r.unattributed.map { w in
            RevenuePageModel.LeftOut(
                dealID: w.dealID, title: w.title, partner: name(w.partnerOrganizationID),
                closeDate: f.format(w.closeDate), amount: f.format(w.amount),
                reason: "Not registered"
                    + (w.amountInReportingCurrency.map { " (\(f.format($0)) at the close date's rate)." } ?? "."))
        }
        var query = "currency=\(r.reportingCurrency.code)"
        if let from = v.from { query += "&from=\(from)" }
        if let to = v.to { query += "&to=\(to)" }
        return RevenuePageModel.Report(
            reportingCurrency: r.reportingCurrency.code, ratesUploadedAt: v.ratesUploadedAt.map(f.format), rows: rows,
            total: r.total.map(f.format) ?? "too large to show", unconverted: unconverted, unattributed: unattributed,
            apiQuery: query)
    }
}
