import CoSellDomain
import CoSellPersistence
import Foundation
import Vapor

/// The partner revenue report of the signed-in person's organization: partner-sourced and
/// partner-influenced revenue by partner and quarter, in one reporting currency.
public struct RevenuePageModel: Sendable, Equatable {
    /// One partner and quarter: the two attributions side by side.
    public struct Row: Sendable, Equatable {
        public var partner: String
        public var quarter: String
        public var sourcedDeals: Int
        public var sourced: String
        public var influencedDeals: Int
        public var influenced: String
        public var total: String
        /// The two amounts in minor units of the reporting currency, for the chart.
        public var sourcedValue: Double
        public var influencedValue: Double
    }

    /// A won deal left out of the converted rows, with the reason.
    public struct LeftOut: Sendable, Equatable {
        public var dealID: UUID
        public var title: String
        public var partner: String
        public var closeDate: String
        public var amount: String
        public var reason: String
    }

    public var chrome: PageChrome
    /// The filter as typed (kept when it is refused).
    public var currency: String
    public var from: String
    public var to: String
    public var errors: [String: String]
    /// The currencies of the organization's exchange-rate tables.
    public var tableCurrencies: [String]
    /// Nil when the filter was refused: the page then shows only the form.
    public var report: Report?
    public var isAdmin: Bool

    public struct Report: Sendable, Equatable {
        public var reportingCurrency: String
        public var ratesUploadedAt: String?
        public var rows: [Row]
        public var total: String
        public var unconverted: [LeftOut]
        public var unattributed: [LeftOut]
        /// The query of the API links (`currency=EUR&from=…`).
        public var apiQuery: String
    }
}

public enum RevenuePage {
    public static func render(_ m: RevenuePageModel) -> Node {
        Layout.page(m.chrome) {
            el("p", .cls("muted")) {
                link(SiteRoute.partnerships, "Partnerships"); " › Revenue"
            }
            el("h1") { "Partner revenue" }
            el("p") {
                "Won deals of your partnerships that you may see, by partner and quarter of the close date, each converted at the exchange rate of its close date. "
                link(SiteRoute.exchangeRates, "Exchange rates")
            }
            el("form", Attr("method", "get"), Attr("action", SiteRoute.revenue()), .cls("filters")) {
                Layout.field(
                    "currency", "Reporting currency", value: m.currency, required: true,
                    hint: m.tableCurrencies.isEmpty
                        ? "An ISO 4217 code. No exchange rates are uploaded yet."
                        : "An ISO 4217 code. Your tables: \(m.tableCurrencies.joined(separator: ", ")).",
                    error: m.errors["currency"], formID: "revenue", extra: [Attr("maxlength", "3")])
                Layout.field(
                    "from", "Closed from", value: m.from, type: "date", error: m.errors["from"], formID: "revenue")
                Layout.field("to", "Closed to", value: m.to, type: "date", error: m.errors["to"], formID: "revenue")
                el("div", .cls("field")) { el("button", .type("submit")) { "Show" } }
            }
            if let r = m.report { report(r) }
        }
    }

    static func report(_ r: RevenuePageModel.Report) -> Node {
        return group {
            el("section", .aria("labelledby", "revenue-h")) {
                el("h2", .id("revenue-h")) { "Revenue in \(r.reportingCurrency)" }
                el("p") {
                    link(SiteRoute.apiRevenue(csv: true, query: r.apiQuery), "Download CSV"); " · "
                    link(SiteRoute.apiRevenue(csv: false, query: r.apiQuery), "JSON")
                    " · "
                    r.ratesUploadedAt.map { "Rates uploaded \($0)." } ?? "No \(r.reportingCurrency) rates uploaded."
                }
                if r.rows.isEmpty {
                    el("p", .cls("muted")) { "No registered won deal converts into \(r.reportingCurrency)." }
                } else {
                    Charts.bars(
                        title: "Partner-sourced and partner-influenced revenue by partner and quarter",
                        r.rows.map {
                            .init(
                                label: "\($0.partner) \($0.quarter)",
                                segments: [
                                    .init($0.sourcedValue, Charts.blue, "partner-sourced"),
                                    .init($0.influencedValue, Charts.green, "partner-influenced"),
                                ], display: $0.total)
                        },
                        legend: [
                            .init(0, Charts.blue, "partner-sourced"), .init(0, Charts.green, "partner-influenced"),
                        ])
                    el("div", .cls("table-wrap")) {
                        el("table") {
                            el("thead") {
                                el("tr") {
                                    for h in [
                                        "Partner", "Quarter", "Partner-sourced deals", "Partner-sourced",
                                        "Partner-influenced deals", "Partner-influenced", "Total",
                                    ] {
                                        el("th", Attr("scope", "col")) { h }
                                    }
                                }
                            }
                            el("tbody") {
                                for row in r.rows {
                                    el("tr") {
                                        el("th", Attr("scope", "row")) { row.partner }
                                        el("td") { row.quarter }
                                        el("td", .cls("num")) { String(row.sourcedDeals) }
                                        el("td", .cls("num")) { row.sourced }
                                        el("td", .cls("num")) { String(row.influencedDeals) }
                                        el("td", .cls("num")) { row.influenced }
                                        el("td", .cls("num")) { row.total }
                                    }
                                }
                            }
                        }
                    }
                }
                el("p") { "Total: \(r.total)." }
            }
            leftOut(
                "Registered wins not converted", id: "unconverted", r.unconverted,
                none: "Every registered win converted.")
            leftOut(
                "Wins without a registration", id: "unattributed", r.unattributed,
                none: "Every win is registered.",
                note:
                    "A deal that closes without registration is unprovable: register it to count it as partner revenue."
            )
        }
    }

