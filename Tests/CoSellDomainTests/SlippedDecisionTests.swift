import Foundation
import Testing

@testable import CoSellDomain

/// A close plan whose decision date an edit moved later: the decision slipped.
@Suite("A decision date that slipped")
struct SlippedDecisionTests {
    @Test(
        "moving the decision later keeps the earliest date; the diagnosis says it slipped; moving it back earlier does not"
    )
    func slipped() throws {
        var deal = Fixture.deal(at: .jointPursuit)
        let plan = try #require(deal.evidence.jointPursuit.closePlans.first)
        let later = Fixture.date("2026-06-30")
        #expect(later > plan.decisionDate)
        (deal, _) = try DealEngine.apply(
            .writeClosePlan(planID: plan.id, milestones: plan.milestones, decisionDate: later), to: deal,
            by: Fixture.actor(Fixture.hostManager), context: Fixture.context())
        var edited = try #require(deal.evidence.jointPursuit.closePlans.first)
        #expect(edited.firstDecisionDate == plan.decisionDate)
        #expect(edited.decisionDate == later)
        // Later still: the first date stays the earliest.
        (deal, _) = try DealEngine.apply(
            .writeClosePlan(planID: plan.id, milestones: plan.milestones, decisionDate: Fixture.date("2026-07-31")),
            to: deal, by: Fixture.actor(Fixture.hostManager), context: Fixture.context())
        edited = try #require(deal.evidence.jointPursuit.closePlans.first)
        #expect(edited.firstDecisionDate == plan.decisionDate)

        let d = DealDiagnostics.diagnose(deal, playbook: Fixture.playbook, now: Fixture.now)
        let finding = try #require(d.findings.first { $0.pitfall == .competingClosePlans })
        #expect(
            finding.evidence.contains("The close plan's decision date slipped from \(plan.decisionDate) to 2026-07-31.")
        )
        // The facts keep both dates.
        let facts = DealFacts(deal)
        let read = try #require(DealFacts(encoded: facts.encoded(), version: facts.version))
        #expect(read.activeClosePlans.first?.firstDecisionDate == plan.decisionDate)
        #expect(read.activeClosePlans.first?.decisionDate == Fixture.date("2026-07-31"))

        // A plan that never moved later has no first date and no such evidence.
        let fresh = Fixture.deal(at: .jointPursuit)
        let healthy = DealDiagnostics.diagnose(fresh, playbook: Fixture.playbook, now: Fixture.now)
        #expect(!healthy.findings.flatMap(\.evidence).contains { $0.contains("slipped") })
    }
}
