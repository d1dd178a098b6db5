import CoSellDomain
import Foundation
import Testing

/// Issue 14: the customer confirms the close plan as it stands. Changing, replacing or withdrawing the
/// plan resets the confirmation (as editing a brief resets its approvals), and a confirmation must
/// come after the plan it confirms.
@Suite("Close plan and the customer's confirmation")
struct ClosePlanConfirmationTests {
    /// A deal at joint pursuit with its plan and the customer's confirmation recorded.
    var confirmed: Deal { Fixture.deal(at: .jointPursuit) }

    @Test("the fixture starts confirmed")
    func startsConfirmed() {
        #expect(confirmed.evidence.jointPursuit.customerConfirmation != nil)
    }

    @Test("changing the plan's milestones or decision date resets the confirmation, and says so")
    func editingResets() throws {
        for (milestones, decision) in [
            (Array(Fixture.milestones.dropLast()), Fixture.closePlan.decisionDate),
            (Fixture.milestones, Fixture.date("2026-05-15")),
        ] {
            let (after, changes) = try Fixture.apply(
                .writeClosePlan(planID: Fixture.closePlanID, milestones: milestones, decisionDate: decision),
                to: confirmed, by: Fixture.hostSeller)
            #expect(after.evidence.jointPursuit.customerConfirmation == nil)
            #expect(changes.last?.summary.contains("confirmation was reset") == true)
        }
    }

    @Test("saving the plan unchanged keeps the confirmation")
    func unchangedKeeps() throws {
        let (after, changes) = try Fixture.apply(
            .writeClosePlan(
                planID: Fixture.closePlanID, milestones: Fixture.milestones,
                decisionDate: Fixture.closePlan.decisionDate),
            to: confirmed, by: Fixture.hostSeller)
        #expect(after.evidence.jointPursuit.customerConfirmation != nil)
        #expect(changes.last?.summary.contains("reset") == false)
    }

    @Test("a second plan or a withdrawn one resets the confirmation")
    func replacingResets() throws {
        let (second, _) = try Fixture.apply(
            .writeClosePlan(planID: nil, milestones: Fixture.milestones, decisionDate: Fixture.closePlan.decisionDate),
            to: confirmed, by: Fixture.partnerSeller)
        #expect(second.evidence.jointPursuit.customerConfirmation == nil)
        let (withdrawn, changes) = try Fixture.apply(
            .withdrawClosePlan(planID: Fixture.closePlanID, reason: "Replaced after the budget moved"),
            to: confirmed, by: Fixture.hostSeller)
        #expect(withdrawn.evidence.jointPursuit.customerConfirmation == nil)
        #expect(changes.last?.summary.contains("confirmation was reset") == true)
    }

    @Test("a confirmation needs a plan, and a time after the plan's last change")
    func confirmationAfterThePlan() throws {
        var noPlan = confirmed
        noPlan.evidence.jointPursuit.closePlans = []
        noPlan.evidence.jointPursuit.customerConfirmation = nil
        let confirm = { (at: Date) in
            DealCommand.recordCustomerConfirmation(
                confirmedBy: "Gina Buyer", confirmedAt: at, channel: .email, note: nil)
        }
        #expect(
            expectRefusal(Fixture.refusal(confirm(Fixture.now), to: noPlan, by: Fixture.hostSeller), "invalid")
                == "confirmed_at")
        // The plan was last changed on day 30: a confirmation of day 29 confirmed something else.
        #expect(
            expectRefusal(Fixture.refusal(confirm(Fixture.day(29)), to: confirmed, by: Fixture.hostSeller), "invalid")
                == "confirmed_at")
        let (after, _) = try Fixture.apply(confirm(Fixture.day(31)), to: confirmed, by: Fixture.hostSeller)
        #expect(after.evidence.jointPursuit.customerConfirmation?.confirmedAt == Fixture.day(31))
        // The same day as the plan's change counts as after it (the page gives a date, not a time).
        let sameDay = LocalDate(Fixture.day(30)).startOfDay
        #expect(Fixture.refusal(confirm(sameDay), to: confirmed, by: Fixture.hostSeller) == nil)
    }
}
