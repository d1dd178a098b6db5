import CoSellDomain
import Foundation
import Testing

/// Issue 14: evidence that cannot be true in its order is refused: a first joint conversation before
/// the deal was opened or more than a year after it, and a brief approved before the conversation
/// it draws on took place.
@Suite("Evidence in the order it happens")
struct OrderChecksTests {
    static let attendees = Fixture.meetingAttendees

    @Test(
        "the first joint conversation is after the deal was opened and within a year",
        arguments: [
            (-1.0, false), (0.0, true), (30.0, true), (366.0, true), (367.0, false),
        ])
    func meetingDate(daysAfterOpening: Double, accepted: Bool) {
        var d = Fixture.deal(at: .doorOpener)
        d.status = .open
        let refusal = Fixture.refusal(
            .bookFirstMeeting(
                scheduledFor: Fixture.day(0).addingTimeInterval(daysAfterOpening * 86_400), attendees: Self.attendees),
            to: d, by: Fixture.hostSeller)
        if accepted {
            #expect(refusal == nil, "\(String(describing: refusal))")
        } else {
            #expect(expectRefusal(refusal, "invalid") == "scheduled_for")
        }
    }

    @Test("a brief is approved only once its first joint conversation took place")
    func approvalAfterTheMeeting() throws {
        let base = Fixture.deal(at: .jointDiscovery)
        let brief = try #require(base.evidence.jointDiscovery.activeBriefs.first)
        var unapproved = base
        unapproved.evidence.jointDiscovery.briefs[0].approvals = .init()
        // Booked for tomorrow: not yet.
        var future = unapproved
        future.evidence.doorOpener.firstMeeting?.scheduledFor = Fixture.now.addingTimeInterval(86_400)
        #expect(
            expectRefusal(
                Fixture.refusal(.approveBrief(briefID: brief.id), to: future, by: Fixture.hostSeller), "conflict")?
                .contains("took place") == true)
        // None booked.
        var none = unapproved
        none.evidence.doorOpener.firstMeeting = nil
        #expect(
            expectRefusal(
                Fixture.refusal(.approveBrief(briefID: brief.id), to: none, by: Fixture.partnerSeller), "conflict")
                != nil)
        // Held yesterday: approved.
        var held = unapproved
        held.evidence.doorOpener.firstMeeting?.scheduledFor = Fixture.now.addingTimeInterval(-86_400)
        let (after, _) = try Fixture.apply(.approveBrief(briefID: brief.id), to: held, by: Fixture.hostSeller)
        #expect(after.evidence.jointDiscovery.briefs[0].approvals.host != nil)
    }
}

@Suite("A second open deal on one joint account")
struct ParallelDealTests {
    static func open(_ others: [Deal], reason: String?) throws(DealError) -> (Deal, DealChange) {
        try DealEngine.open(
            id: Fixture.id(777), partnership: Fixture.partnership, account: Fixture.account, title: "Second project",
            hostOrganizationID: Fixture.hostOrg.id, reason: nil, amount: nil, expectedCloseDate: nil,
            actor: Fixture.actor(Fixture.hostManager), context: Fixture.context(), openOnAccount: others,
            parallelReason: reason)
    }

    @Test("needs a reason that names why it is a different opportunity; the first deal is named")
    func needsAReason() throws {
        let first = Fixture.deal(at: .doorOpener)
        for reason in [nil, "", "  "] {
            do {
                _ = try Self.open([first], reason: reason)
                Issue.record("a second open deal opened without a reason")
            } catch {
                #expect(expectRefusal(error, "invalid") == "parallel_reason")
                #expect(error.message.contains(first.title))
            }
        }
        let (deal, change) = try Self.open([first], reason: "The data-platform project is a separate budget.")
        #expect(deal.parallelReason == "The data-platform project is a separate budget.")
        #expect(change.summary.contains("A second open deal on the account"))
        // Alone on its account, no reason is asked or kept.
        let (alone, _) = try Self.open([], reason: nil)
        #expect(alone.parallelReason == nil)
    }
}
