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
        var m = model
        try await addCompensation(&m, req, s, i)
        return Pages.html(ReportsView.render(m))
    }

    /// The compensation lines beside the adoption figures, with the form when the reader may record.
    static func addCompensation(
        _ m: inout ReportsModel, _ req: Request, _ s: PageSession, _ i: ReportWorkflows.Inputs
    ) async throws {
        let checks = try await req.workflows.reports.compensation(i)
        let orgs = try await req.store.organizations(i.partnership.organizationIDs)
        let names = Dictionary(orgs.map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
        let people = try await req.store.people(inOrganizations: i.partnership.organizationIDs)
        let f = req.displayFormat
        m.compensation = checks.map { c in
            let company = names[c.organizationID] ?? "The other company"
            let recorded = c.plan.map { plan in
                let who = people.first { $0.id == plan.recordedBy }?.name ?? "someone"
                return "Recorded by \(who) on \(f.format(plan.recordedAt))."
            }
            var warning: String? = nil
            switch c.flag {
            case .notRecorded?:
                warning = "Not recorded: nobody knows whether \(company)'s account executives are paid to co-sell."
            case .creditsNeither?:
                warning =
                    "\(company)'s plan rewards no co-sell deal: its account executives earn nothing more for working one."
            case .missesRegisteredDeals?:
                let n = c.uncreditedDeals
                let kind = c.plan?.credits == .sourced ? "partner-influenced" : "partner-sourced"
                warning =
                    "\(n) registered deal\(n == 1 ? " was" : "s were") \(kind), which \(company)'s plan does not credit: its account executives earned nothing extra for \(n == 1 ? "it" : "them")."
            case nil: break
            }
            return .init(
                company: company,
                credits: c.plan.map { "Account executives are credited for \($0.credits.phrase)." } ?? "Not recorded.",
                note: c.plan?.note, recorded: recorded, warning: warning)
        }
        if i.partnership.status == .active, s.person.role == .admin || s.person.role == .partnerManager {
            m.recordsCompensationFor = s.organization.name
            let mine = checks.first { $0.organizationID == s.person.organizationID }?.plan
            m.currentCredits = mine?.credits.rawValue
            m.currentNote = mine?.note
        }
    }

    /// POST: the reader's company records which co-sell deals its account executives are credited for.
    static func recordCompensation(_ req: Request) async throws -> Response {
        let s = try await req.requirePageSession()
        let id = try req.id("partnership_id", "partnership")
        _ = try await req.workflows.reports.recordCompensation(in: id, by: s.principal, at: Date()) {
            .init(credits: req.formValue("credits"), note: req.formValue("note"))
        }
        return Pages.seeOther(
            SiteRoute.partnershipReports(id),
            notice: "Saved how \(s.organization.name)'s account executives are credited.")
    }
}
