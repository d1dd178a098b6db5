import Foundation

/// One part of a stage's exit criterion, checked on its own.
public struct GatePart: Codable, Sendable, Equatable {
    public var key: String
    public var description: String
    public var met: Bool
    /// When unmet: what is missing, in plain words.
    public var missing: String?

    public init(key: String, description: String, met: Bool, missing: String?) {
        self.key = key
        self.description = description
        self.met = met
        self.missing = missing
    }
}

/// The state of a stage's gate: every part of its exit criterion, met or not.
public struct GateReport: Codable, Sendable, Equatable {
    public var stageKey: String
    public var stageName: String
    public var criterion: String
    public var parts: [GatePart]

    public var isOpen: Bool { parts.allSatisfy(\.met) }
    public var unmet: [GatePart] { parts.filter { !$0.met } }
    public var metCount: Int { parts.filter(\.met).count }
}

/// Checks exit criteria against a deal's typed evidence. Pure: the same deal gives the same report.
///
/// Given the two companies' names (`names`), every sentence names the company instead of the side
/// ("Halyard Security has not recorded its ideal-customer-profile fit."); a side without a name, or no
/// names at all, keeps the side's words. Part keys never change.
public enum Gate {
    public static func evaluate(
        _ deal: Deal, stage: Stage, in playbook: Playbook, names: SidePair<String>? = nil
    ) -> GateReport {
        let w = Words(names: names)
        let parts: [GatePart]
        switch stage.exitCriterion.kind {
        case .targetAccountSelection: parts = targetSelection(deal, w, strong: stage.exitCriterion.needsStrongFit)
        case .doorOpener: parts = doorOpener(deal, w)
        case .jointDiscovery: parts = jointDiscovery(deal, w)
        case .jointPursuit: parts = jointPursuit(deal, w)
        case .closeRegisterReview: parts = closeRegisterReview(deal, playbook: playbook, w)
        }
        return GateReport(
            stageKey: stage.key, stageName: stage.name, criterion: stage.exitCriterion.wording, parts: parts)
    }

    /// The report for the deal's current stage.
    public static func evaluateCurrent(
        _ deal: Deal, in playbook: Playbook, names: SidePair<String>? = nil
    ) -> GateReport {
        evaluate(deal, stage: playbook.stages[deal.stageIndex], in: playbook, names: names)
    }

    static func part(_ key: String, _ description: String, _ missing: String?) -> GatePart {
        GatePart(key: key, description: description, met: missing == nil, missing: missing)
    }

    /// The company names a report's sentences use, when known.
    struct Words {
        var names: SidePair<String>?

        /// The company's name, when known and not blank.
        func name(_ side: Side) -> String? {
            guard let n = names?[side]?.trimmingCharacters(in: .whitespacesAndNewlines), !n.isEmpty else {
                return nil
            }
            return n
        }

        /// Both names, when both are known.
        var both: (host: String, partner: String)? {
            guard let h = name(.host), let p = name(.partner) else { return nil }
            return (h, p)
        }

        /// A party in a list of who is missing: the company's name, "the customer", else the raw value.
        func party(_ party: Party) -> String {
            switch party {
            case .host: return name(.host) ?? party.rawValue
            case .partner: return name(.partner) ?? party.rawValue
            case .customer: return name(.host) == nil && name(.partner) == nil ? party.rawValue : "the customer"
            }
        }
    }

