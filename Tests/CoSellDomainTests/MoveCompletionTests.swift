import Foundation
import Testing

@testable import CoSellDomain

/// A deal opened through the engine on the overlap account, with the first stage's moves laid out.
private func openedDeal() throws -> Deal {
    try DealEngine.open(
        id: Fixture.id(100), partnership: Fixture.partnership, account: Fixture.account, title: "Globex",
        hostOrganizationID: Fixture.hostOrg.id, reason: nil, amount: nil, expectedCloseDate: nil,
        actor: Fixture.actor(Fixture.hostManager), context: Fixture.context(now: Fixture.day(0))
    ).0
}

/// A deal at `kind` with the evidence of the earlier stages and `kind`'s moves laid out, none done.
private func dealWithMoves(at kind: CriterionKind, evidence: DealEvidence? = nil) -> Deal {
    let index = Fixture.stageIndex(kind)
    let ids = IDSequence(start: 600)
    let moves = DealEngine.movesForStage(
        index, of: Fixture.playbook, entering: Fixture.day(55), makeID: { ids.make() })
    return Fixture.deal(
        at: kind,
        evidence: evidence
            ?? (index == 0 ? DealEvidence() : Fixture.evidence(through: CriterionKind.allCases[index - 1])),
        status: .open, moves: moves)
}

private func move(_ key: String, of deal: Deal) -> DealMove? { deal.moves.first { $0.templateKey == key } }

/// The first timeline entry of `kind`.
func entry(_ kind: String, in changes: [DealChange]) -> DealChange? { changes.first { $0.kind == kind } }

