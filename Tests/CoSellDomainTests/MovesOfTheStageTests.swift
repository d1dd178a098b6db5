import Foundation
import Testing

@testable import CoSellDomain

private func handMove(_ n: Int, stage: CriterionKind, due: Int?, done: Int? = nil) -> DealMove {
    DealMove(
        id: Fixture.id(n), stageKey: stage.rawValue, templateKey: nil, description: "Move \(n)", side: .both,
        dueOn: due.map { LocalDate(Fixture.day($0)) }, doneAt: done.map(Fixture.day))
}

@Suite("Open and overdue moves count only in the stage the deal is working through")
struct MovesOfTheStageTests {
    @Test func aMoveLeftUndoneInAnEarlierStageIsNotAStall() {
        let earlier = handMove(301, stage: .doorOpener, due: 20)
        let current = handMove(302, stage: .jointDiscovery, due: 70)
        let deal = Fixture.deal(at: .jointDiscovery, moves: [earlier, current])
        let report = DealDiagnostics.stall(of: deal, playbook: Fixture.playbook, now: Fixture.now)
        #expect(!report.stalled, "\(report.signals.map(\.explanation))")
        let facts = DealFacts(deal, playbook: Fixture.playbook)
        #expect(
            !DealDiagnostics.isStalled(
                facts, playbook: Fixture.playbook, now: Fixture.now, today: LocalDate(Fixture.now)))
        #expect(facts.openMoves.map(\.id) == [earlier.id, current.id], "the facts keep every open move")
        #expect(facts.openMoves(in: Fixture.playbook).map(\.id) == [current.id])
        #expect(deal.openMoves(in: Fixture.playbook).map(\.id) == [current.id])
        #expect(deal.nextDueOn(in: Fixture.playbook) == LocalDate(Fixture.day(70)))
        // The facts read back from their stored line give the same.
        let stored = DealFacts(encoded: facts.encoded(), version: facts.version)
        #expect(stored?.openMoves(in: Fixture.playbook).map(\.id) == [current.id])

