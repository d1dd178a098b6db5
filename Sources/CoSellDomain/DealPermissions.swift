import Foundation

/// Who may give each deal command: by the company (the deal's host, its partner, or for a
/// registration's decision the company that did not submit it) and the role. One table, enforced by
/// the engine before any command's own checks, listed in `docs/security.md` and tested case by case
/// from `DealPermissions.rules`. Sellers act only on the deals they are on (the visibility rule of
/// the workflows); viewers never write.
public enum DealPermissions {
    /// A command family: what it is called in the docs and which roles of each company may give it.
    public struct Rule: Sendable, Equatable {
        public var name: String
        public var host: Set<Role>
        public var partner: Set<Role>
        /// True when the rule's companies are relative to the registration (decided by the company
        /// that did not submit it): `host` then reads "the deciding company", `partner` "the submitter".
        public var byRegistration = false

        public func allows(_ role: Role, of side: Side) -> Bool {
            (side == .host ? host : partner).contains(role)
        }
    }

    static let writers: Set<Role> = [.admin, .partnerManager, .seller]
    static let managers: Set<Role> = [.admin, .partnerManager]

    /// Every rule, in the order of the docs' table.
    public static let rules: [String: Rule] = Dictionary(
        uniqueKeysWithValues: [
            Rule(name: "details", host: writers, partner: []),
            Rule(name: "outcome", host: writers, partner: []),
            Rule(name: "amend_outcome", host: managers, partner: managers),
            Rule(name: "abandon", host: managers, partner: managers),
            Rule(name: "reopen", host: managers, partner: []),
            Rule(name: "move_back", host: managers, partner: managers),
            Rule(name: "advance", host: writers, partner: writers),
            Rule(name: "own_evidence", host: writers, partner: writers),
            Rule(name: "shared_evidence", host: writers, partner: writers),
            Rule(name: "moves", host: writers, partner: writers),
            Rule(name: "register", host: writers, partner: writers),
            Rule(name: "decide_registration", host: managers, partner: [], byRegistration: true),
            Rule(name: "amend_registration", host: managers, partner: managers),
        ].map { ($0.name, $0) })

    /// The rule family of a command.
    public static func ruleName(of command: DealCommand) -> String {
        switch command {
        case .updateDetails: return "details"
        case .recordOutcome: return "outcome"
        case .amendOutcome: return "amend_outcome"
        case .abandon: return "abandon"
        case .reopen: return "reopen"
        case .moveBack: return "move_back"
        case .advance: return "advance"
        case .recordIcpFit, .commit, .approveBrief: return "own_evidence"
        case .nameDoorOpener, .bookFirstMeeting, .writeBrief, .withdrawBrief, .recordProof, .writeClosePlan,
            .withdrawClosePlan, .recordCustomerConfirmation, .recordReview:
            return "shared_evidence"
        case .addMove, .updateMove: return "moves"
        case .register: return "register"
        case .acceptRegistration, .rejectRegistration, .renewRegistration: return "decide_registration"
        case .proposeRegistrationAmendment, .decideRegistrationAmendment: return "amend_registration"
        case .endByPartnership: return "system"
        }
    }

    /// Refuses a command the actor's company and role may not give (403, naming who may).
    static func check(
        _ command: DealCommand, deal: Deal, side: Side, role: Role, context: DealContext
    ) throws(DealError) {
        let name = ruleName(of: command)
        guard let rule = rules[name] else { return }
        var relative = side
        if rule.byRegistration {
            // Decided by the company that did not submit it; no registration (or an old one) is the
            // workflow's own refusal, with its own words.
            guard let deciding = deal.evidence.close.registration?.decidingSide else { return }
            relative = side == deciding ? .host : .partner
        }
        if rule.allows(role, of: relative) { return }
        throw .forbidden(refusal(command, rule: rule, deal: deal, context: context))
    }

    static func refusal(_ command: DealCommand, rule: Rule, deal: Deal, context: DealContext) -> String {
        func who(_ roles: Set<Role>, _ company: String) -> String? {
            if roles.isEmpty { return nil }
            if roles == managers { return "admins and partner managers of \(company)" }
            return "people of \(company) who can write"
        }
        let companies: (String, String)
        if rule.byRegistration, let deciding = deal.evidence.close.registration?.decidingSide {
            companies = (context.company(deciding), context.company(deciding.other))
        } else {
            companies = (context.company(.host), context.company(.partner))
        }
        let allowed = [who(rule.host, companies.0), who(rule.partner, companies.1)].compactMap { $0 }
        return "\(what(command)) is for \(allowed.joined(separator: " and "))."
    }

    static func what(_ command: DealCommand) -> String {
        switch command {
        case .updateDetails: return "Changing the deal's title, amount or expected close"
        case .recordOutcome: return "Logging the outcome"
        case .amendOutcome: return "Amending the outcome"
        case .abandon: return "Abandoning the deal"
        case .reopen: return "Reopening the deal"
        case .moveBack: return "Moving the deal back"
        case .acceptRegistration, .rejectRegistration, .renewRegistration: return "Deciding on the registration"
        case .proposeRegistrationAmendment, .decideRegistrationAmendment: return "Amending the registration's tag"
        default: return "This change"
        }
    }
}
