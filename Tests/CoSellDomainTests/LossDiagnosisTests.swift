import Foundation
import Testing

@testable import CoSellDomain

/// A lost deal's diagnosis starts from the category its loss was logged with.
@Suite("Diagnosis of a lost deal from its loss category")
struct LossDiagnosisTests {
    struct Case: CustomStringConvertible, Sendable {
        var category: LossCategory
        /// The likely cause named first; nil: none of the pitfalls.
        var cause: Pitfall?
        var description: String { category.rawValue }
    }

    /// Lost at joint pursuit with every earlier stage's evidence sound and the customer's confirmation
    /// missing (so the evidence alone points at competing close plans).
    static func lost(_ category: LossCategory) -> Deal {
        var e = Fixture.evidence(through: .jointPursuit)
        e.jointPursuit.customerConfirmation = nil
        var d = Fixture.deal(at: .jointPursuit, evidence: e, status: .lost)
        var outcome = Outcome(
            result: .lost, finalAmount: Fixture.usd("0.00"), closeDate: Fixture.date("2026-02-25"),
            lossReason: "They chose another vendor", recordedBy: Fixture.hostSeller.id, recordedAt: Fixture.day(50))
        outcome.lossCategory = category
        d.evidence.close.outcome = outcome
        return d
    }

    static let cases: [Case] = [
        Case(category: .wrongAccount, cause: .pursuingTheWrongAccount),
        Case(category: .noIntroduction, cause: .noDoorOpener),
        Case(category: .separateDiscoveries, cause: .twoDiscoveriesNotOne),
        Case(category: .competingClosePlans, cause: .competingClosePlans),
        // Not a pitfall: the evidence decides (the missing confirmation: competing close plans).
        Case(category: .competitor, cause: .competingClosePlans),
        Case(category: .noBudget, cause: .competingClosePlans),
    ]

    @Test("a category that is a pitfall is the likely cause, with the loss said first", arguments: cases)
    func categoryFirst(_ c: Case) {
        let d = DealDiagnostics.diagnose(Self.lost(c.category), playbook: Fixture.playbook, now: Fixture.now)
        #expect(d.needsDiagnosis)
        #expect(d.likelyCause?.pitfall == c.cause)
        if let pitfall = c.category.pitfall {
            #expect(d.likelyCause?.evidence.first == "The deal was lost: \(c.category.title).")
            #expect(d.findings.filter { $0.pitfall == pitfall }.count == 1, "one finding per pitfall")
        } else {
            #expect(!d.explanation.contains("The deal was lost"))
        }
    }

    @Test("a loss to a competitor with sound evidence says so rather than nothing")
    func noPitfallSaysTheCategory() {
        var deal = Self.lost(.competitor)
        deal.evidence = Fixture.evidence(through: .jointPursuit)
        deal.evidence.close.outcome = Self.lost(.competitor).evidence.close.outcome
        let d = DealDiagnostics.diagnose(deal, playbook: Fixture.playbook, now: Fixture.now)
        #expect(d.likelyCause == nil)
        #expect(d.explanation == "Lost (A competitor won), and none of the five pitfalls shows in the evidence.")
    }

    @Test("the category survives the facts' stored text, and facts without it still read")
    func storedText() throws {
        let facts = DealFacts(Self.lost(.noIntroduction))
        #expect(facts.outcome?.lossCategory == .noIntroduction)
        let read = try #require(DealFacts(encoded: facts.encoded(), version: facts.version))
        #expect(read.outcome?.lossCategory == .noIntroduction)
        #expect(read == facts)
        // An outcome written with four parts (before the category was kept) reads without one.
        var older = Self.lost(.noIntroduction)
        older.evidence.close.outcome?.lossCategory = nil
        let olderFacts = DealFacts(older)
        let readOlder = try #require(DealFacts(encoded: olderFacts.encoded(), version: olderFacts.version))
        #expect(readOlder.outcome != nil && readOlder.outcome?.lossCategory == nil)
    }
}
