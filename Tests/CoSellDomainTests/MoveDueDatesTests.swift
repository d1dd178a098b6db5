import Foundation
import Testing

@testable import CoSellDomain

private func move(_ key: String, of deal: Deal) -> DealMove? { deal.moves.first { $0.templateKey == key } }

/// A deal at the last stage with its moves laid out on `entered`, nothing of stage 5 recorded.
private func atStageFive(entered: Int, playbook: Playbook = Fixture.playbook) -> Deal {
    let ids = IDSequence(start: 600)
    var deal = Fixture.deal(
        at: .closeRegisterReview, evidence: Fixture.evidence(through: .jointPursuit), status: .open,
        moves: DealEngine.movesForStage(4, of: playbook, entering: Fixture.day(entered), makeID: { ids.make() }))
    deal.stageEnteredAt = Fixture.day(entered)
    return deal
}

/// `playbook` as a database holds it when stored before `dueAfterMove` existed: without the field.
private func storedWithoutDueAfterMove(_ playbook: Playbook) throws -> Playbook {
    let data = try JSONEncoder().encode(playbook)
    var object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    var stages = try #require(object["stages"] as? [[String: Any]])
    for i in stages.indices {
        var moves = try #require(stages[i]["moves"] as? [[String: Any]])
        for j in moves.indices { moves[j].removeValue(forKey: "dueAfterMove") }
        stages[i]["moves"] = moves
    }
    object["stages"] = stages
    let decoder = JSONDecoder()
    return try decoder.decode(Playbook.self, from: JSONSerialization.data(withJSONObject: object))
}

