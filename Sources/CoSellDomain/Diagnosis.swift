import Foundation

/// Why a deal counts as stalled.
public struct StallSignal: Codable, Sendable, Equatable {
    public enum Kind: String, Codable, Sendable {
        /// Longer in the current stage than the stage's limit.
        case overStageLimit = "over_stage_limit"
        /// No activity on the deal for longer than the playbook's inactivity limit.
        case inactive
        /// Moves of the stage the deal is working through, past their due date and not done.
        case overdueMoves = "overdue_moves"
    }

    public var kind: Kind
    /// Days in the stage, days without activity, or the number of overdue moves.
    public var value: Int
    /// The limit the value is measured against (0 for overdue moves).
    public var limit: Int
    public var moveIDs: [UUID]
    public var explanation: String

    public static func overStageLimit(stage: String, daysInStage: Int, limitDays: Int) -> StallSignal {
        StallSignal(
            kind: .overStageLimit, value: daysInStage, limit: limitDays, moveIDs: [],
            explanation: "\(daysInStage) days in \(stage), past its limit of \(limitDays) days.")
    }

    public static func inactive(daysSinceActivity: Int, limitDays: Int) -> StallSignal {
        StallSignal(
            kind: .inactive, value: daysSinceActivity, limit: limitDays, moveIDs: [],
            explanation: "No activity for \(daysSinceActivity) days (limit \(limitDays)).")
    }

    public static func overdueMoves(count: Int, moveIDs: [UUID]) -> StallSignal {
        StallSignal(
            kind: .overdueMoves, value: count, limit: 0, moveIDs: moveIDs,
            explanation: "\(count) move\(count == 1 ? " is" : "s are") overdue.")
    }
}

public struct StallReport: Codable, Sendable, Equatable {
    public var stalled: Bool
    public var daysInStage: Int
    public var daysSinceActivity: Int
    public var signals: [StallSignal]
}

/// The specification's five ways a co-sell deal fails, each a stage skipped or run weakly.
public enum Pitfall: String, Codable, Sendable, CaseIterable {
    case pursuingTheWrongAccount = "pursuing_the_wrong_account"
    case noDoorOpener = "no_door_opener"
    case twoDiscoveriesNotOne = "two_discoveries_not_one"
    case competingClosePlans = "competing_close_plans"
    case noReview = "no_review"

    public var title: String {
        switch self {
        case .pursuingTheWrongAccount: return "Pursuing the wrong account"
        case .noDoorOpener: return "No door-opener"
        case .twoDiscoveriesNotOne: return "Two discoveries, not one"
        case .competingClosePlans: return "Competing close plans"
        case .noReview: return "No review"
        }
    }

    /// The stage whose weakness the pitfall is.
    public var criterion: CriterionKind {
        switch self {
        case .pursuingTheWrongAccount: return .targetAccountSelection
        case .noDoorOpener: return .doorOpener
        case .twoDiscoveriesNotOne: return .jointDiscovery
        case .competingClosePlans: return .jointPursuit
        case .noReview: return .closeRegisterReview
        }
    }
}

public struct PitfallFinding: Codable, Sendable, Equatable {
    public var pitfall: Pitfall
    public var stageKey: String
    /// The facts on the deal that point to the pitfall.
    public var evidence: [String]
}

/// Which stage failed and why, for a stalled or lost deal.
public struct Diagnosis: Codable, Sendable, Equatable {
    public var stall: StallReport
    /// True when the deal is stalled or lost: only then is a likely cause named.
    public var needsDiagnosis: Bool
    /// The earliest weak stage: a skipped or weak stage shows up as a stall in the next one.
    public var likelyCause: PitfallFinding?
    /// Every weakness found, in stage order.
    public var findings: [PitfallFinding]
    public var explanation: String
}

public enum DealDiagnostics {
    public static func stall(of deal: Deal, playbook: Playbook, now: Date) -> StallReport {
        stall(of: DealFacts(deal), playbook: playbook, now: now)
    }

    public static func diagnose(_ deal: Deal, playbook: Playbook, now: Date) -> Diagnosis {
        diagnose(DealFacts(deal), playbook: playbook, now: now)
    }

    /// The stall signals of a deal as of `now`: over the stage's limit, inactive, overdue moves.
    public static func stall(of deal: DealFacts, playbook: Playbook, now: Date) -> StallReport {
        let daysInStage = max(0, wholeDays(from: deal.stageEnteredAt, to: now))
        let idle = max(0, wholeDays(from: deal.lastActivityAt, to: now))
        guard deal.isInPlay else {
            return StallReport(stalled: false, daysInStage: daysInStage, daysSinceActivity: idle, signals: [])
        }
        let stage = playbook.stages[deal.stageIndex]
        var signals: [StallSignal] = []
        if daysInStage > stage.stallLimitDays {
            signals.append(
                .overStageLimit(stage: stage.name, daysInStage: daysInStage, limitDays: stage.stallLimitDays))
        }
        if idle > playbook.inactivityLimitDays {
            signals.append(.inactive(daysSinceActivity: idle, limitDays: playbook.inactivityLimitDays))
        }
        let today = LocalDate(now)
        // Only the moves of the stage the deal is working through: one left undone in an earlier stage is not a stall.
        let overdue = deal.openMoves(in: playbook).filter { $0.isOverdue(today: today) }
        if !overdue.isEmpty { signals.append(.overdueMoves(count: overdue.count, moveIDs: overdue.map(\.id))) }
        return StallReport(
            stalled: !signals.isEmpty, daysInStage: daysInStage, daysSinceActivity: idle, signals: signals)
    }

