import CoSellDomain
import Foundation

/// The deal's registration: where it stands (pending, accepted, rejected, lapsed), and the forms of
/// the workflow for the reader's company (submit or resubmit; accept, reject or renew).
extension DealPageView.Renderer {
    /// The registration as it stands today, in a sentence that names the companies.
    func registrationSentence(_ r: Registration) -> String {
        let tag = r.attribution == .partnerSourced ? "partner-sourced" : "partner-influenced"
        let head =
            "\(r.registrationID), \(tag), sourced by \(company(r.sourcedBy))"
            + (r.opportunityID.map { " (CRM opportunity \($0))" } ?? "")
        let submitted =
            "Submitted by " + personWithCompany(r.registeredBy, fallback: r.registeredByName)
            + ", \(when(r.registeredAt))"
        let decider = r.decidedBy.map { personWithCompany($0, fallback: r.decidedByName) } ?? r.decidedByName ?? ""
        switch r.state(on: m.today, wonOn: d.evidence.close.outcome?.wonOn) {
        case .pending:
            return
                "\(head). \(submitted). Waiting for \(r.decidingSide.map(company) ?? "the other company") to accept it."
        case .accepted:
            let until = r.expiresOn.map { "; it holds until \(f.format($0))" } ?? ""
            let by = decider.isEmpty ? "" : " by \(decider)"
            return "\(head). \(submitted). Accepted\(by)\(r.decidedAt.map { ", \(when($0))" } ?? "")\(until)."
        case .rejected:
            return
                "\(head). \(submitted). Rejected by \(decider)\(r.decidedAt.map { ", \(when($0))" } ?? ""): \(r.rejectionReason ?? "")"
        case .lapsed:
            return
                "\(head). \(submitted). Accepted by \(decider), but it lapsed on \(r.expiresOn.map(f.format) ?? "its expiry date")"
                + (d.evidence.close.outcome?.wonOn.map { ", before the close date \(f.format($0))" } ?? "")
                + ": \(r.decidingSide.map(company) ?? "the other company") renews it."
        }
    }

    /// The registration section: shown once a registration exists, or when the deal is won.
    @HTMLBuilder
    func registrationSection() -> [Node] {
        let reg = d.evidence.close.registration
        if reg != nil || d.evidence.close.outcome?.result == .won {
            el("section", .id("registration"), .aria("labelledby", "registration-h")) {
                el("h2", .id("registration-h")) { "Registration" }
                sectionNotice("registration")
                if let reg {
                    let state = reg.state(on: m.today, wonOn: d.evidence.close.outcome?.wonOn)
                    el("p", .cls("registration \(state.rawValue)")) {
                        el("strong") { state.rawValue.capitalized + ": " }
                        registrationSentence(reg)
                    }
                    if let warning = reg.sourcedClaimWarning {
                        el("p", .cls("notice warn"), .id("sourced-claim-warning")) {
                            Layout.badge("Check the claim", "warn")
                            " " + warning
                        }
                    }
                } else {
                    el("p", .cls("muted")) {
                        "Not registered yet. One company submits the registration; the other accepts it before the revenue counts as the partner's."
                    }
                }
                if let amendment = reg?.pendingAmendment {
                    el("p", .cls("notice"), .id("registration-amendment-pending")) {
                        Layout.badge("Amendment proposed", "info")
                        " \(amendment.proposedByName) of \(company(amendment.proposedBy)) proposed, \(when(amendment.proposedAt)), to make it "
                            + (amendment.attribution == .partnerSourced ? "partner-sourced" : "partner-influenced")
                            + ", sourced by \(company(amendment.sourcedBy)): \(amendment.reason) "
                            + "It changes only once \(company(amendment.proposedBy.other)) accepts."
                    }
                }
                if editable && d.isInPlay { registrationForms(reg) }
                // The tag of an accepted registration: changed only when both companies agree, also after
                // the deal completed (when finance reads it).
                if editable, let reg, reg.status == .accepted, m.canAmend, d.status == .won || d.status == .open {
                    amendmentForms(reg)
                }
            }
        }
    }