    static func leftOut(
        _ title: String, id: String, _ lines: [RevenuePageModel.LeftOut], none: String, note: String? = nil
    ) -> Node {
        el("section", .aria("labelledby", id + "-h")) {
            el("h2", .id(id + "-h")) { "\(title) (\(lines.count))" }
            if lines.isEmpty {
                el("p", .cls("muted")) { none }
            } else {
                if let note { el("p", .cls("muted")) { note } }
                el("div", .cls("table-wrap")) {
                    el("table") {
                        el("thead") {
                            el("tr") {
                                for h in ["Deal", "Partner", "Closed", "Amount", "Reason"] {
                                    el("th", Attr("scope", "col")) { h }
                                }
                            }
                        }
                        el("tbody") {
                            for l in lines {
                                el("tr") {
                                    el("th", Attr("scope", "row")) { link(SiteRoute.deal(l.dealID), l.title) }
                                    el("td") { l.partner }
                                    el("td") { l.closeDate }
                                    el("td", .cls("num")) { l.amount }
                                    el("td") { l.reason }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// The organization's exchange-rate tables, with the upload form for admins.
public struct ExchangeRatesPageModel: Sendable, Equatable {
    public struct Table: Sendable, Equatable {
        public var reportingCurrency: String
        public var uploadedAt: String
        public var entries: Int
        public var currencies: String
        public var firstDate: String
        public var lastDate: String
    }

    public var chrome: PageChrome
    public var tables: [Table]
    public var canUpload: Bool
    /// The form as typed.
    public var reportingCurrency: String
    public var csv: String
    public var errors: [String: String]
    public var message: String?
}

public enum ExchangeRatesPage {
    public static func render(_ m: ExchangeRatesPageModel) -> Node {
        Layout.page(m.chrome) {
            el("p", .cls("muted")) {
                link(SiteRoute.revenue(), "Partner revenue"); " › Exchange rates"
            }
            el("h1") { "Exchange rates" }
            el("p") {
                "One table per reporting currency. A rate says what one unit of a currency bought in the reporting currency that day; a deal converts at the latest rate on or before its close date."
            }
            if m.tables.isEmpty { el("p", .cls("muted")) { "No exchange rates are uploaded yet." } }
            if !m.tables.isEmpty {
                el("div", .cls("table-wrap")) {
                    el("table") {
                        el("thead") {
                            el("tr") {
                                for h in [
                                    "Reporting currency", "Uploaded", "Rates", "Currencies", "First day", "Last day",
                                ] {
                                    el("th", Attr("scope", "col")) { h }
                                }
                            }
                        }
                        el("tbody") {
                            for t in m.tables {
                                el("tr") {
                                    el("th", Attr("scope", "row")) {
                                        link(SiteRoute.revenue(currency: t.reportingCurrency), t.reportingCurrency)
                                    }
                                    el("td") { t.uploadedAt }
                                    el("td", .cls("num")) { String(t.entries) }
                                    el("td") { t.currencies }
                                    el("td") { t.firstDate }
                                    el("td") { t.lastDate }
                                }
                            }
                        }
                    }
                }
            }
            if m.canUpload {
                el("section", .aria("labelledby", "upload-h")) {
                    el("h2", .id("upload-h")) { "Upload a table" }
                    el("p") {
                        "A CSV with the header "
                        el("code") { "date,currency,rate_to_reporting" }
                        " and one row per currency and day. It replaces the table into that reporting currency; a file with an error changes nothing."
                    }
                    Layout.formError(m.message)
                    Layout.postForm(
                        SiteRoute.exchangeRates, csrf: m.chrome.csrf, attrs: [Attr("enctype", "multipart/form-data")]
                    ) {
                        Layout.field(
                            "reporting_currency", "Reporting currency", value: m.reportingCurrency, required: true,
                            hint: "An ISO 4217 code such as EUR.", error: m.errors["reporting_currency"],
                            formID: "rates", extra: [Attr("maxlength", "3")])
                        el("div", .cls("field")) {
                            el("label", .for("rates-file")) { "CSV file (up to 5 MB)" }
                            el(
                                "input", .id("rates-file"), .type("file"), .name("file"),
                                Attr("accept", ".csv,text/csv"))
                        }
                        Layout.textArea(
                            "csv", "Or paste the CSV", value: m.csv, rows: 6,
                            hint: "Used when no file is chosen.", error: m.errors["csv"], formID: "rates")
                        el("button", .type("submit")) { "Replace the table" }
                    }
                }
            }
        }
    }
}

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
            reporting =
                tables.max(by: { $0.uploadedAt < $1.uploadedAt })?.table.reportingCurrency ?? Currency(code: "USD")
        } else {
            reporting = attempt("currency") { try RevenueAPI.currency(req, "currency") }
        }
        let from = typed("from").isEmpty ? nil : attempt("from") { try RevenueAPI.date(req, "from") } ?? nil
        let to = typed("to").isEmpty ? nil : attempt("to") { try RevenueAPI.date(req, "to") } ?? nil
        if let from, let to, to < from { errors["to"] = "The end must not be before the start." }
        var report: RevenuePageModel.Report? = nil
        if errors.isEmpty, let reporting {
            let view = try await RevenueAPI.revenue(req, person: s.person, reporting: reporting, from: from, to: to)
            report = model(view, f)
        }
        let m = RevenuePageModel(
            chrome: s.chrome("Partner revenue", .partnerships), currency: reporting?.code ?? currencyText,
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

enum ExchangeRatesPageController {
    static func tables(_ req: Request, _ s: PageSession) async throws -> [ExchangeRatesPageModel.Table] {
        let f = req.displayFormat
        return try await req.store.exchangeRateTables(organizationID: s.person.organizationID)
            .sorted { $0.table.reportingCurrency.code < $1.table.reportingCurrency.code }
            .map { t in
                let v = ExchangeRatesView(t)
                return .init(
                    reportingCurrency: v.reportingCurrency.code, uploadedAt: f.format(v.uploadedAt),
                    entries: v.entryCount, currencies: v.currencies.joined(separator: ", "),
                    firstDate: v.firstDate.map(f.format) ?? "—", lastDate: v.lastDate.map(f.format) ?? "—")
            }
    }

    static func show(_ req: Request) async throws -> Response {
        let s = try await req.requirePageSession()
        return Pages.html(
            ExchangeRatesPage.render(
                ExchangeRatesPageModel(
                    chrome: s.chrome("Exchange rates", .partnerships, notice: Pages.notice(req)),
                    tables: try await tables(req, s), canUpload: s.person.role == .admin, reportingCurrency: "",
                    csv: "", errors: [:], message: nil)))
    }

    /// `POST /exchange-rates` (multipart: `reporting_currency`, `file` or `csv`): the same parse and
    /// replace as `PUT /api/v1/exchange-rates`. A refusal comes back with the message beside its
    /// field and what was typed kept.
    static func upload(_ req: Request) async throws -> Response {
        let s = try await req.requirePageSession()
        guard s.person.role == .admin else { throw Problem.forbidden("Only admins upload exchange rates.") }
        let currencyText = (req.formValue("reporting_currency") ?? "").uppercased()
        let pasted = (try? req.content.get(String.self, at: "csv")) ?? ""
        var errors: [String: String] = [:]
        let reporting = Currency(code: currencyText)
        if currencyText.isEmpty {
            errors["reporting_currency"] = "Say which currency the rates convert into, e.g. EUR."
        } else if reporting == nil {
            errors["reporting_currency"] = "\"\(currencyText)\" is not an active ISO 4217 currency code such as EUR."
        }
        var text: String? = nil
        if let file = try? req.content.get(File.self, at: "file"), file.data.readableBytes > 0 {
            if let bytes = file.data.getBytes(at: file.data.readerIndex, length: file.data.readableBytes),
                let t = String(validating: bytes, as: UTF8.self)
            {
                text = t
            } else {
                errors["csv"] = "The file must be UTF-8 text."
            }
        } else if !pasted.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            text = pasted
        } else {
            errors["csv"] = "Choose a CSV file or paste the rates."
        }
        if errors.isEmpty, let reporting, let text {
            do {
                let stored = try await RevenueAPI.replaceRates(req, s.person, reporting: reporting, csv: text)
                return Pages.seeOther(
                    SiteRoute.exchangeRates,
                    notice: "The \(reporting.code) table is replaced: \(stored.table.entries.count) rates.")
            } catch let p as Problem where p.field == "body" {
                errors["csv"] = p.detail
            }
        }
        let m = ExchangeRatesPageModel(
            chrome: s.chrome("Exchange rates", .partnerships), tables: try await tables(req, s), canUpload: true,
            reportingCurrency: currencyText, csv: pasted, errors: errors,
            message: "Nothing was changed: fix the marked field.")
        return Pages.html(ExchangeRatesPage.render(m), status: .unprocessableEntity)
    }
}
