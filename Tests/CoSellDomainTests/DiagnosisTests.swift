import CoSellDomain
import Foundation
import Testing

@Suite("Stall and diagnosis")
struct DiagnosisTests {
    static func diagnose(_ deal: Deal, now: Date = Fixture.now) -> Diagnosis {
        DealDiagnostics.diagnose(deal, playbook: Fixture.playbook, now: now)
    }

    @Test func everyPitfallHasACase() {
        #expect(Set(PitfallCase.all.map(\.pitfall)) == Set(Pitfall.allCases))
    }

    @Test(arguments: PitfallCase.all)
    func theDiagnosisNamesThePitfallWithItsEvidence(_ c: PitfallCase) throws {
        let deal = c.make()
        let d = Self.diagnose(deal)
        #expect(d.needsDiagnosis)
        #expect(d.stall.stalled || deal.status == .lost)
        let cause = try #require(d.likelyCause, "\(d.explanation)")
        #expect(cause.pitfall == c.pitfall)
        #expect(cause.stageKey == c.pitfall.criterion.rawValue)
        #expect(d.findings.first == cause)
        for fact in c.evidenceSays {
            #expect(
                cause.evidence.contains { $0.contains(fact) }, "missing \"\(fact)\" in \(cause.evidence)")
        }
        #expect(d.explanation.hasPrefix("\(c.pitfall.title): "))
        #expect(
            d.explanation.contains(Fixture.playbook.stages[Fixture.stageIndex(c.pitfall.criterion)].name))
    }

    /// The same deals, before they stall and without a loss: the weakness is found but not yet named as a cause.
    @Test(arguments: PitfallCase.all.filter { $0.pitfall != .noReview })
    func aWeaknessIsNotACauseUntilTheDealStallsOrIsLost(_ c: PitfallCase) {
        var deal = c.make()
        deal.status = .open
        deal.evidence.close.outcome = nil
        deal.stageEnteredAt = Fixture.now.addingTimeInterval(-86_400)
        deal.lastActivityAt = Fixture.now
        let d = Self.diagnose(deal)
        #expect(!d.stall.stalled)
        #expect(!d.needsDiagnosis)
        #expect(d.likelyCause == nil)
        #expect(d.explanation == "Not stalled.")
    }

    struct Chain: Sendable, CustomTestStringConvertible {
        var weak: String
        var stalledAt: CriterionKind
        var expected: Pitfall
        var make: @Sendable (inout DealEvidence) -> Void
        var testDescription: String { "\(weak), stalled at \(stalledAt.rawValue)" }
    }

    /// The specification: "a skipped or weak stage shows up as a stall in the next one", and the earliest weak stage
    /// is the likely cause even when later stages are weak too.
    @Test(arguments: [
        // A partial fit is a weak sign: the later stage's own pitfall comes first.
        Chain(
            weak: "partial fit and two close plans", stalledAt: .jointPursuit,
            expected: .competingClosePlans
        ) {
            $0.targetSelection.icpFit.partner?.fit = .partial
            $0.jointPursuit.closePlans.append(PitfallCase.secondPlan)
        },
        // A fit that is none (the gate overridden) stays the first cause.
        Chain(
            weak: "no fit and two close plans", stalledAt: .jointPursuit,
            expected: .pursuingTheWrongAccount
        ) {
            $0.targetSelection.icpFit.partner?.fit = Fit.none
            $0.jointPursuit.closePlans.append(PitfallCase.secondPlan)
        },
        Chain(weak: "weak fit only", stalledAt: .jointPursuit, expected: .pursuingTheWrongAccount) {
            $0.targetSelection.icpFit.host?.fit = .partial
        },
        Chain(
            weak: "no fit recorded and no door-opener", stalledAt: .doorOpener,
            expected: .pursuingTheWrongAccount
        ) {
            $0.targetSelection.icpFit.partner = nil
            $0.doorOpener = DoorOpenerEvidence()
        },
        Chain(
            weak: "missed door-opener and two briefs", stalledAt: .jointDiscovery, expected: .noDoorOpener
        ) {
            $0.doorOpener.doorOpener = nil
            $0.jointDiscovery.briefs.append(PitfallCase.secondBrief)
        },
        Chain(
            weak: "separate discovery and no confirmation", stalledAt: .jointPursuit,
            expected: .twoDiscoveriesNotOne
        ) {
            $0.jointDiscovery.briefs.append(PitfallCase.secondBrief)
            $0.jointPursuit.customerConfirmation = nil
        },
        Chain(
            weak: "one-sided close plan", stalledAt: .closeRegisterReview, expected: .competingClosePlans
        ) {
            $0.jointPursuit.closePlans[0].milestones.removeAll { $0.ownerParty == .host }
            $0.close = CloseEvidence()
        },
    ])
    func theEarliestWeakStageIsTheLikelyCause(_ c: Chain) throws {
        var e = Fixture.evidence(through: c.stalledAt)
        c.make(&e)
        let limit = Fixture.stage(c.stalledAt).stallLimitDays
        let deal = Fixture.deal(at: c.stalledAt, evidence: e, status: .open, daysInStage: limit + 1)
        let d = Self.diagnose(deal)
        #expect(d.stall.stalled)
        #expect(d.likelyCause?.pitfall == c.expected, "\(d.explanation)")
        let order = d.findings.map { Pitfall.allCases.firstIndex(of: $0.pitfall)! }
        // In stage order, but a partial fit's finding goes after the others.
        let partial =
            deal.evidence.targetSelection.icpFit.host?.fit == .partial
            || deal.evidence.targetSelection.icpFit.partner?.fit == .partial
        let expected = partial && order.count > 1 ? Array(order.sorted().dropFirst()) + [0] : order.sorted()
        #expect(order == expected, "findings are in stage order")
        #expect(Set(order).count == order.count, "one finding per pitfall")
    }

    @Test(arguments: [Fit.partial, Fit.none])
    func aDealWeakEverywhereListsEveryPitfallInStageOrder(_ fit: Fit) {
        var e = Fixture.evidence(through: .closeRegisterReview)
        e.targetSelection.icpFit.partner?.fit = fit
        e.doorOpener.doorOpener = nil
        e.jointDiscovery.briefs.append(PitfallCase.secondBrief)
        e.jointPursuit.closePlans.append(PitfallCase.secondPlan)
        e.close.review = nil
        e.close.outcome?.recordedAt = Fixture.now.addingTimeInterval(-35 * 86_400)
        let deal = Fixture.deal(at: .closeRegisterReview, evidence: e, daysInStage: 40)
        let d = Self.diagnose(deal)
        if fit == .partial {
            // A partial fit is the weakest sign: it comes last, and the door-opener is the cause.
            #expect(d.findings.map(\.pitfall) == Array(Pitfall.allCases.dropFirst()) + [.pursuingTheWrongAccount])
            #expect(d.likelyCause?.pitfall == .noDoorOpener)
        } else {
            #expect(d.findings.map(\.pitfall) == Pitfall.allCases)
            #expect(d.findings.map(\.stageKey) == CriterionKind.allCases.map(\.rawValue))
            #expect(d.likelyCause?.pitfall == .pursuingTheWrongAccount)
        }
    }

    @Test("a close plan whose decision date passed with the deal still open points to competing close plans")
    func aPassedDecisionDate() throws {
        let e = Fixture.evidence(through: .jointPursuit)
        let limit = Fixture.stage(.jointPursuit).stallLimitDays
        let deal = Fixture.deal(at: .jointPursuit, evidence: e, status: .open, daysInStage: limit + 1)
        let decision = try #require(e.jointPursuit.closePlans.first?.decisionDate)
        // Before the date: nothing wrong with the plan. The day after: it passed without a decision.
        let before = DealDiagnostics.diagnose(deal, playbook: Fixture.playbook, now: decision.startOfDay)
        #expect(!before.findings.contains { $0.pitfall == .competingClosePlans })
        let after = DealDiagnostics.diagnose(
            deal, playbook: Fixture.playbook, now: decision.startOfDay.addingTimeInterval(86_400 + 3_600))
        #expect(after.likelyCause?.pitfall == .competingClosePlans, "\(after.explanation)")
        #expect(
            after.likelyCause?.evidence.contains(
                "The close plan's decision date, \(decision), passed without a decision.")
                == true)
        // The facts keep the date through their stored text.
        let facts = DealFacts(deal)
        let read = try #require(DealFacts(encoded: facts.encoded(), version: facts.version))
        #expect(read.activeClosePlans.first?.decisionDate == decision)
    }

    @Test func aHealthyFreshDealIsNotStalledAndHasNoLikelyCause() throws {
        let (deal, _) = try DealEngine.open(
            id: Fixture.id(200), partnership: Fixture.partnership, account: Fixture.account,
            title: "Fresh",
            hostOrganizationID: Fixture.hostOrg.id, reason: nil, amount: nil, expectedCloseDate: nil,
            actor: Fixture.actor(Fixture.hostManager), context: Fixture.context(now: Fixture.t0))
        for now in [Fixture.t0, Fixture.t0.addingTimeInterval(3_600), Fixture.day(2)] {
            let d = Self.diagnose(deal, now: now)
            #expect(!d.stall.stalled)
            #expect(d.stall.signals.isEmpty)
            #expect(!d.needsDiagnosis)
            #expect(d.likelyCause == nil)
            #expect(d.findings.isEmpty)
            #expect(d.explanation == "Not stalled.")
        }
    }

    /// Full evidence for every stage reached, stalled by time alone: no pitfall shows, so none is blamed.
    @Test(arguments: CriterionKind.allCases)
    func aStalledDealWithSoundEvidenceHasNoPitfall(_ kind: CriterionKind) {
        let deal = Fixture.deal(at: kind, daysInStage: Fixture.stage(kind).stallLimitDays + 1)
        let d = Self.diagnose(deal)
        #expect(d.stall.stalled)
        #expect(d.needsDiagnosis)
        #expect(d.findings.isEmpty)
        #expect(d.likelyCause == nil)
        #expect(d.explanation.hasPrefix("Stalled, but none of the five pitfalls shows in the evidence"))
    }

    // MARK: stall signals

    @Test(arguments: CriterionKind.allCases)
    func timeInStageCountsAgainstTheStagesLimit(_ kind: CriterionKind) throws {
        let limit = Fixture.stage(kind).stallLimitDays
        // At the limit, even a second short of the next whole day, the deal is not stalled.
        var atLimit = Fixture.deal(at: kind)
        atLimit.stageEnteredAt = Fixture.now.addingTimeInterval(-Double(limit) * 86_400 - 86_399)
        let fine = DealDiagnostics.stall(of: atLimit, playbook: Fixture.playbook, now: Fixture.now)
        #expect(fine.daysInStage == limit)
        #expect(!fine.stalled && fine.signals.isEmpty)

        let over = DealDiagnostics.stall(
            of: Fixture.deal(at: kind, daysInStage: limit + 1), playbook: Fixture.playbook,
            now: Fixture.now)
        #expect(over.stalled)
        let signal = try #require(over.signals.first)
        #expect(over.signals.count == 1)
        #expect(signal.kind == .overStageLimit)
        #expect(signal.value == limit + 1 && signal.limit == limit)
        #expect(
            signal.explanation
                == "\(limit + 1) days in \(Fixture.stage(kind).name), past its limit of \(limit) days.")
    }

    @Test func inactivityCountsAgainstThePlaybooksLimit() throws {
        let quiet = Fixture.deal(at: .jointDiscovery, daysInStage: 20, daysSinceActivity: 14)
        #expect(!DealDiagnostics.stall(of: quiet, playbook: Fixture.playbook, now: Fixture.now).stalled)
        let idle = Fixture.deal(at: .jointDiscovery, daysInStage: 20, daysSinceActivity: 15)
        let report = DealDiagnostics.stall(of: idle, playbook: Fixture.playbook, now: Fixture.now)
        #expect(report.stalled)
        #expect(report.daysSinceActivity == 15 && report.daysInStage == 20)
        #expect(report.signals.map(\.kind) == [.inactive])
        #expect(
            report.signals[0].value == 15
                && report.signals[0].limit == Fixture.playbook.inactivityLimitDays)
        #expect(report.signals[0].explanation == "No activity for 15 days (limit 14).")
    }

    @Test func overdueMovesAreThoseNotDonePastTheirDueDay() throws {
        let today = LocalDate(Fixture.now)
        let yesterday = LocalDate(Fixture.now.addingTimeInterval(-86_400))
        func move(_ n: Int, due: LocalDate?, done: Bool = false) -> DealMove {
            DealMove(
                id: Fixture.id(n), stageKey: "joint_discovery", templateKey: nil, description: "Move \(n)",
                side: .both,
                dueOn: due, doneAt: done ? Fixture.day(55) : nil)
        }
        let moves = [
            move(301, due: yesterday), move(302, due: yesterday, done: true), move(303, due: today),
            move(304, due: nil), move(305, due: Fixture.date("2026-01-20")),
        ]
        let deal = Fixture.deal(at: .jointDiscovery, moves: moves)
        let report = DealDiagnostics.stall(of: deal, playbook: Fixture.playbook, now: Fixture.now)
        #expect(report.stalled)
        #expect(report.signals.map(\.kind) == [.overdueMoves])
        #expect(report.signals[0].value == 2)
        #expect(report.signals[0].moveIDs == [Fixture.id(301), Fixture.id(305)])
        #expect(report.signals[0].explanation == "2 moves are overdue.")

        let single = DealDiagnostics.stall(
            of: Fixture.deal(at: .jointDiscovery, moves: [moves[0], moves[2]]),
            playbook: Fixture.playbook, now: Fixture.now)
        #expect(single.signals.map(\.explanation) == ["1 move is overdue."])
        let none = DealDiagnostics.stall(
            of: Fixture.deal(at: .jointDiscovery, moves: [moves[1], moves[2], moves[3]]),
            playbook: Fixture.playbook,
            now: Fixture.now)
        #expect(!none.stalled)
    }

    @Test func everySignalIsReportedTogether() {
        let deal = Fixture.deal(
            at: .doorOpener, daysInStage: 30, daysSinceActivity: 20,
            moves: [
                DealMove(
                    id: Fixture.id(301), stageKey: "door_opener", templateKey: nil, description: "Intro",
                    side: .doorOpener, dueOn: Fixture.date("2026-02-01"))
            ])
        let report = DealDiagnostics.stall(of: deal, playbook: Fixture.playbook, now: Fixture.now)
        #expect(report.signals.map(\.kind) == [.overStageLimit, .inactive, .overdueMoves])
    }

    @Test(arguments: [DealStatus.abandoned, .ended])
    func aDealOutOfPlayIsNeverStalled(_ status: DealStatus) {
        var deal = Fixture.deal(
            at: .doorOpener, evidence: DealEvidence(), status: status, daysInStage: 100,
            daysSinceActivity: 100)
        deal.moves = [
            DealMove(
                id: Fixture.id(301), stageKey: "door_opener", templateKey: nil, description: "Intro",
                side: .both, dueOn: Fixture.date("2026-01-10"))
        ]
        let d = Self.diagnose(deal)
        #expect(!d.stall.stalled && d.stall.signals.isEmpty)
        #expect(d.stall.daysInStage == 100)
        #expect(d.likelyCause == nil)
    }

    @Test func aCompletedDealIsNeverStalledAndNeedsNoReview() throws {
        var e = Fixture.evidence(through: .closeRegisterReview)
        e.close.outcome?.recordedAt = Fixture.now.addingTimeInterval(-40 * 86_400)
        var deal = Fixture.deal(at: .closeRegisterReview, evidence: e, daysInStage: 45)
        deal.completedAt = Fixture.day(55)
        let d = Self.diagnose(deal)
        #expect(!d.stall.stalled)
        #expect(d.findings.isEmpty)
        #expect(d.likelyCause == nil)
    }

    @Test func aReviewWithinTheLimitIsNotYetMissing() {
        var e = Fixture.evidence(through: .closeRegisterReview)
        e.close.review = nil
        e.close.outcome?.recordedAt = Fixture.now.addingTimeInterval(-30 * 86_400)
        let d = Self.diagnose(Fixture.deal(at: .closeRegisterReview, evidence: e, daysInStage: 31))
        #expect(d.stall.stalled)
        #expect(!d.findings.contains { $0.pitfall == .noReview })
    }

    @Test func theDiagnosisIsAPureFunctionOfItsInputs() throws {
        // Same deal, same time: the same report, and it survives a JSON round trip unchanged.
        let deal = PitfallCase.all[0].make()
        let d = Self.diagnose(deal)
        #expect(Self.diagnose(deal) == d)
        let data = try JSONEncoder().encode(d)
        #expect(try JSONDecoder().decode(Diagnosis.self, from: data) == d)
    }
}