@Suite("Moves complete themselves when their evidence is recorded")
struct MoveCompletionTests {
    @Test func recordingTheFitCompletesTheMoveThatAsksForItAndSaysWho() throws {
        let deal = try openedDeal()
        #expect(move("host_icp_fit", of: deal)?.doneAt == nil)
        let (after, changes) = try Fixture.apply(
            .recordIcpFit(fit: .strong, note: nil), to: deal, by: Fixture.hostSeller, now: Fixture.day(2))
        #expect(move("host_icp_fit", of: after)?.doneAt == Fixture.day(2))
        #expect(move("partner_icp_fit", of: after)?.doneAt == nil, "the partner's fit is not recorded")
        #expect(changes.map(\.kind) == ["icp_fit_recorded", "move_completed"])
        #expect(
            entry("move_completed", in: changes)?.summary
                == "Hilde Seller completed the move \"Record the host's ideal-customer-profile fit\" by recording the evidence it asks for."
        )
        let completed = try #require(entry("move_completed", in: changes))
        #expect(Fixture.json(completed.before)?["done_at"] == nil)
        #expect(Fixture.json(completed.after)?["done_at"] as? String == "2026-01-07T09:00:00Z")
    }

    @Test func openingADealOnTheOverlapCompletesPickingTheAccount() throws {
        let deal = try openedDeal()
        #expect(move("pick_from_overlap", of: deal)?.doneAt == Fixture.day(0))
        let (_, change) = try DealEngine.open(
            id: Fixture.id(100), partnership: Fixture.partnership, account: Fixture.account, title: "Globex",
            hostOrganizationID: Fixture.hostOrg.id, reason: nil, amount: nil, expectedCloseDate: nil,
            actor: Fixture.actor(Fixture.hostManager), context: Fixture.context(now: Fixture.day(0)))
        #expect(
            change.summary
                == "Hugo Manager opened the deal on Globex Retail at Target account selection, which completes the move \"Pick the account from the mapped overlap\"."
        )
    }

    @Test func aMoveCompletesOnlyOnceEveryPartItProducesIsMet() throws {
        let deal = dealWithMoves(at: .doorOpener)
        let companiesOnly = Fixture.meetingAttendees.filter { $0.party != .customer }
        let (booked, changes) = try Fixture.apply(
            .bookFirstMeeting(scheduledFor: Fixture.day(70), attendees: companiesOnly), to: deal,
            by: Fixture.partnerSeller)
        // The introduction produced the booked meeting; booking it also asks for the customer.
        #expect(move("make_introduction", of: booked)?.doneAt == Fixture.now)
        #expect(move("book_first_meeting", of: booked)?.doneAt == nil)
        #expect(move("name_door_opener", of: booked)?.doneAt == nil)
        #expect(changes.map(\.kind) == ["first_meeting_booked", "move_completed"])
        #expect(entry("move_completed", in: changes)?.summary.contains("\"Make the introduction\"") == true)
        let (full, more) = try Fixture.apply(
            .bookFirstMeeting(scheduledFor: Fixture.day(70), attendees: Fixture.meetingAttendees), to: booked,
            by: Fixture.partnerSeller, now: Fixture.day(61))
        #expect(move("book_first_meeting", of: full)?.doneAt == Fixture.day(61))
        #expect(move("make_introduction", of: full)?.doneAt == Fixture.now, "a move already done stays done")
        #expect(more.map(\.kind) == ["first_meeting_booked", "move_completed"])
    }

    @Test func movesAddedByHandAreLeftAlone() throws {
        var deal = dealWithMoves(at: .jointPursuit)
        deal.moves.append(
            DealMove(
                id: Fixture.id(690), stageKey: "joint_pursuit", templateKey: nil, description: "Deliver the proof",
                side: .both, dueOn: Fixture.date("2026-03-10")))
        let (after, _) = try Fixture.apply(
            .recordProof(kind: .pilot, summary: "Two-store pilot"), to: deal, by: Fixture.hostSeller)
        #expect(move("deliver_proof", of: after)?.doneAt == Fixture.now)
        #expect(after.moves.first { $0.id == Fixture.id(690) }?.doneAt == nil)
    }

    @Test func aMoveLeftOpenInAnEarlierStageCompletesWhenItsStagesEvidenceIsMet() throws {
        // A deal stored before moves completed themselves: its first stage's fit moves are still open.
        var deal = dealWithMoves(at: .doorOpener)
        let ids = IDSequence(start: 680)
        deal.moves += DealEngine.movesForStage(
            0, of: Fixture.playbook, entering: Fixture.day(0), makeID: { ids.make() })
        let (after, changes) = try Fixture.apply(
            .nameDoorOpener(side: .partner, kind: .warmIntroduction, ownerID: Fixture.partnerSeller.id), to: deal,
            by: Fixture.hostManager)
        let completed = after.moves.filter { $0.doneAt == Fixture.now }.compactMap(\.templateKey)
        #expect(completed == ["name_door_opener", "pick_from_overlap", "host_icp_fit", "partner_icp_fit"])
        #expect(changes.filter { $0.kind == "move_completed" }.count == 4)
    }

    @Test func commandsThatRecordNoEvidenceCompleteNothing() throws {
        let deal = try openedDeal()
        var fitted = deal
        fitted.evidence.targetSelection = Fixture.targetSelectionEvidence
        // Only commands that record evidence complete moves; changing the deal's details is not one.
        let (after, changes) = try Fixture.apply(
            .updateDetails(title: "Globex, all stores", amount: nil, expectedCloseDate: nil), to: fitted,
            by: Fixture.hostSeller)
        #expect(changes.map(\.kind) == ["details_updated"])
        #expect(move("host_icp_fit", of: after)?.doneAt == nil)
    }

    /// Each stage's moves, with that stage's evidence recorded, are all done after one more piece of evidence.
    @Test(arguments: CriterionKind.allCases)
    func everyStandardMoveIsCompletedByItsStagesEvidence(_ kind: CriterionKind) throws {
        let full = Fixture.evidence(through: kind)
        var deal = dealWithMoves(at: kind, evidence: full)
        let command: DealCommand
        let person: Person
        if kind == .closeRegisterReview {
            deal.status = .won
            command = .recordReview(
                heldOn: Fixture.date("2026-02-27"), attendees: ["Hugo"],
                lessons: [LessonDraft(stageKey: "door_opener", text: "Intro earlier")])
            person = Fixture.hostManager
        } else {
            command = .commit
            person = Fixture.hostManager
        }
        let (after, _) = try Fixture.apply(command, to: deal, by: person)
        let stage = Fixture.stage(kind)
        let moves = after.moves.filter { $0.stageKey == stage.key }
        #expect(moves.count == stage.moves.count)
        #expect(
            moves.allSatisfy { $0.doneAt == Fixture.now }, "\(moves.filter { $0.doneAt == nil }.map(\.description))")
    }

    @Test func everyStandardMoveProducesPartsOfItsOwnStagesGate() {
        let deal = Fixture.deal(at: .closeRegisterReview)
        for stage in Fixture.playbook.stages {
            let keys = Set(Gate.evaluate(deal, stage: stage, in: Fixture.playbook).parts.map(\.key))
            for template in stage.moves {
                #expect(!template.produces.isEmpty, "\(template.key) produces nothing")
                #expect(Set(template.produces).isSubset(of: keys), "\(template.key): \(template.produces)")
            }
        }
    }

    @Test func nextActionsPointAtTheMoveThatFinishesThePartFromTheSameMap() throws {
        #expect(
            MoveTemplate.moveKeys(producing: "first_meeting_booked") == ["book_first_meeting", "make_introduction"])
        #expect(MoveTemplate.moveKeys(producing: "one_brief") == ["write_brief", "joint_discovery_call"])
        #expect(MoveTemplate.moveKeys(producing: "host_commitment") == [])
        // The customer's confirmation is part of agreeing the close plan: its action carries that move.
        var deal = dealWithMoves(at: .jointPursuit, evidence: Fixture.evidence(through: .jointPursuit))
        deal.evidence.jointPursuit.customerConfirmation = nil
        let actions = NextActions.of(deal, playbook: Fixture.playbook, companyNames: [:], today: LocalDate(Fixture.now))
        let closePlan = try #require(move("close_plan", of: deal))
        #expect(actions.map(\.part) == ["customer_confirmation"])
        #expect(actions.first?.moveID == closePlan.id)
    }
}
