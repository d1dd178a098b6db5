import Foundation

/// The registration workflow: one company submits, the other accepts or rejects with a reason; the
/// submitter may amend and resubmit until it is accepted; an accepted registration protects the
/// deal for the partnership's period and can be renewed by the company that accepted it.
extension DealEngine {
    static let maxOpportunityID = 100

    static func submitRegistration(
        _ registrationID: String, attribution: Attribution, sourcedBy: Side, opportunityID: String?, to d: inout Deal,
        by actor: Actor, context: DealContext, change: inout DealChangeLog
    ) throws(DealError) {
        try requireInPlay(d)
        guard let side = d.side(of: actor.organizationID) else {
            throw .forbidden("Only people of the deal's two companies can register it.")
        }
        let rid = registrationID.trimmingCharacters(in: .whitespaces)
        try checkText(rid, field: "registration_id", max: 100)
        let opportunity = opportunityID?.trimmingCharacters(in: .whitespaces)
        if let opportunity, !opportunity.isEmpty {
            try checkText(opportunity, field: "crm_opportunity_id", max: maxOpportunityID)
        }
        if attribution == .partnerSourced && sourcedBy != .partner {
            throw .invalid(
                field: "sourced_by",
                context.companyName(.partner).map { "A partner-sourced deal is sourced by the partner, \($0)." }
                    ?? "A partner-sourced deal is sourced by the partner side.")
        }
        if attribution == .partnerInfluenced && sourcedBy != .host {
            throw .invalid(
                field: "sourced_by",
                context.companyName(.host).map { "A partner-influenced deal was sourced by the host, \($0)." }
                    ?? "A partner-influenced deal was sourced by the host side.")
        }
        let before = d.evidence.close.registration
        if let before {
            switch before.status {
            case .accepted:
                throw .conflict(
                    "Registration \(before.registrationID) was accepted\(before.decidedByName.map { " by \($0)" } ?? ""); a deal has one registration, and an accepted one is not resubmitted."
                )
            case .pending where before.submittedBy != side:
                let submitter = before.submittedBy.map(context.company) ?? "the other company"
                throw .conflict(
                    "Registration \(before.registrationID) was submitted by \(submitter) and waits for \(context.company(side))'s decision: accept it or reject it with a reason."
                )
            case .pending, .rejected:
                break
            }
        }
        var reg = Registration(
            registrationID: rid, attribution: attribution, sourcedBy: sourcedBy, registeredBy: actor.personID,
            registeredByName: actor.name, registeredAt: context.now, status: .pending, submittedBy: side,
            opportunityID: opportunity?.isEmpty == false ? opportunity : nil)
        reg.sourcedClaimWarning = sourcedClaimWarning(
            attribution: attribution, hostPopulation: context.hostPopulation, account: d.accountName,
            context: context)
        if let before, before.status == .pending, before.with(reg) == before {
            throw .invalid(
                field: "registration_id", "The resubmission changes nothing: the registration already says that.")
        }
        d.evidence.close.registration = reg
        let tag = attribution.rawValue.replacingOccurrences(of: "_", with: "-")
        let verb = before == nil ? "registered the deal as" : "amended and resubmitted the registration as"
        change(
            before == nil ? "registered" : "registration_resubmitted",
            "\(actor.name) of \(context.company(side)) \(verb) \(rid), \(tag); it waits for \(context.company(side.other))'s acceptance.",
            before, reg)
    }

