import CoSellDomain
import Foundation
import Testing

@Suite("Deal engine: moving through the playbook")
struct LifecycleTests {
    @Test(arguments: ["", "  ", "no", "\n\n"])
    func movingBackNeedsAReason(_ reason: String) {
        let refusal = Fixture.refusal(
            .moveBack(reason: reason), to: Fixture.deal(at: .jointDiscovery), by: Fixture.hostManager)
        #expect(expectRefusal(refusal, "invalid") == "reason")
    }

    @Test func movingBackCannotGoBeforeTheFirstStage() {
        let refusal = Fixture.refusal(
            .moveBack(reason: "Start over"), to: Fixture.deal(at: .targetAccountSelection),
            by: Fixture.hostManager)
        #expect(expectRefusal(refusal, "conflict")?.contains("first stage") == true)
    }

    @Test(arguments: CriterionKind.allCases.dropFirst())
    func movingBackGoesOneStageBackAndSaysWhy(_ kind: CriterionKind) throws {
        var deal = Fixture.deal(at: kind)
        deal.status = .open
        let (after, changes) = try Fixture.apply(
            .moveBack(reason: "  The buyer changed  "), to: deal, by: Fixture.partnerManager)
        let index = Fixture.stageIndex(kind)
        #expect(after.stageIndex == index - 1)
        #expect(after.stageEnteredAt == Fixture.now)
        // The stage it left keeps its passage (moved back), so its days still count.
        #expect(after.passages.dropLast() == deal.passages[...])
        let left = try #require(after.passages.last)
        #expect(left.exit == .movedBack && left.stageKey == kind.rawValue)
        #expect(left.enteredAt == deal.stageEnteredAt && left.exitedAt == Fixture.now)
        #expect(left.reason == "The buyer changed")
        #expect(changes.map(\.kind) == ["moved_back"])
        #expect(changes[0].summary.hasSuffix(": The buyer changed"))
        #expect(Fixture.json(changes[0].before)?["stage"] as? String == kind.rawValue)
        #expect(
            Fixture.json(changes[0].after)?["stage"] as? String == Fixture.playbook.stages[index - 1].key)
    }

    @Test func aWonDealDoesNotMoveBack() {
        let refusal = Fixture.refusal(
            .moveBack(reason: "Reopen discovery"), to: Fixture.deal(at: .closeRegisterReview),
            by: Fixture.hostManager)
        #expect(expectRefusal(refusal, "conflict") != nil)
    }

    @Test("abandoning needs a lesson for the next deal, of a stage of the playbook; it is kept with the deal")
    func abandoningLeavesALesson() throws {
        let deal = Fixture.deal(at: .jointPursuit)
        let noLesson = Fixture.refusal(.abandon(reason: "Customer froze budgets"), to: deal, by: Fixture.hostManager)
        #expect(expectRefusal(noLesson, "invalid") == "lesson")
        let badStage = Fixture.refusal(
            .abandon(reason: "Customer froze budgets", lesson: LessonDraft(stageKey: "nowhere", text: "x")),
            to: deal, by: Fixture.hostManager)
        #expect(expectRefusal(badStage, "invalid") == "lesson.stage_key")
        let empty = Fixture.refusal(
            .abandon(reason: "Customer froze budgets", lesson: LessonDraft(stageKey: "joint_pursuit", text: "  ")),
            to: deal, by: Fixture.hostManager)
        #expect(expectRefusal(empty, "invalid") == "lesson.text")
        let (after, _) = try Fixture.apply(
            .abandon(
                reason: "Customer froze budgets",
                lesson: LessonDraft(stageKey: "joint_pursuit", text: " Confirm the budget before the pilot. ")),
            to: deal, by: Fixture.hostManager)
        let lesson = try #require(after.evidence.close.review?.lessons.last)
        #expect(lesson.text == "Confirm the budget before the pilot.")
        #expect(lesson.stageKey == "joint_pursuit" && lesson.authorID == Fixture.hostManager.id)
    }

    @Test func abandoningNeedsAReasonAndEndsTheDeal() throws {
        let deal = Fixture.deal(at: .jointPursuit)
        #expect(
            expectRefusal(
                Fixture.refusal(.abandon(reason: " "), to: deal, by: Fixture.hostManager), "invalid")
                == "reason")
        let (after, changes) = try Fixture.apply(
            .abandon(
                reason: "Customer froze budgets",
                lesson: LessonDraft(stageKey: "joint_pursuit", text: "Ask for the budget owner before the pilot.")),
            to: deal, by: Fixture.hostManager)
        #expect(after.status == .abandoned)
        #expect(after.statusReason == "Customer froze budgets")
        #expect(!after.isInPlay)
        #expect(changes.map(\.kind) == ["abandoned"])
        #expect(changes[0].before == "\"open\"" && changes[0].after == "\"abandoned\"")
        // Nothing more happens to an abandoned deal.
        for command in [
            DealCommand.abandon(reason: "Again, really"), .advance(overrideReason: nil), .commit,
            .recordProof(kind: .pilot, summary: "Pilot"),
        ] {
            #expect(
                expectRefusal(Fixture.refusal(command, to: after, by: Fixture.hostAdmin), "conflict") != nil
            )
        }
    }

    static let outcomeDate = Fixture.date("2026-03-01")

    @Test(arguments: CriterionKind.allCases)
    func aWinIsLoggedOnlyAtTheLastStage(_ kind: CriterionKind) throws {
        let deal = Fixture.deal(at: kind, evidence: DealEvidence(), status: .open)
        let command = DealCommand.recordOutcome(
            result: .won, finalAmount: Fixture.usd("240000"), closeDate: Self.outcomeDate, lossReason: nil
        )
        if kind == .closeRegisterReview {
            let (after, changes) = try Fixture.apply(command, to: deal, by: Fixture.hostSeller)
            #expect(after.status == .won)
            #expect(after.evidence.close.outcome?.finalAmount == Fixture.usd("240000"))
            #expect(changes[0].summary.contains("won, $240,000.00."))
        } else {
            #expect(
                expectRefusal(Fixture.refusal(command, to: deal, by: Fixture.hostSeller), "conflict")?
                    .contains("advance the deal there first") == true)
        }
    }

    @Test("a loss needs its category (four of them are the pitfalls); another reason needs words; a win keeps none")
    func lossCategories() throws {
        let deal = Fixture.deal(at: .doorOpener, evidence: DealEvidence(), status: .open)
        func lost(_ c: LossCategory?, _ why: String?) -> DealCommand {
            .recordOutcome(
                result: .lost, finalAmount: Fixture.usd("0"), closeDate: Self.outcomeDate, lossReason: why,
                lossCategory: c)
        }
        #expect(
            expectRefusal(Fixture.refusal(lost(nil, "They chose X"), to: deal, by: Fixture.hostSeller), "invalid")
                == "loss_category")
        #expect(
            expectRefusal(Fixture.refusal(lost(.other, " "), to: deal, by: Fixture.hostSeller), "invalid")
                == "loss_reason")
        let (after, _) = try Fixture.apply(lost(.noIntroduction, nil), to: deal, by: Fixture.hostSeller)
        #expect(after.evidence.close.outcome?.lossCategory?.pitfall == .noDoorOpener)
        #expect(LossCategory.allCases.compactMap(\.pitfall).count == 4)
        let won = Fixture.deal(at: .closeRegisterReview, evidence: DealEvidence(), status: .open)
        let (w, _) = try Fixture.apply(
            .recordOutcome(
                result: .won, finalAmount: Fixture.usd("10"), closeDate: Self.outcomeDate, lossReason: "n/a",
                lossCategory: .competitor), to: won, by: Fixture.hostSeller)
        #expect(w.evidence.close.outcome?.lossCategory == nil && w.evidence.close.outcome?.lossReason == nil)
    }

    @Test(arguments: CriterionKind.allCases)
    func aLossIsLoggedAtAnyStage(_ kind: CriterionKind) throws {
        let deal = Fixture.deal(at: kind, evidence: DealEvidence(), status: .open)
        let (after, _) = try Fixture.apply(
            .recordOutcome(
                result: .lost, finalAmount: Fixture.usd("0"), closeDate: Self.outcomeDate,
                lossReason: "Chose a competitor", lossCategory: .competitor),
            to: deal, by: Fixture.hostSeller)
        #expect(after.status == .lost)
        #expect(after.stageIndex == deal.stageIndex)
        #expect(after.evidence.close.outcome?.lossReason == "Chose a competitor")
    }

    @Test func anOutcomeCannotCloseInTheFutureOrBeNegative() {
        let deal = Fixture.deal(at: .closeRegisterReview, evidence: DealEvidence(), status: .open)
        let future = DealCommand.recordOutcome(
            result: .won, finalAmount: Fixture.usd("1"), closeDate: Fixture.date("2026-03-08"),
            lossReason: nil)
        #expect(
            expectRefusal(Fixture.refusal(future, to: deal, by: Fixture.hostSeller), "invalid")
                == "close_date")
        let negative = DealCommand.recordOutcome(
            result: .won, finalAmount: Fixture.usd("-1"), closeDate: Self.outcomeDate, lossReason: nil)
        #expect(
            expectRefusal(Fixture.refusal(negative, to: deal, by: Fixture.hostSeller), "invalid")
                == "final_amount.amount")
    }

    @Test func aReviewNeedsALoggedOutcome() {
        var deal = Fixture.deal(at: .closeRegisterReview, status: .open)
        deal.evidence.close = CloseEvidence()
        let command = DealCommand.recordReview(
            heldOn: Self.outcomeDate, attendees: ["Hugo"],
            lessons: [LessonDraft(stageKey: "door_opener", text: "Intro earlier")])
        #expect(
            expectRefusal(Fixture.refusal(command, to: deal, by: Fixture.hostManager), "conflict")?
                .contains("outcome") == true)
    }

    @Test func aReviewsLessonsAreTiedToStagesOfThePlaybook() throws {
        var deal = Fixture.deal(at: .closeRegisterReview)
        deal.evidence.close.review = nil
        let bad = DealCommand.recordReview(
            heldOn: Self.outcomeDate, attendees: ["Hugo", "Pedro"],
            lessons: [
                LessonDraft(stageKey: "door_opener", text: "Intro earlier"),
                LessonDraft(stageKey: "negotiation", text: "Not a stage"),
            ])
        #expect(
            expectRefusal(Fixture.refusal(bad, to: deal, by: Fixture.hostManager), "invalid")
                == "lessons[1].stage")
        let good = DealCommand.recordReview(
            heldOn: Self.outcomeDate, attendees: ["Hugo", "Pedro"],
            lessons: [LessonDraft(stageKey: "joint_discovery", text: "  One brief from the first call  ")]
        )
        let (after, _) = try Fixture.apply(good, to: deal, by: Fixture.hostManager)
        let lesson = try #require(after.evidence.close.review?.lessons.first)
        #expect(lesson.stageKey == "joint_discovery")
        #expect(lesson.text == "One brief from the first call")
        #expect(lesson.id == Fixture.id(1_000))
        #expect(Gate.evaluateCurrent(after, in: Fixture.playbook).isOpen)
    }

    @Test func aDealHasOneRegistration() throws {
        var deal = Fixture.deal(at: .closeRegisterReview)
        deal.evidence.close.registration = nil
        let command = DealCommand.register(
            registrationID: " REG-42 ", attribution: .partnerInfluenced, sourcedBy: .host)
        let (registered, _) = try Fixture.apply(command, to: deal, by: Fixture.hostManager)
        #expect(registered.evidence.close.registration?.registrationID == "REG-42")
        #expect(registered.evidence.close.registration?.registeredByName == Fixture.hostManager.name)
        let again = Fixture.refusal(
            .register(registrationID: "REG-43", attribution: .partnerInfluenced, sourcedBy: .host),
            to: registered,
            by: Fixture.partnerManager)
        #expect(expectRefusal(again, "conflict")?.contains("REG-42") == true)
    }

    @Test(arguments: Attribution.allCases, Side.allCases)
    func theAttributionMatchesWhoSourcedTheDeal(_ attribution: Attribution, _ sourcedBy: Side) {
        var deal = Fixture.deal(at: .closeRegisterReview)
        deal.evidence.close.registration = nil
        let refusal = Fixture.refusal(
            .register(registrationID: "REG-1", attribution: attribution, sourcedBy: sourcedBy), to: deal,
            by: Fixture.hostManager)
        let consistent = (attribution == .partnerSourced) == (sourcedBy == .partner)
        if consistent {
            #expect(refusal == nil)
        } else {
            #expect(expectRefusal(refusal, "invalid") == "sourced_by")
        }
    }

    @Test func editingABriefResetsItsApprovals() throws {
        let deal = Fixture.deal(at: .jointDiscovery)
        let old = Fixture.brief
        let edit = DealCommand.writeBrief(
            briefID: Fixture.briefID, customerNeed: "Unify inventory and pricing data",
            buyingProcess: old.buyingProcess,
            stakeholders: old.stakeholders)
        let (after, changes) = try Fixture.apply(edit, to: deal, by: Fixture.partnerSeller)
        let brief = after.evidence.jointDiscovery.briefs[0]
        #expect(brief.customerNeed == "Unify inventory and pricing data")
        #expect(brief.approvals == SidePair())
        #expect(brief.updatedAt == Fixture.now)
        #expect(changes[0].kind == "brief_updated")
        #expect(changes[0].summary.contains("approvals were reset"))
        #expect(
            Gate.evaluateCurrent(after, in: Fixture.playbook).unmet.map(\.key) == [
                "host_approval", "partner_approval",
            ])
    }

    @Test func savingABriefUnchangedKeepsItsApprovals() throws {
        let old = Fixture.brief
        let same = DealCommand.writeBrief(
            briefID: Fixture.briefID, customerNeed: old.customerNeed, buyingProcess: old.buyingProcess,
            stakeholders: old.stakeholders)
        let (after, _) = try Fixture.apply(
            same, to: Fixture.deal(at: .jointDiscovery), by: Fixture.partnerSeller)
        #expect(after.evidence.jointDiscovery.briefs[0].approvals == old.approvals)
    }

    @Test func aSecondBriefIsASeparateDiscovery() throws {
        let write = DealCommand.writeBrief(
            briefID: nil, customerNeed: "Our own view", buyingProcess: Fixture.buyingProcess,
            stakeholders: [])
        let (after, changes) = try Fixture.apply(
            write, to: Fixture.deal(at: .jointDiscovery), by: Fixture.partnerSeller)
        #expect(after.evidence.jointDiscovery.briefs.count == 2)
        #expect(after.evidence.jointDiscovery.briefs[1].writtenBy == .partner)
        #expect(after.evidence.jointDiscovery.briefs[1].id == Fixture.id(1_000))
        #expect(changes[0].summary.contains("two discoveries, not one"))
        #expect(
            expectRefusal(
                Fixture.refusal(.approveBrief(briefID: Fixture.id(999)), to: after, by: Fixture.hostSeller),
                "notFound") == "brief_id")
    }
}