@Suite("Due dates that count from another move")
struct MoveDueDatesTests {
    @Test func stageFivesRegistrationAndReviewAreDueCountedFromTheOutcome() throws {
        let pursuing = Fixture.deal(at: .jointPursuit, now: Fixture.day(40))
        let (entered, _) = try Fixture.apply(
            .advance(overrideReason: nil), to: pursuing, by: Fixture.hostSeller, now: Fixture.day(40))
        #expect(move("log_outcome", of: entered)?.dueOn == LocalDate(Fixture.day(70)))
        #expect(move("register", of: entered)?.dueOn == nil)
        #expect(move("review", of: entered)?.dueOn == nil)
        // Ten days into the stage with no outcome yet, nothing is overdue.
        let early = DealDiagnostics.stall(of: entered, playbook: Fixture.playbook, now: Fixture.day(50))
        #expect(!early.signals.contains { $0.kind == .overdueMoves }, "\(early.signals.map(\.explanation))")

        let (won, changes) = try Fixture.apply(
            .recordOutcome(
                result: .won, finalAmount: Fixture.usd("250000"), closeDate: Fixture.date("2026-03-05"), lossReason: nil
            ),
            to: entered, by: Fixture.hostSeller, now: Fixture.day(60))
        #expect(move("log_outcome", of: won)?.doneAt == Fixture.day(60))
        #expect(move("register", of: won)?.dueOn == LocalDate(Fixture.day(67)))
        #expect(move("review", of: won)?.dueOn == LocalDate(Fixture.day(74)))
        #expect(changes.map(\.kind) == ["outcome_logged", "move_completed", "move_scheduled", "move_scheduled"])
        #expect(
            entry("move_scheduled", in: changes)?.summary
                == "\"Register the joint opportunity, sourced or influenced\" is now due on 2026-03-13: 7 days after \"Log the outcome\" was done."
        )
    }

    @Test func tickingTheMoveByHandSchedulesTooKeepingALaterDateSetByHand() throws {
        var deal = atStageFive(entered: 50)
        let reviewIndex = try #require(deal.moves.firstIndex { $0.templateKey == "review" })
        let registerIndex = try #require(deal.moves.firstIndex { $0.templateKey == "register" })
        deal.moves[reviewIndex].dueOn = LocalDate(Fixture.day(90))  // set by hand, after the outcome
        deal.moves[registerIndex].dueOn = LocalDate(Fixture.day(55))  // set by hand, before it
        let outcome = try #require(move("log_outcome", of: deal))
        let (after, changes) = try Fixture.apply(
            .updateMove(moveID: outcome.id, ownerID: nil, dueOn: nil, done: true), to: deal, by: Fixture.hostSeller,
            now: Fixture.day(61))
        #expect(move("register", of: after)?.dueOn == LocalDate(Fixture.day(68)))
        #expect(move("review", of: after)?.dueOn == LocalDate(Fixture.day(90)))
        #expect(changes.map(\.kind) == ["move_updated", "move_scheduled"])
        // Ticking it again changes nothing more.
        let (_, again) = try Fixture.apply(
            .updateMove(moveID: outcome.id, ownerID: nil, dueOn: nil, done: true), to: after, by: Fixture.hostSeller,
            now: Fixture.day(62))
        #expect(again.map(\.kind) == ["move_updated"])
    }

    @Test func aDealLostEarlyGoesStraightToItsReviewDueFromTheOutcome() throws {
        let ids = IDSequence(start: 600)
        let deal = Fixture.deal(
            at: .doorOpener, evidence: Fixture.evidence(through: .targetAccountSelection), status: .open,
            moves: DealEngine.movesForStage(1, of: Fixture.playbook, entering: Fixture.day(5), makeID: { ids.make() }))
        #expect(DealDiagnostics.stall(of: deal, playbook: Fixture.playbook, now: Fixture.now).stalled)
        let (lost, changes) = try Fixture.apply(
            .recordOutcome(
                result: .lost, finalAmount: Fixture.usd("0"), closeDate: Fixture.date("2026-03-05"),
                lossReason: "Budget cut", lossCategory: .noBudget),
            to: deal, by: Fixture.hostSeller)
        #expect(lost.stageIndex == 1)
        #expect(
            changes.map(\.kind) == [
                "outcome_logged", "moves_added", "move_completed", "move_completed", "move_scheduled",
            ])
        #expect(
            entry("moves_added", in: changes)?.summary
                == "The deal was lost at The door-opener move and goes straight to its review: it takes on the moves of Close, register and review."
        )
        let closing = lost.moves.filter { $0.stageKey == "close_register_review" }
        #expect(closing.compactMap(\.templateKey) == ["log_outcome", "register", "review"])
        #expect(move("log_outcome", of: lost)?.doneAt == Fixture.now)
        #expect(move("register", of: lost)?.doneAt == Fixture.now, "a lost deal is not registered")
        let review = try #require(move("review", of: lost))
        #expect(review.doneAt == nil && review.dueOn == LocalDate(Fixture.day(74)))
        // The door-opener moves left undone no longer count; the review counts, from its due date on.
        #expect(lost.openMoves(in: Fixture.playbook).map(\.id) == [review.id])
        let before = DealDiagnostics.stall(of: lost, playbook: Fixture.playbook, now: Fixture.day(74))
        #expect(!before.signals.contains { $0.kind == .overdueMoves })
        let after = DealDiagnostics.stall(of: lost, playbook: Fixture.playbook, now: Fixture.day(75))
        #expect(after.signals.first { $0.kind == .overdueMoves }?.moveIDs == [review.id])
        // Logging the outcome again adds nothing twice.
        let (relogged, _) = try Fixture.apply(
            .recordOutcome(
                result: .lost, finalAmount: Fixture.usd("0"), closeDate: Fixture.date("2026-03-05"),
                lossReason: "Budget cut, confirmed", lossCategory: .noBudget),
            to: lost, by: Fixture.hostSeller, now: Fixture.day(61))
        #expect(relogged.moves.count == lost.moves.count)
    }

    @Test func aStoredStandardPlaybookWithoutTheFieldStillCountsFromTheOutcome() throws {
        let stored = try storedWithoutDueAfterMove(Fixture.playbook)
        #expect(stored.stages.allSatisfy { $0.moves.allSatisfy { $0.dueAfterMove == nil } })
        #expect(stored != Fixture.playbook)
        #expect(stored.withMoveDependencies() == Fixture.playbook)
        #expect(Fixture.playbook.withMoveDependencies() == Fixture.playbook)
        let last = try #require(stored.stages.last)
        #expect(last.moves.map { last.dueAnchor(of: $0) } == [nil, "log_outcome", "log_outcome"])
        // The engine reads the stored playbook the same way.
        let pursuing = Fixture.deal(at: .jointPursuit, now: Fixture.day(40))
        let context = DealContext(playbook: stored, people: Fixture.people, now: Fixture.day(40), makeID: { UUID() })
        let (entered, _) = try DealEngine.apply(
            .advance(overrideReason: nil), to: pursuing, by: Fixture.actor(Fixture.hostSeller), context: context)
        #expect(move("register", of: entered)?.dueOn == nil)
        #expect(move("review", of: entered)?.dueOn == nil)
        #expect(move("log_outcome", of: entered)?.dueOn == LocalDate(Fixture.day(70)))
    }

    @Test func otherMovesCountFromTheirStagesEntryUnlessTheySayOtherwise() throws {
        var playbook = Fixture.playbook
        playbook.stages[1].moves[2].dueAfterMove = "make_introduction"  // book the meeting 14 days after the intro
        try playbook.validate()
        let ids = IDSequence(start: 600)
        let deal = Fixture.deal(
            at: .doorOpener, evidence: Fixture.evidence(through: .targetAccountSelection), status: .open,
            moves: DealEngine.movesForStage(1, of: playbook, entering: Fixture.day(50), makeID: { ids.make() }))
        #expect(move("name_door_opener", of: deal)?.dueOn == LocalDate(Fixture.day(53)))
        #expect(move("book_first_meeting", of: deal)?.dueOn == nil)
        let intro = try #require(move("make_introduction", of: deal))
        let context = DealContext(playbook: playbook, people: Fixture.people, now: Fixture.day(58))
        let (after, _) = try DealEngine.apply(
            .updateMove(moveID: intro.id, ownerID: nil, dueOn: nil, done: true), to: deal,
            by: Fixture.actor(Fixture.partnerSeller), context: context)
        #expect(move("book_first_meeting", of: after)?.dueOn == LocalDate(Fixture.day(72)))
    }

    @Test func aMoveCountsFromAnotherMoveOfItsOwnStageWithoutACycle() throws {
        try Fixture.playbook.validate()
        func refusal(_ edit: (inout Playbook) -> Void) -> PlaybookError? {
            var p = Fixture.playbook
            edit(&p)
            do {
                try p.validate()
                return nil
            } catch {
                return error
            }
        }
        let field = "stages[0].moves[1].due_after_move"
        #expect(
            refusal { $0.stages[0].moves[1].dueAfterMove = "log_outcome" }
                == .invalid(field: field, "must be the key of another move of the same stage"))
        #expect(
            refusal { $0.stages[0].moves[1].dueAfterMove = "host_icp_fit" }
                == .invalid(field: field, "must be the key of another move of the same stage"))
        #expect(
            refusal {
                $0.stages[0].moves[0].dueAfterMove = "host_icp_fit"
                $0.stages[0].moves[1].dueAfterMove = "pick_from_overlap"
            }
                == .invalid(
                    field: "stages[0].moves[0].due_after_move",
                    "must not lead back to this move: the due dates would wait on each other"))
        #expect(refusal { $0.stages[0].moves[1].dueAfterMove = "pick_from_overlap" } == nil)
    }

    @Test func aMoveTemplateWithoutTheFieldEncodesAsBefore() throws {
        let outcome = try #require(Fixture.playbook.stages.last?.moves.first)
        let json = String(decoding: try JSONEncoder().encode(outcome), as: UTF8.self)
        #expect(!json.contains("dueAfterMove"))
        let register = try #require(Fixture.playbook.stages.last?.moves[1])
        let decoded = try JSONDecoder().decode(MoveTemplate.self, from: JSONEncoder().encode(register))
        #expect(decoded.dueAfterMove == "log_outcome")
    }
}