    /// An accepted registration's tag changes only when both companies agree: one proposes (with a
    /// reason), the other accepts or rejects (with a reason). Kept on the timeline and, by the
    /// workflow, in both companies' audit logs. Allowed after the deal completed: that is when
    /// finance reads the tag.
    static func amendRegistration(
        _ command: DealCommand, on d: inout Deal, by actor: Actor, context: DealContext,
        change: inout DealChangeLog
    ) throws(DealError) {
        guard let side = d.side(of: actor.organizationID) else {
            throw .forbidden("Only people of the deal's two companies amend its registration.")
        }
        guard let before = d.evidence.close.registration, before.status == .accepted else {
            throw .conflict(
                "Only an accepted registration's tag is amended; a pending or rejected one is resubmitted by the company that submitted it."
            )
        }
        var reg = before
        func tag(_ a: Attribution) -> String { a.rawValue.replacingOccurrences(of: "_", with: "-") }
        switch command {
        case .proposeRegistrationAmendment(let attribution, let sourcedBy, let rawReason):
            let reason = rawReason.trimmingCharacters(in: .whitespacesAndNewlines)
            guard reason.count >= 3, reason.count <= 2_000 else {
                throw .invalid(field: "reason", "Say why the tag should change (3 to 2,000 characters).")
            }
            if attribution == .partnerSourced && sourcedBy != .partner {
                throw .invalid(
                    field: "sourced_by",
                    "A partner-sourced deal is sourced by the partner, \(context.company(.partner)).")
            }
            if attribution == .partnerInfluenced && sourcedBy != .host {
                throw .invalid(
                    field: "sourced_by", "A partner-influenced deal was sourced by the host, \(context.company(.host))."
                )
            }
            guard attribution != before.attribution || sourcedBy != before.sourcedBy else {
                throw .invalid(
                    field: "attribution", "The amendment changes nothing: the registration already says that.")
            }
            if let waiting = before.pendingAmendment, waiting.proposedBy != side {
                throw .conflict(
                    "\(context.company(waiting.proposedBy)) proposed an amendment that waits for \(context.company(side))'s decision: accept it or reject it with a reason."
                )
            }
            reg.pendingAmendment = RegistrationAmendment(
                attribution: attribution, sourcedBy: sourcedBy, reason: reason, proposedBy: side,
                proposedByName: actor.name, proposedAt: context.now)
            change(
                "registration_amendment_proposed",
                "\(actor.name) of \(context.company(side)) proposed to change registration \(before.registrationID) from \(tag(before.attribution)) to \(tag(attribution)), sourced by \(context.company(sourcedBy)): \(reason) It waits for \(context.company(side.other))'s decision.",
                before, reg)
        case .decideRegistrationAmendment(let accept, let rawReason):
            guard let proposal = before.pendingAmendment else {
                throw .conflict("No amendment of the registration waits for a decision.")
            }
            guard proposal.proposedBy != side else {
                throw .forbidden(
                    "\(context.company(side.other)) decides on \(context.company(side))'s amendment of the registration."
                )
            }
            reg.pendingAmendment = nil
            if accept {
                reg.attribution = proposal.attribution
                reg.sourcedBy = proposal.sourcedBy
                change(
                    "registration_amended",
                    "\(actor.name) of \(context.company(side)) accepted \(context.company(proposal.proposedBy))'s amendment: registration \(before.registrationID) is now \(tag(proposal.attribution)), sourced by \(context.company(proposal.sourcedBy)) (was \(tag(before.attribution))).",
                    before, reg)
            } else {
                let reason = (rawReason ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
                guard reason.count >= 3, reason.count <= 2_000 else {
                    throw .invalid(field: "reason", "Say why the amendment is rejected (3 to 2,000 characters).")
                }
                change(
                    "registration_amendment_rejected",
                    "\(actor.name) of \(context.company(side)) rejected \(context.company(proposal.proposedBy))'s amendment of registration \(before.registrationID): \(reason)",
                    before, reg)
            }
        default:
            return
        }
        d.evidence.close.registration = reg
    }

    /// The flag on a partner-sourced claim when the host's CRM already had the account as a customer
    /// or an open opportunity (nil otherwise, or when the population is unknown).
    static func sourcedClaimWarning(
        attribution: Attribution, hostPopulation: String?, account: String, context: DealContext
    ) -> String? {
        guard attribution == .partnerSourced else { return nil }
        let had: String
        switch hostPopulation {
        case "customer": had = "a customer"
        case "open_opportunity": had = "an open opportunity"
        default: return nil
        }
        let host = context.company(.host)
        return
            "\(host)'s CRM had \(account) as \(had) before this deal: a partner-sourced claim on it needs \(host)'s agreement that \(context.company(.partner)) brought the deal, or a partner-influenced registration."
    }

    static func decideRegistration(
        _ command: DealCommand, on d: inout Deal, by actor: Actor, context: DealContext,
        change: inout DealChangeLog
    ) throws(DealError) {
        try requireInPlay(d)
        guard let side = d.side(of: actor.organizationID) else {
            throw .forbidden("Only people of the deal's two companies decide on its registration.")
        }
        guard let before = d.evidence.close.registration else {
            throw .conflict("The deal has no registration yet: one company submits it, the other accepts it.")
        }
        guard let deciding = before.decidingSide else {
            throw .conflict(
                "Registration \(before.registrationID) was recorded before registrations were agreed by both companies; it stands as accepted."
            )
        }
        // Who decides (the deciding company's partner managers and admins) is `DealPermissions`' rule,
        // checked before any command.
        precondition(side == deciding, "DealPermissions lets only the deciding company decide")
        var reg = before
        let today = LocalDate(context.now)
        let until = LocalDate(context.now.addingTimeInterval(Double(context.registrationValidityDays) * 86_400))
        switch command {
        case .acceptRegistration:
            guard before.status == .pending else {
                throw .conflict(
                    "Registration \(before.registrationID) is \(before.status.rawValue), not waiting for a decision.")
            }
            reg.status = .accepted
            reg.decidedBy = actor.personID
            reg.decidedByName = actor.name
            reg.decidedAt = context.now
            reg.rejectionReason = nil
            reg.expiresOn = until
            d.evidence.close.registration = reg
            change(
                "registration_accepted",
                "\(actor.name) of \(context.company(side)) accepted registration \(reg.registrationID); it holds until \(until).",
                before, reg)

        case .rejectRegistration(let reason):
            let why = try requireReason(reason)
            guard before.status == .pending else {
                throw .conflict(
                    "Registration \(before.registrationID) is \(before.status.rawValue), not waiting for a decision.")
            }
            reg.status = .rejected
            reg.decidedBy = actor.personID
            reg.decidedByName = actor.name
            reg.decidedAt = context.now
            reg.rejectionReason = why
            reg.expiresOn = nil
            d.evidence.close.registration = reg
            change(
                "registration_rejected",
                "\(actor.name) of \(context.company(side)) rejected registration \(reg.registrationID): \(why)",
                before, reg)

        case .renewRegistration:
            guard before.status == .accepted else {
                throw .conflict(
                    "Only an accepted registration is renewed; \(before.registrationID) is \(before.status.rawValue).")
            }
            if let current = before.expiresOn, current >= until {
                throw .conflict("Registration \(before.registrationID) already holds until \(current).")
            }
            reg.expiresOn = until
            let lapsed = before.isLapsed(on: today, wonOn: d.evidence.close.outcome?.wonOn)
            d.evidence.close.registration = reg
            change(
                "registration_renewed",
                "\(actor.name) of \(context.company(side)) renewed \(lapsed ? "the lapsed " : "")registration \(reg.registrationID) until \(until).",
                before, reg)

        default: preconditionFailure("not a registration decision: \(command)")
        }
    }
}

extension Registration {
    /// This registration's submission with `other`'s submitted values (to tell an empty resubmission).
    func with(_ other: Registration) -> Registration {
        var r = self
        r.registrationID = other.registrationID
        r.attribution = other.attribution
        r.sourcedBy = other.sourcedBy
        r.opportunityID = other.opportunityID
        return r
    }
}

extension Deal {
    /// Whether this deal's registration holds its claim on the customer's opportunity on `day`
    /// (one accepted registration per opportunity across the host's partnerships): accepted, not
    /// lapsed, and the deal not lost, abandoned or ended. A won deal holds it for good.
    public func registrationHoldsClaim(on day: LocalDate) -> Bool {
        guard let r = evidence.close.registration, r.status == .accepted,
            status != .lost, status != .abandoned, status != .ended
        else { return false }
        return !r.isLapsed(on: day, wonOn: evidence.close.outcome?.wonOn)
    }
}