    static func targetSelection(_ deal: Deal, _ w: Words, strong: Bool = false) -> [GatePart] {
        let e = deal.evidence.targetSelection
        var parts = [
            part(
                "account_on_overlap", "The account is on the partnership's overlap or was added with a reason",
                deal.accountOnOverlap || !(deal.accountReason ?? "").isEmpty
                    ? nil : "The account is not on the partnership's overlap and no reason was given for adding it.")
        ]
        for side in Side.allCases {
            let company = w.name(side)
            let missing: String?
            switch e.icpFit[side]?.fit {
            case nil:
                missing =
                    company.map { "\($0) has not recorded its ideal-customer-profile fit." }
                    ?? "The \(side.rawValue) side has not recorded its ideal-customer-profile fit."
            case .some(.none):
                missing =
                    company.map { "\($0) recorded that the account does not fit its ideal customer profile." }
                    ?? "The \(side.rawValue) side recorded that the account does not fit its ideal customer profile."
            case .some(.partial) where strong:
                missing =
                    company.map {
                        "\($0) recorded only a partial ideal-customer-profile fit; this playbook needs a strong fit from both companies."
                    }
                    ?? "The \(side.rawValue) side recorded only a partial ideal-customer-profile fit; this playbook needs a strong fit from both companies."
            default: missing = nil
            }
            parts.append(
                part(
                    "\(side.rawValue)_icp_fit", "\(company ?? side.title) recorded its ideal-customer-profile fit",
                    missing))
        }
        for side in Side.allCases {
            let company = w.name(side)
            parts.append(
                part(
                    "\(side.rawValue)_commitment",
                    "A named person of \(company ?? "the \(side.rawValue)") committed to working the account",
                    e.commitments[side] != nil
                        ? nil
                        : company.map { "Nobody at \($0) has committed to working the account." }
                            ?? "Nobody on the \(side.rawValue) side has committed to working the account."))
        }
        return parts
    }

    static func doorOpener(_ deal: Deal, _ w: Words) -> [GatePart] {
        let e = deal.evidence.doorOpener
        let which = w.both.map { "which company (\($0.host) or \($0.partner))" } ?? "which side"
        var parts = [
            part(
                "door_opener_named",
                w.both == nil
                    ? "The door-opener side, its move and its owner are named"
                    : "The door-opener company, its move and its owner are named",
                e.doorOpener == nil
                    ? "No door-opener is named: say \(which) makes the introduction, how (warm introduction, referral into an existing customer, co-branded outreach) and who owns it."
                    : nil)
        ]
        let attendeesFrom =
            w.both.map { "\($0.host), \($0.partner) and the customer" } ?? "the host, the partner and the customer"
        guard let meeting = e.firstMeeting else {
            parts.append(
                part(
                    "first_meeting_booked", "A first joint conversation is booked",
                    "No first joint conversation is booked."))
            parts.append(
                part(
                    "meeting_attendees", "The meeting has attendees from both companies and the customer",
                    "The meeting needs attendees from \(attendeesFrom)."))
            return parts
        }
        parts.append(part("first_meeting_booked", "A first joint conversation is booked", nil))
        let parties = Set(meeting.attendees.map(\.party))
        let absent = Party.allCases.filter { !parties.contains($0) }.map(w.party)
        parts.append(
            part(
                "meeting_attendees", "The meeting has attendees from both companies and the customer",
                absent.isEmpty
                    ? nil : "The first joint conversation has no attendee from: \(absent.joined(separator: ", "))."))
        return parts
    }

