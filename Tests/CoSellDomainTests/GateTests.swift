import CoSellDomain
import Foundation
import Testing

@Suite("Gate: every stage, every part of its exit criterion")
struct GateTests {
    /// The table must name every part the gate reports, so no part goes untested.
    @Test(arguments: CriterionKind.allCases)
    func tableCoversEveryPartOfTheStage(_ kind: CriterionKind) {
        let empty = Fixture.deal(at: kind, evidence: DealEvidence(), status: .open)
        let reported = Gate.evaluate(empty, stage: Fixture.stage(kind), in: Fixture.playbook).parts.map(
            \.key)
        let tabled = Set(GateCase.all.filter { $0.stage == kind }.map(\.part))
        #expect(!reported.isEmpty)
        #expect(Set(reported) == tabled)
        #expect(Set(reported).count == reported.count, "part keys are unique")
    }

    @Test(arguments: CriterionKind.allCases)
    func withAllEvidenceTheGateIsOpen(_ kind: CriterionKind) {
        let deal = Fixture.deal(at: kind)
        let report = Gate.evaluateCurrent(deal, in: Fixture.playbook)
        #expect(report.stageKey == kind.rawValue)
        #expect(report.criterion == Fixture.stage(kind).exitCriterion.wording)
        #expect(report.isOpen)
        #expect(report.unmet.isEmpty)
        #expect(report.metCount == report.parts.count)
        #expect(report.parts.allSatisfy { $0.missing == nil })
    }

    @Test(arguments: CriterionKind.allCases)
    func withNoEvidenceEveryPartIsUnmet(_ kind: CriterionKind) {
        var deal = Fixture.deal(at: kind, evidence: DealEvidence(), status: .open)
        deal.accountOnOverlap = false
        let report = Gate.evaluateCurrent(deal, in: Fixture.playbook)
        #expect(!report.isOpen)
        #expect(report.metCount == 0)
        #expect(report.unmet.count == report.parts.count)
        #expect(report.unmet.allSatisfy { !($0.missing ?? "").isEmpty })
    }

    @Test(arguments: GateCase.all)
    func removingAPartsEvidenceLeavesExactlyThatPartUnmet(_ c: GateCase) throws {
        let report = Gate.evaluateCurrent(c.deal, in: Fixture.playbook)
        #expect(!report.isOpen)
        #expect(report.unmet.map(\.key) == c.expectedUnmet)
        let part = try #require(report.parts.first { $0.key == c.part })
        #expect(!part.met)
        let missing = try #require(part.missing)
        #expect(missing.contains(c.missingSays), "\(missing)")
        #expect(missing.hasSuffix("."), "a plain-words sentence: \(missing)")
        #expect(!missing.contains("_"), "no identifiers in plain words: \(missing)")
        for other in report.parts where !c.expectedUnmet.contains(other.key) {
            #expect(other.met, "\(other.key) should still be met")
            #expect(other.missing == nil)
        }
    }

