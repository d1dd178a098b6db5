import CoSellDomain
import CoSellWorkflows
import Foundation
import Vapor

enum ReportsController {
    static func show(_ req: Request) async throws -> Response {
        let s = try await req.requirePageSession()
        let i = try await req.workflows.reports.inputs(of: try req.id("partnership_id", "partnership"), by: s.principal)
        let ps = i.partnership
        let pipeline = Reports.pipeline(facts: i.facts, playbook: i.playbook, playbooks: i.playbooks, now: Date())
        let adoption = Reports.adoption(facts: i.facts, playbook: i.playbook, playbooks: i.playbooks)
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
            abandoned: pipeline.joint.abandoned,
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