    @HTMLBuilder
    func registrationForms(_ reg: Registration?) -> [Node] {
        let mine = m.viewerSide
        let manager = m.canAmend
        let state = reg?.state(on: m.today, wonOn: d.evidence.close.outcome?.wonOn)
        // Submit: nothing yet, a rejected one (either company may submit anew), or the reader's own pending one.
        if reg == nil || state == .rejected || (state == .pending && reg?.submittedBy == mine) {
            let resubmit = reg != nil
            actionForm(
                "registration",
                resubmit ? "Amend and resubmit the registration" : "Register the joint opportunity",
                open: reg == nil || state == .rejected
            ) {
                Layout.field(
                    "registration_id", "Registration id",
                    value: value("registration", "registration_id", reg?.registrationID), required: true,
                    hint: "The id in your partner program or the hyperscaler's portal; unique in \(company(mine)).",
                    error: error("registration", "registration_id"), formID: "registration")
                Layout.select(
                    "attribution", "Attribution",
                    options: [
                        ("partner_sourced", "Partner-sourced"), ("partner_influenced", "Partner-influenced"),
                    ],
                    selected: value("registration", "attribution", reg?.attribution.rawValue),
                    error: error("registration", "attribution"), formID: "registration")
                Layout.select(
                    "sourced_by", "Sourced by", options: Side.allCases.map { ($0.rawValue, company($0)) },
                    selected: value("registration", "sourced_by", reg?.sourcedBy.rawValue),
                    error: error("registration", "sourced_by"), formID: "registration")
                Layout.field(
                    "crm_opportunity_id", "CRM opportunity id (optional)",
                    value: value("registration", "crm_opportunity_id", reg?.opportunityID),
                    hint:
                        "\(company(.host))'s opportunity id: one opportunity is partner revenue once, across all partnerships.",
                    error: error("registration", "crm_opportunity_id"), formID: "registration")
                submit(
                    resubmit
                        ? "Resubmit for \(company(mine.other))'s acceptance"
                        : "Submit for \(company(mine.other))'s acceptance")
            }
        }
        if let reg, reg.decidingSide == mine {
            if state == .pending {
                if manager {
                    actionForm("registration-acceptance", "Accept the registration", open: true) {
                        el("p") {
                            "Accepting says \(company(mine)) agrees that \(reg.registrationID) is "
                                + (reg.attribution == .partnerSourced ? "partner-sourced" : "partner-influenced")
                                + "; it then holds for the partnership's registration period."
                        }
                        submit("Accept \(reg.registrationID)", filling: "registration-acceptance")
                    }
                    actionForm("registration-rejection", "Reject the registration, with a reason") {
                        Layout.textArea(
                            "reason", "Why it is rejected (\(company(reg.submittedBy ?? mine.other)) reads it)",
                            value: value("registration-rejection", "reason"), required: true,
                            error: error("registration-rejection", "reason"), formID: "registration-rejection")
                        submit("Reject \(reg.registrationID)")
                    }
                } else {
                    el("p", .cls("muted")) {
                        "A partner manager or an admin of \(company(mine)) accepts or rejects it."
                    }
                }
            } else if (state == .accepted || state == .lapsed) && manager {
                actionForm("registration-renewal", "Renew the registration", open: state == .lapsed) {
                    el("p") { "Renewing extends it for the partnership's registration period from today." }
                    submit("Renew \(reg.registrationID)", filling: "registration-renewal")
                }
            }
        }
    }

    @HTMLBuilder
    func amendmentForms(_ reg: Registration) -> [Node] {
        let mine = m.viewerSide
        if let p = reg.pendingAmendment, p.proposedBy != mine {
            actionForm("registration-amendment-acceptance", "Accept the proposed change of the tag", open: true) {
                el("p") {
                    "Accepting makes \(reg.registrationID) "
                        + (p.attribution == .partnerSourced ? "partner-sourced" : "partner-influenced")
                        + ", sourced by \(company(p.sourcedBy)); the revenue report follows."
                }
                submit("Accept the change")
            }
            actionForm("registration-amendment-rejection", "Reject the proposed change, with a reason") {
                Layout.textArea(
                    "reason", "Why it is rejected (\(company(p.proposedBy)) reads it)",
                    value: value("registration-amendment-rejection", "reason"), required: true,
                    error: error("registration-amendment-rejection", "reason"),
                    formID: "registration-amendment-rejection")
                submit("Reject the change")
            }
        } else {
            actionForm("registration-amendment", "Propose to change the tag (the other company decides)") {
                Layout.select(
                    "attribution", "Tag",
                    options: [("partner_sourced", "Partner-sourced"), ("partner_influenced", "Partner-influenced")],
                    selected: value("registration-amendment", "attribution"),
                    error: error("registration-amendment", "attribution"), formID: "registration-amendment",
                    includeBlank: true)
                Layout.select(
                    "sourced_by", "Sourced by",
                    options: [(Side.partner.rawValue, company(.partner)), (Side.host.rawValue, company(.host))],
                    selected: value("registration-amendment", "sourced_by"),
                    error: error("registration-amendment", "sourced_by"), formID: "registration-amendment",
                    includeBlank: true)
                Layout.textArea(
                    "reason", "Why the tag should change", value: value("registration-amendment", "reason"),
                    required: true, error: error("registration-amendment", "reason"),
                    formID: "registration-amendment")
                submit("Propose the change")
            }
        }
    }
}
