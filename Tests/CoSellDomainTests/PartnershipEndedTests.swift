import CoSellDomain
import Foundation
import Testing

/// Issue 14: after a partnership ends, a deal won or lost before it can still be reviewed and
/// completed by both companies; nothing else about it changes.
@Suite("A deal of an ended partnership")
struct PartnershipEndedTests {
    static func ended(now: Date = Fixture.now) -> DealContext {
        var c = Fixture.context(now: now)
        c.partnershipEnded = true
        return c
    }

    static func apply(_ command: DealCommand, to d: Deal, by p: Person) throws(DealError) -> Deal {
        try DealEngine.apply(command, to: d, by: Fixture.actor(p), context: ended()).0
    }

    @Test("a won deal waiting for its review is reviewed by either company and completed")
    func reviewAndComplete() throws {
        var won = Fixture.deal(at: .closeRegisterReview)
        won.evidence.close.review = nil
        let reviewed = try Self.apply(
            .recordReview(
                heldOn: LocalDate(Fixture.now), attendees: ["Hugo Manager", "Pedro Manager"],
                lessons: [LessonDraft(stageKey: "door_opener", text: "Ask for the introduction by name.")]),
            to: won, by: Fixture.partnerSeller)
        #expect(reviewed.evidence.close.review?.lessons.count == 1)
        let completed = try Self.apply(.advance(overrideReason: nil), to: reviewed, by: Fixture.hostSeller)
        #expect(completed.completedAt != nil)
    }

    @Test(
        "everything else is refused",
        arguments: [
            DealCommand.updateDetails(title: "Renamed", amount: nil, expectedCloseDate: nil),
            .register(registrationID: "LATE-1", attribution: .partnerSourced, sourcedBy: .partner),
            .acceptRegistration, .abandon(reason: "The partnership is over."),
            .moveBack(reason: "Back to the close plan."),
            .addMove(
                stageKey: "close_register_review", description: "Call them", side: .host, ownerID: nil, dueOn: nil),
        ])
    func nothingElse(_ command: DealCommand) {
        var won = Fixture.deal(at: .closeRegisterReview)
        won.evidence.close.review = nil
        won.evidence.close.registration?.status = .pending
        var refusal: DealError? = nil
        do {
            _ = try Self.apply(command, to: won, by: Fixture.hostAdmin)
        } catch { refusal = error }
        #expect(expectRefusal(refusal, "conflict")?.contains("partnership has ended") == true)
    }
}
