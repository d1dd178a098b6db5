import CoSellDomain
import Foundation
import Testing

/// Issue 14: close dates that cannot be true. The fixture's deal was opened on 2026-01-05; "now" is
/// 2026-03-06, so a year ahead is 2027-03-07.
@Suite("Close dates: not before the deal, not past a year ahead")
struct CloseDateTests {
    static func update(_ date: String) -> DealCommand {
        .updateDetails(title: nil, amount: nil, expectedCloseDate: Fixture.date(date))
    }

    @Test(
        "the expected close date is on or after the day the deal opened, and at most a year ahead",
        arguments: [
            ("2026-01-04", false), ("2026-01-05", true), ("2026-02-01", true), ("2027-03-07", true),
            ("2027-03-08", false), ("2030-01-01", false),
        ])
    func expectedCloseDate(_ date: String, _ accepted: Bool) throws {
        let deal = Fixture.deal(at: .jointDiscovery)
        let refusal = Fixture.refusal(Self.update(date), to: deal, by: Fixture.hostSeller)
        if accepted {
            #expect(refusal == nil)
            let (after, _) = try Fixture.apply(Self.update(date), to: deal, by: Fixture.hostSeller)
            #expect(after.expectedCloseDate == Fixture.date(date))
        } else {
            #expect(expectRefusal(refusal, "invalid") == "expected_close_date")
        }
    }

    @Test("an outcome cannot close before the deal was opened", arguments: CriterionKind.allCases)
    func outcomeNotBeforeOpening(_ kind: CriterionKind) throws {
        let deal = Fixture.deal(at: kind, evidence: DealEvidence(), status: .open)
        let early = DealCommand.recordOutcome(
            result: .lost, finalAmount: Fixture.usd("0"), closeDate: Fixture.date("2026-01-04"),
            lossReason: "Chose a competitor", lossCategory: .competitor)
        #expect(expectRefusal(Fixture.refusal(early, to: deal, by: Fixture.hostSeller), "invalid") == "close_date")
        let sameDay = DealCommand.recordOutcome(
            result: .lost, finalAmount: Fixture.usd("0"), closeDate: Fixture.date("2026-01-05"),
            lossReason: "Chose a competitor", lossCategory: .competitor)
        #expect(Fixture.refusal(sameDay, to: deal, by: Fixture.hostSeller) == nil)
    }
}
