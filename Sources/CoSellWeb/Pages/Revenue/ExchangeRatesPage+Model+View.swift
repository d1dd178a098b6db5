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
                    el("table", .cls("stack")) {
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
                                    el("td", Attr("data-label", "Uploaded")) { t.uploadedAt }
                                    el("td", .cls("num"), Attr("data-label", "Rates")) { String(t.entries) }
                                    el("td", Attr("data-label", "Currencies")) { t.currencies }
                                    el("td", Attr("data-label", "First day")) { t.firstDate }
                                    el("td", Attr("data-label", "Last day")) { t.lastDate }
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
