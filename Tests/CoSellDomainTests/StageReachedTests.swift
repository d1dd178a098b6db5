import Foundation
import Testing

@testable import CoSellDomain

/// Evidence for a stage the deal has not reached is refused; a brief or a close plan may be drafted.
@Suite("Evidence waits for its stage")
struct StageReachedTests {
    struct Case: CustomStringConvertible, Sendable {
        var name: String
        var command: DealCommand
        /// The stage the evidence belongs to.
        var stage: CriterionKind
        var description: String { name }
    }

    static let cases: [Case] = [
        Case(
            name: "a first meeting",
            command: .bookFirstMeeting(
                scheduledFor: Fixture.now.addingTimeInterval(86_400),
                attendees: [Attendee(name: "Gina Buyer", party: .customer)]), stage: .doorOpener),
        Case(name: "a brief's approval", command: .approveBrief(briefID: Fixture.briefID), stage: .jointDiscovery),
        Case(name: "a proof", command: .recordProof(kind: .pilot, summary: "Four weeks"), stage: .jointPursuit),
        Case(
            name: "the customer's confirmation",
            command: .recordCustomerConfirmation(
                confirmedBy: "Gina Buyer", confirmedAt: Fixture.now, channel: .email, note: nil),
            stage: .jointPursuit),
    ]

    @Test("refused at each stage before its own, naming both stages", arguments: cases)
    func refusedEarly(_ c: Case) {
        let target = Fixture.stageIndex(c.stage)
        for kind in CriterionKind.allCases where Fixture.stageIndex(kind) < target {
            var e = Fixture.evidence(through: kind)
            // The evidence a later stage would hold is there already (so only the stage rule refuses).
            e.jointDiscovery.briefs = [Fixture.brief]
            e.jointPursuit.closePlans = [Fixture.closePlan]
            let deal = Fixture.deal(at: kind, evidence: e, status: .open)
            let refusal: DealError?
            do {
                _ = try DealEngine.apply(
                    c.command, to: deal, by: Fixture.actor(Fixture.hostManager), context: Fixture.context())
                refusal = nil
            } catch { refusal = error }
            guard case .conflict(let message)? = refusal else {
                Issue.record("\(c.name) at \(kind.rawValue) was not refused: \(String(describing: refusal))")
                continue
            }
            #expect(message.hasPrefix("The deal is at \(Fixture.stage(kind).name): "))
            #expect(message.contains("belongs to \(Fixture.stage(c.stage).name)"))
        }
    }

    @Test("a brief and a close plan may be drafted ahead; they count only once approved or confirmed at their stage")
    func draftsAhead() throws {
        let deal = Fixture.deal(
            at: .targetAccountSelection, evidence: Fixture.evidence(through: .targetAccountSelection))
        let (drafted, _) = try DealEngine.apply(
            .writeBrief(
                briefID: nil, customerNeed: "Unify inventory data",
                buyingProcess: BuyingProcess(steps: ["Evaluation"], decisionMakers: ["CIO"], timeline: "Q3"),
                stakeholders: [Stakeholder(name: "Gina Buyer")]), to: deal, by: Fixture.actor(Fixture.hostManager),
            context: Fixture.context())
        #expect(drafted.evidence.jointDiscovery.briefs.count == 1)
        let brief = try #require(drafted.evidence.jointDiscovery.briefs.first)
        // Its approval waits for joint discovery, so the discovery gate cannot be met from stage one.
        #expect(throws: DealError.self) {
            try DealEngine.apply(
                .approveBrief(briefID: brief.id), to: drafted, by: Fixture.actor(Fixture.hostManager),
                context: Fixture.context())
        }
        let discovery = Gate.evaluate(
            drafted, stage: Fixture.stage(.jointDiscovery), in: Fixture.playbook)
        #expect(!discovery.isOpen)
    }
}
