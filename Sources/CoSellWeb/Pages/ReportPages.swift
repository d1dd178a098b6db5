import CoSellDomain
import CoSellWorkflows
import Foundation
import Vapor

public struct ReportsModel: Sendable, Equatable {
    public struct StageLine: Sendable, Equatable {
        public var name: String
        public var open: Int
        public var amount: String
        public var conversion: String
        public var medianDays: String
        public var p90Days: String
        public var stalled: Int
    }

    public struct AdoptionLine: Sendable, Equatable {
        public var name: String
        public var passed: Int
        public var overridden: Int
        public var skipped: Int
    }

    public var chrome: PageChrome
    public var partnershipID: UUID
    public var partnershipName: String
    public var asOf: String
    public var stages: [StageLine]
    public var pitfalls: [(name: String, count: Int)]
    public var winRate: String
    public var won: Int
    public var lost: Int
    public var cycle: String
    public var adoption: [AdoptionLine]
    public var notes: [String]

    public static func == (a: ReportsModel, b: ReportsModel) -> Bool {
        a.chrome == b.chrome && a.stages == b.stages && a.adoption == b.adoption
            && a.pitfalls.map { "\($0.name)\($0.count)" } == b.pitfalls.map { "\($0.name)\($0.count)" }
            && a.winRate == b.winRate && a.cycle == b.cycle
    }
}

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
                    el("table") {
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
                                    el("td", .cls("num")) { String(s.open) }
                                    el("td", .cls("num")) { s.amount }
                                    el("td", .cls("num")) { s.conversion }
                                    el("td", .cls("num")) { s.medianDays }
                                    el("td", .cls("num")) { s.p90Days }
                                    el("td", .cls("num")) { String(s.stalled) }
                                }
                            }
                        }
                    }
                }
                el("p") { "Win rate \(m.winRate) (\(m.won) won, \(m.lost) lost); cycle time \(m.cycle)." }
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
                    el("table") {
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
                                    el("td", .cls("num")) { String(a.passed) }
                                    el("td", .cls("num")) { String(a.overridden) }
                                    el("td", .cls("num")) { String(a.skipped) }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

enum ReportsController {
    static func show(_ req: Request) async throws -> Response {
        let s = try await req.requirePageSession()
        let ps = try await req.workflows.access.visiblePartnership(
            try req.id("partnership_id", "partnership"), s.principal)
        let (deals, playbook, playbooks) = try await ReportsAPI.inputs(req)
        let now = Date()
        let pipeline = Reports.pipeline(facts: deals, playbook: playbook, playbooks: playbooks, now: now)
        let adoption = Reports.adoption(facts: deals, playbook: playbook, playbooks: playbooks)
        let f = req.displayFormat
        func pct(_ x: Double?) -> String { x.map { String(format: "%.0f%%", $0 * 100) } ?? "—" }
        func days(_ x: Double?) -> String { x.map { String(format: "%.0f", $0) } ?? "—" }
        let stages = pipeline.stages.map { r in
            ReportsModel.StageLine(
                name: r.stage.name, open: r.openDeals,
                amount: r.amounts.isEmpty ? "—" : r.amounts.map(f.format).joined(separator: " + "),
                conversion: pct(r.conversionToNext), medianDays: days(r.daysInStage.median),
                p90Days: days(r.daysInStage.p90),
                stalled: r.stalled)
        }
        let model = ReportsModel(
            chrome: s.chrome("Reports", .partnerships), partnershipID: ps.id, partnershipName: ps.name,
            asOf: f.format(pipeline.asOf), stages: stages,
            pitfalls: Pitfall.allCases.map { p in
                (p.title, pipeline.stalledByPitfall.first { $0.pitfall == p }?.count ?? 0)
            },
            winRate: pct(pipeline.joint.winRate), won: pipeline.joint.won, lost: pipeline.joint.lost,
            cycle: pipeline.joint.cycleDays.median.map {
                "median \(days($0)) days, 90th percentile \(days(pipeline.joint.cycleDays.p90)) days"
            } ?? "not yet measured",
            adoption: adoption.overall.map {
                .init(name: $0.stage.name, passed: $0.passed, overridden: $0.overridden, skipped: $0.skipped)
            },
            notes: pipeline.notes)
        return Pages.html(ReportsView.render(model))
    }
}