    static func jointDiscovery(_ deal: Deal, _ w: Words) -> [GatePart] {
        let briefs = deal.evidence.jointDiscovery.activeBriefs
        let single: String?
        switch briefs.count {
        case 0: single = "There is no shared account brief."
        case 1: single = nil
        default:
            single =
                "There are \(briefs.count) account briefs: joint discovery produces one. Merge them and withdraw the others."
        }
        var parts = [part("one_brief", "One shared account brief", single)]
        let brief = briefs.count == 1 ? briefs[0] : nil
        var gaps: [String] = []
        if let b = brief {
            if b.customerNeed.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                gaps.append("the customer's need")
            }
            if b.buyingProcess.steps.isEmpty { gaps.append("the buying process steps") }
            if b.buyingProcess.decisionMakers.isEmpty { gaps.append("the decision makers") }
            if b.buyingProcess.timeline.trimmingCharacters(in: .whitespaces).isEmpty { gaps.append("the timeline") }
            if b.stakeholders.isEmpty { gaps.append("the stakeholders") }
        }
        parts.append(
            part(
                "brief_complete",
                "The brief holds the need, the buying process (steps, decision makers, timeline) and the stakeholders",
                brief == nil
                    ? "No single brief to check."
                    : gaps.isEmpty ? nil : "The brief is missing \(gaps.joined(separator: ", "))."))
        for side in Side.allCases {
            let company = w.name(side)
            parts.append(
                part(
                    "\(side.rawValue)_approval", "A person of \(company ?? "the \(side.rawValue)") approved the brief",
                    brief?.approvals[side] != nil
                        ? nil
                        : company.map { "Nobody at \($0) has approved the brief." }
                            ?? "Nobody on the \(side.rawValue) side has approved the brief.")
            )
        }
        return parts
    }

    static func jointPursuit(_ deal: Deal, _ w: Words) -> [GatePart] {
        let e = deal.evidence.jointPursuit
        var parts = [
            part(
                "proof_delivered", "A proposal, proof of concept or pilot",
                e.proof == nil ? "No proposal, proof of concept or pilot is recorded." : nil)
        ]
        let plans = e.activeClosePlans
        let single: String?
        switch plans.count {
        case 0: single = "There is no close plan."
        case 1: single = nil
        default:
            single = "There are \(plans.count) close plans: the customer needs one. Merge them and withdraw the others."
        }
        parts.append(part("one_close_plan", "One shared close plan", single))
        let plan = plans.count == 1 ? plans[0] : nil
        let missingOwners = plan.map { p in Party.allCases.filter { !p.ownerParties.contains($0) }.map(w.party) }
        let ownersFrom =
            w.both.map { "\($0.host), \($0.partner) and the customer" } ?? "the host, the partner and the customer"
        parts.append(
            part(
                "milestone_owners", "The plan's milestones have owners from \(ownersFrom)",
                plan == nil
                    ? "No single close plan to check."
                    : missingOwners!.isEmpty
                        ? nil : "No milestone is owned by: \(missingOwners!.joined(separator: ", "))."))
        parts.append(
            part(
                "customer_confirmation", "The customer confirmed the path to a decision (who, when, how)",
                e.customerConfirmation == nil
                    ? "The customer's confirmation of the path to a decision is not recorded." : nil))
        return parts
    }

    static func closeRegisterReview(_ deal: Deal, playbook: Playbook, _ w: Words = Words()) -> [GatePart] {
        let e = deal.evidence.close
        let lost = e.outcome?.result == .lost
        let reg = e.registration
        func company(_ side: Side?) -> String {
            side.map { w.name($0) ?? "the \($0.rawValue) side" } ?? "the other company"
        }
        // One part: registered by one company and accepted by the other, and still holding on the close date.
        var missing: String? = nil
        if !lost {
            switch reg {
            case nil:
                missing = "The joint opportunity is not registered."
            case let r? where r.status == .rejected:
                let why = r.rejectionReason.map { ": \($0)" } ?? "."
                missing =
                    "Registration \(r.registrationID) was rejected by \(company(r.decidingSide))\(why) \(company(r.submittedBy)) amends and resubmits it."
            case let r? where r.status == .pending:
                missing = "Registration \(r.registrationID) waits for \(company(r.decidingSide))'s acceptance."
            case let r?:
                if let expires = r.expiresOn, let won = e.outcome?.wonOn, won > expires {
                    missing =
                        "Registration \(r.registrationID) lapsed on \(expires), before the close date \(won): \(company(r.decidingSide)) renews it."
                }
            }
        }
        var parts = [
            part(
                "outcome", "The outcome is logged (won or lost, final amount, close date)",
                e.outcome == nil ? "The outcome is not logged." : nil),
            part(
                "registration",
                "The joint opportunity is registered, partner-sourced or partner-influenced, and the other company accepted it",
                missing),
        ]
        let stageKeys = Set(playbook.stages.map(\.key))
        let lessons = e.review?.lessons.filter { stageKeys.contains($0.stageKey) } ?? []
        parts.append(
            part(
                "review_lesson", "A review captured at least one lesson tied to a stage",
                e.review == nil
                    ? "No review is recorded." : lessons.isEmpty ? "The review has no lesson tied to a stage." : nil))
        return parts
    }
}