    @Test(arguments: GateCase.all)
    func advancingIsRefusedListingTheUnmetPart(_ c: GateCase) throws {
        let deal = c.deal
        let error = try #require(
            Fixture.refusal(.advance(overrideReason: nil), to: deal, by: Fixture.hostAdmin))
        guard case .gateClosed(let report) = error else {
            Issue.record("expected gateClosed, got \(error)")
            return
        }
        #expect(report.stageKey == c.stage.rawValue)
        #expect(report.unmet.map(\.key) == c.expectedUnmet)
        let missing = try #require(report.unmet.first { $0.key == c.part }?.missing)
        #expect(error.message.contains(missing))
        #expect(error.message.hasPrefix("The \(Fixture.stage(c.stage).name) gate is closed"))
    }

    @Test(arguments: GateCase.all)
    func anAdminOverrideWithAReasonSkipsTheStage(_ c: GateCase) throws {
        let deal = c.deal
        let reason = "The customer's board meets next week; we agreed to move ahead."
        guard c.overridable else {
            // An open deal at the last stage must log its outcome; no override completes it.
            let error = Fixture.refusal(.advance(overrideReason: reason), to: deal, by: Fixture.hostAdmin)
            guard case .conflict(let m) = error else {
                Issue.record("expected conflict, got \(String(describing: error))")
                return
            }
            #expect(m.contains("log the outcome"))
            return
        }
        if c.stage == .closeRegisterReview && deal.status == .won {
            // A won deal is not completed past a missing registration or review.
            let error = Fixture.refusal(.advance(overrideReason: reason), to: deal, by: Fixture.partnerAdmin)
            #expect(expectRefusal(error, "conflict")?.contains("registration or its review") == true)
            return
        }
        let expectedMissing = Gate.evaluateCurrent(deal, in: Fixture.playbook).unmet.compactMap(
            \.missing)
        // Contoso's admin overrides; a part of Northwind's (the host's) needs Northwind's admin too.
        let twoKeys = Gate.evaluateCurrent(deal, in: Fixture.playbook).unmet.contains { $0.key.hasPrefix("host_") }
        var current = deal
        if twoKeys {
            let (requested, asked) = try Fixture.apply(
                .advance(overrideReason: reason), to: deal, by: Fixture.partnerAdmin)
            #expect(requested.stageIndex == deal.stageIndex && requested.passages == deal.passages)
            #expect(requested.pendingOverride?.side == .partner)
            #expect(asked.map(\.kind) == ["override_requested"])
            current = requested
        }
        let (after, changes) = try Fixture.apply(
            .advance(overrideReason: twoKeys ? "Agreed on the call with Contoso." : reason), to: current,
            by: twoKeys ? Fixture.hostAdmin : Fixture.partnerAdmin)
        let passage = try #require(after.passages.last)
        #expect(after.passages.count == deal.passages.count + 1)
        #expect(passage.stageKey == c.stage.rawValue)
        #expect(passage.exit == .skipped)
        #expect(twoKeys ? passage.reason?.hasPrefix(reason) == true : passage.reason == reason)
        #expect(passage.by == Fixture.partnerAdmin.id)
        #expect(passage.confirmedBy == (twoKeys ? Fixture.hostAdmin.id : nil))
        #expect(after.pendingOverride == nil)
        #expect(passage.enteredAt == deal.stageEnteredAt)
        #expect(passage.exitedAt == Fixture.now)
        #expect(passage.unmetAtExit == expectedMissing)
        #expect(passage.unmetAtExit.count == c.expectedUnmet.count)
        #expect(changes.map(\.kind) == ["gate_overridden"])
        #expect(changes[0].summary.contains(reason))
        if c.stage == .closeRegisterReview {
            #expect(after.stageIndex == deal.stageIndex)
            #expect(after.completedAt == Fixture.now)
        } else {
            #expect(after.stageIndex == deal.stageIndex + 1)
            #expect(after.stageEnteredAt == Fixture.now)
            #expect(after.completedAt == nil)
        }
    }

    @Test(
        arguments: GateCase.all,
        [Fixture.hostManager, Fixture.hostSeller, Fixture.partnerManager, Fixture.partnerSeller])
    func aNonAdminOverrideIsForbidden(_ c: GateCase, _ person: Person) {
        guard c.overridable else { return }
        let error = Fixture.refusal(
            .advance(overrideReason: "We are confident the customer is ready."), to: c.deal, by: person)
        guard case .forbidden(let m) = error else {
            Issue.record("expected forbidden, got \(String(describing: error))")
            return
        }
        #expect(m.contains("Only an admin"))
    }

    @Test(arguments: GateCase.all, ["", "   ", "\n\t", "ok"])
    func anOverrideWithoutAReasonIsInvalid(_ c: GateCase, _ reason: String) {
        guard c.overridable else { return }
        let error = Fixture.refusal(.advance(overrideReason: reason), to: c.deal, by: Fixture.hostAdmin)
        guard case .invalid(let field, _) = error else {
            Issue.record("expected invalid, got \(String(describing: error))")
            return
        }
        #expect(field == "override_reason")
    }

    @Test(arguments: CriterionKind.allCases)
    func aPassingAdvanceRecordsPassed(_ kind: CriterionKind) throws {
        let deal = Fixture.deal(at: kind)
        let (after, changes) = try Fixture.apply(
            .advance(overrideReason: nil), to: deal, by: Fixture.hostSeller)
        let passage = try #require(after.passages.last)
        #expect(after.passages.count == deal.passages.count + 1)
        #expect(passage.stageKey == kind.rawValue)
        #expect(passage.exit == .passed)
        #expect(passage.reason == nil)
        #expect(passage.unmetAtExit.isEmpty)
        #expect(passage.by == Fixture.hostSeller.id)
        #expect(after.lastActivityAt == Fixture.now)
        #expect(changes.count == 1)
        let index = Fixture.stageIndex(kind)
        if index == Fixture.playbook.stages.count - 1 {
            #expect(changes[0].kind == "completed")
            #expect(after.completedAt == Fixture.now)
            #expect(after.stageIndex == index)
            #expect(!after.isInPlay)
        } else {
            let next = Fixture.playbook.stages[index + 1]
            #expect(changes[0].kind == "stage_advanced")
            #expect(after.stageIndex == index + 1)
            #expect(after.stageEnteredAt == Fixture.now)
            #expect(Fixture.json(changes[0].before)?["stage"] as? String == kind.rawValue)
            #expect(Fixture.json(changes[0].after)?["stage"] as? String == next.key)
            // The next stage's moves are laid out, due from today; those that count from another move
            // (stage 5's registration and review, from the outcome) have no due date yet.
            let added = after.moves.filter { $0.stageKey == next.key }
            #expect(added.compactMap(\.templateKey) == next.moves.map(\.key))
            #expect(
                added.map(\.dueOn)
                    == next.moves.map {
                        next.dueAnchor(of: $0) != nil
                            ? nil : LocalDate(Fixture.now.addingTimeInterval(Double($0.dueAfterDays) * 86_400))
                    })
        }
    }

    @Test(arguments: CriterionKind.allCases)
    func anOverrideOnAnOpenGateStillPasses(_ kind: CriterionKind) throws {
        let (after, _) = try Fixture.apply(
            .advance(overrideReason: "Not needed, but given anyway."), to: Fixture.deal(at: kind),
            by: Fixture.hostAdmin)
        #expect(after.passages.last?.exit == .passed)
        #expect(after.passages.last?.reason == nil)
    }

    @Test func advancingMovesOneStageAtATime() throws {
        var deal = Fixture.deal(
            at: .targetAccountSelection, evidence: Fixture.evidence(through: .closeRegisterReview),
            status: .open)
        deal.evidence.close = CloseEvidence()
        let (after, _) = try Fixture.apply(
            .advance(overrideReason: nil), to: deal, by: Fixture.hostSeller)
        #expect(after.stageIndex == 1)
        let (again, _) = try Fixture.apply(
            .advance(overrideReason: nil), to: after, by: Fixture.hostSeller)
        #expect(again.stageIndex == 2)
        #expect(
            again.passages.suffix(2).map(\.stageKey) == ["target_account_selection", "door_opener"])
    }

    @Test func anAccountAddedWithAReasonMeetsTheOverlapPart() {
        var deal = Fixture.deal(at: .targetAccountSelection)
        deal.accountOnOverlap = false
        deal.accountReason = "Partner's existing customer expanding into our segment"
        #expect(Gate.evaluateCurrent(deal, in: Fixture.playbook).isOpen)
    }

    @Test(arguments: Side.allCases)
    func aPartialFitIsRecordedAndMeetsTheGate(_ side: Side) {
        var deal = Fixture.deal(at: .targetAccountSelection)
        deal.evidence.targetSelection.icpFit[side]?.fit = .partial
        #expect(Gate.evaluateCurrent(deal, in: Fixture.playbook).isOpen)
    }

    @Test func aWithdrawnSecondBriefDoesNotCount() {
        var deal = Fixture.deal(at: .jointDiscovery)
        var second = Fixture.brief
        second.id = Fixture.id(61)
        second.withdrawnReason = "Merged into the host's brief"
        deal.evidence.jointDiscovery.briefs.append(second)
        #expect(Gate.evaluateCurrent(deal, in: Fixture.playbook).isOpen)
    }

    @Test func aWithdrawnSecondClosePlanDoesNotCount() {
        var deal = Fixture.deal(at: .jointPursuit)
        var second = Fixture.closePlan
        second.id = Fixture.id(71)
        second.withdrawnReason = "Merged"
        deal.evidence.jointPursuit.closePlans.append(second)
        #expect(Gate.evaluateCurrent(deal, in: Fixture.playbook).isOpen)
    }

    @Test func aLostDealCompletesThePlaybookToo() throws {
        var deal = Fixture.deal(at: .closeRegisterReview)
        deal.evidence.close.outcome?.result = .lost
        deal.status = .lost
        let (after, changes) = try Fixture.apply(
            .advance(overrideReason: nil), to: deal, by: Fixture.hostSeller)
        #expect(after.completedAt == Fixture.now)
        #expect(after.status == .lost)
        #expect(changes.map(\.kind) == ["completed"])
    }

    @Test func aLostDealNeedsNoRegistration() {
        var deal = Fixture.deal(at: .closeRegisterReview)
        deal.evidence.close.outcome?.result = .lost
        deal.evidence.close.registration = nil
        #expect(Gate.evaluateCurrent(deal, in: Fixture.playbook).isOpen)
    }

    /// A deal lost before the last stage completes from where it is, once the close gate holds.
    @Test func aDealLostEarlyCompletesOnceReviewed() throws {
        let deal = Fixture.deal(at: .jointDiscovery, status: .open)
        let (lost, _) = try Fixture.apply(
            .recordOutcome(
                result: .lost, finalAmount: Fixture.usd("0"), closeDate: Fixture.date("2026-03-01"),
                lossReason: "Budget cut", lossCategory: .noBudget),
            to: deal, by: Fixture.hostSeller)
        let error = Fixture.refusal(.advance(overrideReason: nil), to: lost, by: Fixture.hostSeller)
        guard case .gateClosed(let report) = error else {
            Issue.record("expected gateClosed, got \(String(describing: error))")
            return
        }
        #expect(report.stageKey == CriterionKind.closeRegisterReview.rawValue)
        #expect(report.unmet.map(\.key) == ["review_lesson"])
        let (reviewed, _) = try Fixture.apply(
            .recordReview(
                heldOn: Fixture.date("2026-03-03"), attendees: ["Hugo", "Pedro"],
                lessons: [LessonDraft(stageKey: "target_account_selection", text: "Check budget first")]),
            to: lost, by: Fixture.hostManager)
        let (done, changes) = try Fixture.apply(
            .advance(overrideReason: nil), to: reviewed, by: Fixture.hostSeller)
        #expect(done.completedAt == Fixture.now)
        #expect(done.stageIndex == deal.stageIndex)
        #expect(changes.map(\.kind) == ["completed"])
        #expect(!done.isInPlay)
    }

    @Test func aCompletedDealCannotAdvanceAgain() throws {
        let (done, _) = try Fixture.apply(
            .advance(overrideReason: nil), to: Fixture.deal(at: .closeRegisterReview),
            by: Fixture.hostSeller)
        guard
            case .conflict = Fixture.refusal(
                .advance(overrideReason: nil), to: done, by: Fixture.hostAdmin)
        else {
            Issue.record("a completed deal advanced again")
            return
        }
    }
}