    /// Whether `stall(of:playbook:now:)` finds the deal stalled, without building its signals: for
    /// lists that test every deal in play and describe only the stalled ones. `today` is `LocalDate(now)`.
    public static func isStalled(_ deal: DealFacts, playbook: Playbook, now: Date, today: LocalDate) -> Bool {
        guard deal.isInPlay else { return false }
        if max(0, wholeDays(from: deal.stageEnteredAt, to: now)) > playbook.stages[deal.stageIndex].stallLimitDays {
            return true
        }
        if max(0, wholeDays(from: deal.lastActivityAt, to: now)) > playbook.inactivityLimitDays { return true }
        return deal.openMoves(in: playbook).contains { $0.isOverdue(today: today) }
    }

    /// Looks at every stage the deal has reached and names the weak ones; the earliest is the likely cause.
    public static func diagnose(_ deal: DealFacts, playbook: Playbook, now: Date) -> Diagnosis {
        let stall = stall(of: deal, playbook: playbook, now: now)
        var findings: [PitfallFinding] = []
        let reached = deal.stageIndex
        func key(_ kind: CriterionKind) -> String {
            playbook.stages.first { $0.exitCriterion.kind == kind }?.key ?? kind.rawValue
        }
        func index(_ kind: CriterionKind) -> Int {
            playbook.stages.firstIndex { $0.exitCriterion.kind == kind } ?? 0
        }
        func skipped(_ kind: CriterionKind) -> Bool {
            deal.passages.contains { $0.stageKey == key(kind) && $0.exit == .skipped }
        }
        let idx = { (k: CriterionKind) in index(k) }

        // 1. Pursuing the wrong account: one side's fit weak or missing.
        var wrong: [String] = []
        for side in Side.allCases {
            switch side == .host ? deal.hostFit : deal.partnerFit {
            case nil: wrong.append("The \(side.rawValue) side never recorded its ideal-customer-profile fit.")
            case .some(.none):
                wrong.append("The account does not fit the \(side.rawValue) side's ideal customer profile.")
            case .some(.partial):
                wrong.append("The account fits the \(side.rawValue) side's ideal customer profile only partly.")
            case .some(.strong): break
            }
        }
        if !deal.accountOnOverlap { wrong.append("The account is not on the partnership's overlap.") }
        if skipped(.targetAccountSelection) { wrong.append("Target account selection was skipped by an override.") }
        let fitsWeak = deal.hostFit != .strong || deal.partnerFit != .strong
        if fitsWeak && !wrong.isEmpty
            && (reached > idx(.targetAccountSelection) || stall.stalled || deal.status == .lost)
        {
            findings.append(
                PitfallFinding(
                    pitfall: .pursuingTheWrongAccount, stageKey: key(.targetAccountSelection), evidence: wrong))
        }

        // 2. No door-opener: none named, or no meeting booked after the stage limit.
        if reached >= idx(.doorOpener) {
            var e: [String] = []
            if deal.doorOpenerSide == nil { e.append("No door-opener was named.") }
            let atStage = reached == idx(.doorOpener) && deal.isInPlay
            let limit = playbook.stages[idx(.doorOpener)].stallLimitDays
            if !deal.firstMeetingBooked
                && (reached > idx(.doorOpener) || (atStage && stall.daysInStage > limit) || deal.status == .lost)
            {
                e.append(
                    atStage
                        ? "No first joint conversation booked after \(stall.daysInStage) days (limit \(limit))."
                        : "No first joint conversation was ever booked.")
            }
            if skipped(.doorOpener) { e.append("The door-opener stage was skipped by an override.") }
            if !e.isEmpty && (deal.doorOpenerSide == nil || !deal.firstMeetingBooked) {
                findings.append(PitfallFinding(pitfall: .noDoorOpener, stageKey: key(.doorOpener), evidence: e))
            }
        }

        // 3. Two discoveries, not one: more than one brief, or a brief approved by one side only.
        if reached >= idx(.jointDiscovery) {
            var e: [String] = []
            let briefs = deal.activeBriefs
            if briefs.count > 1 {
                let sides = briefs.map(\.writtenBy.rawValue).joined(separator: " and ")
                e.append(
                    "There are \(briefs.count) account briefs (written by the \(sides) side): separate discoveries.")
            }
            for b in briefs {
                let approved = b.parties
                if approved.count == 1 {
                    e.append("A brief is approved by the \(approved[0].rawValue) side only.")
                }
            }
            if reached > idx(.jointDiscovery) && briefs.isEmpty {
                e.append("The deal left joint discovery without a shared brief.")
            }
            if !e.isEmpty {
                findings.append(
                    PitfallFinding(pitfall: .twoDiscoveriesNotOne, stageKey: key(.jointDiscovery), evidence: e))
            }
        }

        // 4. Competing close plans: more than one, one-sided milestones, or no customer confirmation.
        if reached >= idx(.jointPursuit) {
            var e: [String] = []
            let plans = deal.activeClosePlans
            if plans.count > 1 {
                let sides = plans.map(\.writtenBy.rawValue).joined(separator: " and ")
                e.append("There are \(plans.count) close plans (written by the \(sides) side).")
            }
            for p in plans {
                let companies = p.parties.filter { $0 != .customer }
                if companies.count == 1 {
                    e.append("The close plan's milestones are owned by the \(companies[0].rawValue) side only.")
                }
            }
            // A decision that slipped: the plan now aims later than it first did.
            for p in plans {
                if let first = p.firstDecisionDate, let now = p.decisionDate, now > first {
                    e.append("The close plan's decision date slipped from \(first) to \(now).")
                }
            }
            // A decision date that passed with the deal still open: the plan was not the customer's.
            let today = LocalDate(now)
            if deal.status == .open, deal.outcome == nil,
                let passed = plans.compactMap(\.decisionDate).filter({ $0 < today }).max()
            {
                e.append("The close plan's decision date, \(passed), passed without a decision.")
            }
            let atStage = reached == idx(.jointPursuit)
            if !deal.customerConfirmed && !plans.isEmpty
                && (!atStage || stall.stalled || deal.status == .lost)
            {
                e.append("The customer has not confirmed the path to a decision.")
            }
            if !e.isEmpty {
                findings.append(
                    PitfallFinding(pitfall: .competingClosePlans, stageKey: key(.jointPursuit), evidence: e))
            }
        }

        // 5. No review: closed without a lesson after the limit.
        if let outcome = deal.outcome, deal.completedAt == nil {
            let lessons = deal.reviewLessons ?? 0
            let limit = playbook.stages[idx(.closeRegisterReview)].stallLimitDays
            let since = wholeDays(from: outcome.recordedAt, to: now)
            if lessons == 0 && since > limit {
                findings.append(
                    PitfallFinding(
                        pitfall: .noReview, stageKey: key(.closeRegisterReview),
                        evidence: ["The deal closed \(since) days ago (limit \(limit)) and no lesson was captured."]))
            }
        }

        // A fit that is only partial (recorded by both, on the overlap, not skipped) is a weak sign:
        // when a later stage's own evidence shows its own pitfall, that one comes first.
        let partialOnly =
            deal.hostFit != nil && deal.partnerFit != nil && deal.hostFit != .some(.none)
            && deal.partnerFit != .some(.none) && deal.accountOnOverlap && !skipped(.targetAccountSelection)
        if partialOnly, findings.count > 1, findings.first?.pitfall == .pursuingTheWrongAccount {
            findings.append(findings.removeFirst())
        }

        // A lost deal starts from the category its loss was logged with: a category that is one of
        // the pitfalls is the likely cause (its evidence first); another (a competitor, no budget) is
        // said in the explanation when the evidence shows no pitfall.
        let lossCategory = deal.status == .lost ? deal.outcome?.lossCategory : nil
        if let category = lossCategory, let pitfall = category.pitfall {
            let said = "The deal was lost: \(category.title)."
            if let i = findings.firstIndex(where: { $0.pitfall == pitfall }) {
                var f = findings.remove(at: i)
                f.evidence.insert(said, at: 0)
                findings.insert(f, at: 0)
            } else {
                findings.insert(
                    PitfallFinding(pitfall: pitfall, stageKey: key(pitfall.criterion), evidence: [said]), at: 0)
            }
        }

        let needs = stall.stalled || deal.status == .lost
        let cause = needs ? findings.first : nil
        let explanation: String
        if let cause {
            let stageName = playbook.stages.first { $0.key == cause.stageKey }?.name ?? cause.stageKey
            explanation =
                "\(cause.pitfall.title): \(stageName) was weak. " + cause.evidence.joined(separator: " ")
        } else if stall.stalled {
            explanation =
                "Stalled, but none of the five pitfalls shows in the evidence: "
                + stall.signals.map(\.explanation).joined(separator: " ")
        } else if needs {
            explanation =
                lossCategory.map { "Lost (\($0.title)), and none of the five pitfalls shows in the evidence." }
                ?? "Lost, and none of the five pitfalls shows in the evidence."
        } else {
            explanation = "Not stalled."
        }
        return Diagnosis(
            stall: stall, needsDiagnosis: needs, likelyCause: cause, findings: findings, explanation: explanation)
    }
}