        let overdue = handMove(303, stage: .jointDiscovery, due: 50)
        let stalled = DealDiagnostics.stall(
            of: Fixture.deal(at: .jointDiscovery, moves: [earlier, current, overdue]), playbook: Fixture.playbook,
            now: Fixture.now)
        #expect(stalled.signals.map(\.kind) == [.overdueMoves])
        #expect(stalled.signals.first?.moveIDs == [overdue.id])
    }

    @Test func aMoveAddedToALaterStageDoesNotCountYet() {
        let later = handMove(304, stage: .jointPursuit, due: 40)
        let deal = Fixture.deal(at: .jointDiscovery, moves: [later])
        #expect(!DealDiagnostics.stall(of: deal, playbook: Fixture.playbook, now: Fixture.now).stalled)
    }

    @Test func theWeeklyReviewListsOnlyTheCurrentStagesOverdueMoves() throws {
        typealias W = WeeklyFixture
        var deals = W.deals
        let i = try #require(deals.firstIndex { $0.title == "Stalled deal" })
        deals[i].moves.append(
            DealMove(
                id: ReportsFixture.id(7_100), stageKey: "target_account_selection", templateKey: nil,
                description: "Left in stage one", side: .host, ownerID: W.hana, ownerName: "Hana Host",
                dueOn: LocalDate("2026-10-05")))
        let input = WeeklyReviewInput(
            partnership: W.partnership, week: W.week, now: W.now, accounts: W.accounts, deals: deals, events: W.events,
            refusals: W.refusals, playbooks: [ReportsFixture.playbook], record: nil, previous: W.previous)
        let review = WeeklyReview.build(input)
        let stalled = try #require(review.stalled.first)
        let listed = stalled.overdue.flatMap(\.moves).map(\.description)
        #expect(Set(listed) == ["Move 1", "Move 2", "Move 3"])
        #expect(stalled.diagnosis.stall.signals.first { $0.kind == .overdueMoves }?.value == 3)
    }

    @Test func movingBackReopensTheStagesMovesDueFromNow() throws {
        // At joint discovery since day 57; the door-opener stage was left on day 14 (46 days ago).
        var deal = Fixture.deal(at: .jointDiscovery)
        deal.evidence.doorOpener.firstMeeting = nil  // the meeting fell through
        let intro = DealMove(
            id: Fixture.id(310), stageKey: "door_opener", templateKey: "make_introduction",
            description: "Make the introduction", side: .doorOpener, dueOn: LocalDate(Fixture.day(14)))
        let booked = DealMove(
            id: Fixture.id(311), stageKey: "door_opener", templateKey: "book_first_meeting",
            description: "Book the first joint conversation", side: .both, dueOn: LocalDate(Fixture.day(18)),
            doneAt: Fixture.day(12))
        deal.moves = [
            intro, booked,
            handMove(312, stage: .doorOpener, due: 16),  // two days left when the deal left the stage
            handMove(313, stage: .doorOpener, due: 10),  // already overdue then
            handMove(314, stage: .doorOpener, due: 80),  // still to come
            handMove(315, stage: .jointDiscovery, due: 50),  // overdue, in the stage being left
        ]
        #expect(DealDiagnostics.stall(of: deal, playbook: Fixture.playbook, now: Fixture.now).stalled)
        let (after, changes) = try Fixture.apply(
            .moveBack(reason: "The meeting fell through"), to: deal, by: Fixture.hostManager)
        func due(_ n: Int) -> LocalDate? { after.moves.first { $0.id == Fixture.id(n) }?.dueOn }
        #expect(due(310) == LocalDate(Fixture.day(70)), "made from a template: 10 days from now")
        #expect(due(311) == LocalDate(Fixture.day(18)), "done: left alone")
        #expect(after.moves.first { $0.id == Fixture.id(311) }?.doneAt == Fixture.day(12))
        #expect(due(312) == LocalDate(Fixture.day(62)), "the two days it had left, from now")
        #expect(due(313) == LocalDate(Fixture.now), "today at the earliest")
        #expect(due(314) == LocalDate(Fixture.day(80)), "not past: kept")
        #expect(due(315) == LocalDate(Fixture.day(50)), "another stage: kept")
        #expect(changes.map(\.kind) == ["moved_back", "moves_rescheduled"])
        #expect(
            entry("moves_rescheduled", in: changes)?.summary
                == "The moves of The door-opener move not yet done are due again, counted from 2026-03-06: \"Make the introduction\" on 2026-03-16, \"Move 312\" on 2026-03-08, \"Move 313\" on 2026-03-06."
        )
        let report = DealDiagnostics.stall(of: after, playbook: Fixture.playbook, now: Fixture.now)
        #expect(!report.stalled, "\(report.signals.map(\.explanation))")
    }

    @Test func advancingIntoAStageAgainDatesItsOpenMovesFromNowWithoutAddingThemTwice() throws {
        // At the door-opener stage again, after joint discovery was left on day 40.
        var deal = Fixture.deal(at: .doorOpener)
        deal.passages.append(
            StagePassage(
                stageKey: "joint_discovery", enteredAt: Fixture.day(30), exitedAt: Fixture.day(40), exit: .passed,
                by: Fixture.hostAdmin.id, reason: nil, unmetAtExit: []))
        let ids = IDSequence(start: 640)
        var old = DealEngine.movesForStage(2, of: Fixture.playbook, entering: Fixture.day(30), makeID: { ids.make() })
        old[0].doneAt = Fixture.day(35)
        deal.moves = old
        let (after, changes) = try Fixture.apply(.advance(overrideReason: nil), to: deal, by: Fixture.hostManager)
        let moves = after.moves.filter { $0.stageKey == "joint_discovery" }
        #expect(moves.map(\.id) == old.map(\.id))
        // The call is done: left alone. The brief is due 14 days from now.
        #expect(moves.map(\.dueOn) == [old[0].dueOn, LocalDate(Fixture.day(74))])
        #expect(changes.map(\.kind) == ["stage_advanced", "moves_rescheduled"])
    }
}
