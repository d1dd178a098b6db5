import Foundation
import Testing

@testable import CoSellDomain

/// Whether stage 1 accepts a partial fit is each playbook version's choice.
@Suite("A playbook that needs a strong fit")
struct StrongFitTests {
    struct Case: CustomStringConvertible, Sendable {
        var strong: Bool?
        var partnerFit: Fit
        var passes: Bool
        var description: String { "requires strong: \(strong.map(String.init) ?? "unset"), partner fit \(partnerFit)" }
    }

    static let cases: [Case] = [
        Case(strong: nil, partnerFit: .partial, passes: true),
        Case(strong: false, partnerFit: .partial, passes: true),
        Case(strong: true, partnerFit: .partial, passes: false),
        Case(strong: true, partnerFit: .strong, passes: true),
        Case(strong: nil, partnerFit: .none, passes: false),
        Case(strong: true, partnerFit: .none, passes: false),
    ]

    static func playbook(strong: Bool?) -> Playbook {
        var pb = Fixture.playbook
        pb.stages[0].exitCriterion.requiresStrongFit = strong
        return pb
    }

    @Test("the stage-1 gate and the advance follow the playbook's choice", arguments: cases)
    func gate(_ c: Case) throws {
        let pb = Self.playbook(strong: c.strong)
        var e = Fixture.evidence(through: .targetAccountSelection)
        e.targetSelection.icpFit.partner?.fit = c.partnerFit
        let deal = Fixture.deal(at: .targetAccountSelection, evidence: e)
        let names = SidePair(host: Fixture.hostOrg.name, partner: Fixture.partnerOrg.name)
        let part = try #require(
            Gate.evaluate(deal, stage: pb.stages[0], in: pb, names: names).parts.first { $0.key == "partner_icp_fit" })
        #expect(part.met == c.passes)
        if c.strong == true && c.partnerFit == .partial {
            #expect(
                part.missing
                    == "\(Fixture.partnerOrg.name) recorded only a partial ideal-customer-profile fit; this playbook needs a strong fit from both companies."
            )
        }
        var context = Fixture.context()
        context.playbook = pb
        let advanced = Result { () throws(DealError) -> Deal in
            try DealEngine.apply(
                .advance(overrideReason: nil), to: deal, by: Fixture.actor(Fixture.hostManager), context: context
            ).0
        }
        #expect((try? advanced.get())?.stageIndex == (c.passes ? 1 : nil))
    }

    @Test("the setting survives the playbook's JSON; a playbook without it accepts a partial fit")
    func coding() throws {
        let pb = Self.playbook(strong: true)
        let decoded = try JSONDecoder().decode(Playbook.self, from: JSONEncoder().encode(pb))
        #expect(decoded.stages[0].exitCriterion.needsStrongFit)
        #expect(!Fixture.playbook.stages[0].exitCriterion.needsStrongFit)
        // Only stage one's criterion reads it.
        var other = ExitCriterion(kind: .jointPursuit, wording: "x", requiresStrongFit: true)
        #expect(!other.needsStrongFit)
        other.kind = .targetAccountSelection
        #expect(other.needsStrongFit)
    }
}
