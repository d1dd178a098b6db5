import CoSellDomain

public enum ReportsView {
    public static func render(_ m: ReportsModel) -> Node {
        let report = { (name: String) in SiteRoute.apiReport(m.partnershipID, name) }
        return Layout.page(m.chrome) {
            el("p", .cls("muted")) {
                link(SiteRoute.partnership(m.partnershipID), m.partnershipName)
                " › Reports"
            }
            el("h1") { "Reports" }
            el("p", .cls("muted")) {
                "As of \(m.asOf), over the joint deals you may see. "
                link(SiteRoute.revenue(), "Partner revenue across your partnerships")
            }
            el("section", .aria("labelledby", "pipeline-h")) {
                el("h2", .id("pipeline-h")) { "Pipeline by stage" }
                el("p") {
                    link(report("pipeline.csv"), "Download CSV"); " · "; link(report("pipeline"), "JSON")
                }
                Charts.bars(
                    title: "Open deals by stage",
                    m.stages.map {
                        .init(
                            label: $0.name, segments: [.init(Double($0.open), Charts.blue, "open")],
                            display: "\($0.open) · \($0.amount)")
                    })
                el("div", .cls("table-wrap")) {
                    el("table", .cls("stack")) {
                        el("thead") {
                            el("tr") {
                                for h in [
                                    "Stage", "Open deals", "Amount", "Conversion to next", "Median days",
                                    "90th percentile days", "Stalled",
                                ] {
                                    el("th", Attr("scope", "col")) { h }
                                }
                            }
                        }
                        el("tbody") {
                            for s in m.stages {
                                el("tr") {
                                    el("th", Attr("scope", "row")) { s.name }
                                    el("td", .cls("num"), Attr("data-label", "Open deals")) { String(s.open) }
                                    el("td", .cls("num"), Attr("data-label", "Amount")) { s.amount }
                                    el("td", .cls("num"), Attr("data-label", "Conversion to next")) { s.conversion }
                                    el("td", .cls("num"), Attr("data-label", "Median days")) { s.medianDays }
                                    el("td", .cls("num"), Attr("data-label", "90th percentile days")) { s.p90Days }
                                    el("td", .cls("num"), Attr("data-label", "Stalled")) { String(s.stalled) }
                                }
                            }
                        }
                    }
                }
                el("p") {
                    "Win rate \(m.winRate) (\(m.won) won, \(m.lost) lost, \(m.abandoned) abandoned); cycle time \(m.cycle)."
                }
                for n in m.notes { el("p", .cls("muted")) { n } }
            }
            el("section", .aria("labelledby", "pitfalls-h")) {
                el("h2", .id("pitfalls-h")) { "Stalls by pitfall" }
                if m.pitfalls.allSatisfy({ $0.count == 0 }) {
                    el("p", .cls("muted")) { "No stalled deal." }
                } else {
                    Charts.bars(
                        title: "Stalled deals by pitfall",
                        m.pitfalls.map {
                            .init(
                                label: $0.name, segments: [.init(Double($0.count), Charts.red, "stalled")],
                                display: String($0.count))
                        })
                }
            }
            el("section", .aria("labelledby", "adoption-h")) {
                el("h2", .id("adoption-h")) { "Playbook adoption" }
                el("p") {
                    link(report("adoption.csv"), "Download CSV"); " · "; link(report("adoption"), "JSON")
                }
                Charts.bars(
                    title: "How deals left each stage",
                    m.adoption.map {
                        .init(
                            label: $0.name,
                            segments: [
                                .init(Double($0.passed), Charts.green, "passed with evidence"),
                                .init(Double($0.overridden), Charts.amber, "overridden"),
                                .init(Double($0.skipped), Charts.red, "skipped"),
                            ], display: "\($0.passed)/\($0.overridden)/\($0.skipped)")
                    },
                    legend: [
                        .init(0, Charts.green, "passed"), .init(0, Charts.amber, "overridden"),
                        .init(0, Charts.red, "skipped"),
                    ])
                el("div", .cls("table-wrap")) {
                    el("table", .cls("stack")) {
                        el("thead") {
                            el("tr") {
                                for h in ["Stage", "Passed with evidence", "Overridden", "Skipped"] {
                                    el("th", Attr("scope", "col")) { h }
                                }
                            }
                        }
                        el("tbody") {
                            for a in m.adoption {
                                el("tr") {
                                    el("th", Attr("scope", "row")) { a.name }
                                    el("td", .cls("num"), Attr("data-label", "Passed with evidence")) {
                                        String(a.passed)
                                    }
                                    el("td", .cls("num"), Attr("data-label", "Overridden")) { String(a.overridden) }
                                    el("td", .cls("num"), Attr("data-label", "Skipped")) { String(a.skipped) }
                                }
                            }
                        }
                    }
                }
                compensation(m)
            }
        }
    }

    /// Beside the adoption figures: does each company's comp plan reward the motion?
    static func compensation(_ m: ReportsModel) -> Node {
        el("div", .id("compensation")) {
            el("h3") { "Does the comp plan reward co-selling?" }
            el("div", .cls("grid")) {
                for c in m.compensation {
                    el("div", .cls("card")) {
                        el("p") { el("strong") { c.company } }
                        el("p") { c.credits }
                        if let note = c.note { el("p") { note } }
                        if let w = c.warning { el("p", .cls("notice warn")) { w } }
                        if let r = c.recorded { el("p", .cls("muted")) { r } }
                    }
                }
            }
            if let org = m.recordsCompensationFor {
                Layout.postForm(
                    SiteRoute.partnershipCompensation(m.partnershipID), csrf: m.chrome.csrf,
                    attrs: [.id("compensation-form")]
                ) {
                    Layout.select(
                        "credits", "\(org)'s account executives are credited for",
                        options: CompensationCredit.allCases.map { ($0.rawValue, $0.phrase) },
                        selected: m.currentCredits, formID: "compensation", includeBlank: m.currentCredits == nil)
                    Layout.textArea(
                        "note", "Note (optional)", value: m.currentNote, rows: 2,
                        hint: "For example: a 2% bonus on sourced deals from the first quarter.", formID: "compensation"
                    )
                    el("button", .type("submit")) { "Save" }
                }
            }
        }
    }
}
