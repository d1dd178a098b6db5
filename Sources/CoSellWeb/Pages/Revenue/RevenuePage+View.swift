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
                                    .init($0.sourcedValue, Charts.blue, "partner-sourced", display: $0.sourced),
                                    .init(
                                        $0.influencedValue, Charts.green, "partner-influenced", display: $0.influenced),
                                ], display: $0.total)
                        },
                        legend: [
                            .init(0, Charts.blue, "partner-sourced"), .init(0, Charts.green, "partner-influenced"),
                        ])
                    el("div", .cls("table-wrap")) {
                        el("table", .cls("stack")) {
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
                                        el("td", Attr("data-label", "Quarter")) { row.quarter }
                                        el("td", .cls("num"), Attr("data-label", "Partner-sourced deals")) {
                                            String(row.sourcedDeals)
                                        }
                                        el("td", .cls("num"), Attr("data-label", "Partner-sourced")) { row.sourced }
                                        el("td", .cls("num"), Attr("data-label", "Partner-influenced deals")) {
                                            String(row.influencedDeals)
                                        }
                                        el("td", .cls("num"), Attr("data-label", "Partner-influenced")) {
                                            row.influenced
                                        }
                                        el("td", .cls("num"), Attr("data-label", "Total")) { row.total }
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
                    el("table", .cls("stack")) {
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
                                    el("td", Attr("data-label", "Partner")) { l.partner }
                                    el("td", Attr("data-label", "Closed")) { l.closeDate }
                                    el("td", .cls("num"), Attr("data-label", "Amount")) { l.amount }
                                    el("td", Attr("data-label", "Reason")) { l.reason }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
