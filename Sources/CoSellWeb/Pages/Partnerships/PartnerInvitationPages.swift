import CoSellDomain
import CoSellWorkflows
import Foundation
import Vapor

/// The dual opt-in in the pages: an admin invites a partner company from the partnerships page;
/// the invited person opens the link, sets their company up (or signs in when it is on the server
/// already), and its admin accepts or declines on the partnership's page. Accepting starts matching
/// the two companies' accounts; the page shows it running.
enum PartnerInvitationPages {
    static func register(_ app: Application) {
        let id = UUID.placeholder
        app.page(.POST, .partnerInvite, invite)
        app.page(.GET, .partnerInvitation(""), showLink)
        app.page(.POST, .partnerInvitation(""), join)
        app.page(.POST, .partnershipAcceptance(id), accept)
        app.page(.POST, .partnershipDecline(id), decline)
        app.page(.POST, .partnershipMatching(id), matchAgain)
        app.page(.POST, .sharingPreset(id), setPreset)
    }

    // MARK: inviting

    static func invite(_ req: Request) async throws -> Response {
        let s = try await req.requirePageSession()
        let values = req.formValues().filter { $0.key != PageSession.csrfField }
        let input = PartnershipWorkflows.PartnerInvitee(
            name: req.formValue("name") ?? "", partnerDomain: req.formValue("partner_domain") ?? "",
            email: req.formValue("email") ?? "")
        var errors: [String: String] = [:]
        let secret = APITokens.generate()
        let mailed = req.application.mailStatus.configured
        let path = SiteRoute.partnerInvitation(secret).href
        do {
            let sent = try await req.workflows.partnerships.invitePartner(
                by: s.principal, tokenHash: APITokens.hash(secret), mailPath: mailed ? path : nil
            ) { input }
            let company = sent.partnerOrganization?.name ?? sent.invitation.partnerDomain
            if let ps = sent.partnership {
                // The company is on the server: its admins see the invitation when they sign in.
                return Pages.seeOther(
                    SiteRoute.partnership(ps.id),
                    notice: "\(company) is invited"
                        + (mailed ? "; \(sent.invitation.email) gets the link by mail." : "")
                        + " Its admins accept or decline when they sign in.")
            }
            if mailed {
                return Pages.seeOther(
                    SiteRoute.partnerships,
                    notice: "\(company) is invited: the link is on its way to \(sent.invitation.email).")
            }
            return Pages.html(
                PartnershipViews.list(
                    try await PartnershipController.listModel(
                        req, s, notice: "\(company) is invited.",
                        handover: .init(
                            email: sent.invitation.email, link: PeoplePageController.siteAddress(req) + path))))
        } catch WorkflowError.invalid(let field, let message) {
            errors[field] = message
        } catch WorkflowError.conflict(let message) {
            errors["partner_domain"] = message
        }
        return Pages.html(
            PartnershipViews.list(
                try await PartnershipController.listModel(req, s, notice: nil, values: values, errors: errors)),
            status: .unprocessableEntity)
    }

    // MARK: the link

    static func showLink(_ req: Request) async throws -> Response {
        let secret = AccessPagesController.token(req)
        guard let link = try await req.workflows.partnerships.invitationLink(tokenHash: APITokens.hash(secret))
        else { return unknownLink() }
        if let there = link.partnerOrganization {
            if let ps = link.partnership, let s = try await req.pageSession(), s.person.organizationID == there.id {
                return Pages.seeOther(SiteRoute.partnership(ps.id))
            }
            return Pages.html(signInPage(link, there))
        }
        return AccessPagesController.formPage(req) { csrf in
            joinPage(link, token: secret, values: [:], errors: [:], csrf: csrf)
        }
    }

    static func join(_ req: Request) async throws -> Response {
        let secret = AccessPagesController.token(req)
        guard let link = try await req.workflows.partnerships.invitationLink(tokenHash: APITokens.hash(secret))
        else { return unknownLink() }
        if let there = link.partnerOrganization { return Pages.html(signInPage(link, there)) }
        let values = req.formValues().filter { !$0.key.hasPrefix("password") && $0.key != PageSession.csrfField }
        let password = (try? req.content.get(String.self, at: "password")) ?? ""
        let again = (try? req.content.get(String.self, at: "password_again")) ?? ""
        var errors: [String: String] = [:]
        if !AccessPagesController.formIsFresh(req) { errors["organization"] = "The form expired; send it again." }
        errors.merge(AccessPagesController.passwordErrors(password, again)) { a, _ in a }
        if PeopleWorkflows.keptName(values["name"] ?? "") == nil { errors["name"] = "Type your name." }
        if (values["organization"] ?? "").trimmingCharacters(in: .whitespaces).isEmpty {
            errors["organization"] = "Name your company."
        }
        if errors.isEmpty {
            do {
                let (made, ps) = try await req.workflows.partnerships.join(
                    tokenHash: APITokens.hash(secret), organization: values["organization"] ?? "",
                    adminName: values["name"] ?? "", password: password, from: req.clientAddress
                ) { try await req.hashPassword($0) }
                return try await AccessPagesController.signedIn(
                    req, email: made.person.email, password: password,
                    notice:
                        "\(made.organization?.name ?? "Your company") is set up and you are its admin. Accept or decline \(link.fromCompany)'s invitation below.",
                    to: .partnership(ps.id))
            } catch WorkflowError.invalid(let field, let message) {
                errors[field] = message
            } catch WorkflowError.notFound {
                return unknownLink()
            } catch WorkflowError.conflict(let message) {
                errors["organization"] = message
            }
        }
        return AccessPagesController.formPage(req, status: .unprocessableEntity) { csrf in
            joinPage(link, token: secret, values: values, errors: errors, csrf: csrf)
        }
    }

    static func unknownLink() -> Response {
        AccessPagesController.linkGone(
            "The link is unknown, was answered already, or is more than 14 days old. Ask the company that invited you for a new invitation."
        )
    }

    static func signInPage(_ link: PartnershipWorkflows.InvitationLink, _ there: Organization) -> Node {
        Layout.page(PageChrome(title: "Invitation from \(link.fromCompany)", section: .none)) {
            el("div", .cls("card narrow")) {
                el("h1") { "\(link.fromCompany) invites \(there.name) to co-sell" }
                el("p") {
                    "\(link.invitedBy) of \(link.fromCompany) invites \(there.name) to the partnership “\(link.invitation.partnershipName)”. \(there.name) is on this server already: sign in as one of its admins to accept or decline."
                }
                el("p") {
                    let next = link.partnership.map { SiteRoute.partnership($0.id).href } ?? SiteRoute.partnerships.href
                    el("a", .href(SiteRoute.signIn(next: next)), .cls("button")) { "Sign in to answer" }
                }
                el("p", .cls("muted")) {
                    "Not a person of \(there.name) on cosell yet? Ask one of its admins to invite you."
                }
            }
        }
    }

    static func joinPage(
        _ link: PartnershipWorkflows.InvitationLink, token: String, values: [String: String],
        errors: [String: String], csrf: String
    ) -> Node {
        let i = link.invitation
        return Layout.page(PageChrome(title: "Invitation from \(link.fromCompany)", section: .none)) {
            el("div", .cls("card narrow")) {
                el("h1") { "\(link.fromCompany) invites you to co-sell" }
                el("p") {
                    "\(link.invitedBy) of \(link.fromCompany) invites your company (\(i.partnerDomain)) to the partnership “\(i.partnershipName)” on cosell: both companies find the accounts they share and run joint deals through a short playbook."
                }
                el("p") {
                    "Set your company up first (you become its admin and sign in as \(i.email)); you accept or decline on the next page. Nothing of your CRM is shared until you choose what to share."
                }
                Layout.formError(errors.isEmpty ? nil : "Nothing was created: see below.")
                el("form", Attr("method", "post"), Attr("action", SiteRoute.partnerInvitation(token))) {
                    el("input", .type("hidden"), .name(PageSession.csrfField), .value(csrf))
                    Layout.field(
                        "organization", "Your company's name", value: values["organization"], required: true,
                        hint: "Its domain is \(i.partnerDomain).", error: errors["organization"], formID: "partner-join"
                    )
                    Layout.field(
                        "name", "Your name", value: values["name"], required: true, error: errors["name"],
                        formID: "partner-join")
                    AccessPagesController.passwordFields(errors: errors, formID: "partner-join")
                    el("button", .type("submit")) { "Set up my company and continue" }
                }
            }
        }
    }

    // MARK: answering, matching, sharing

    static func accept(_ req: Request) async throws -> Response {
        let s = try await req.requirePageSession()
        let ps = try await req.workflows.partnerships.accept(
            try req.id("partnership_id", "partnership"), by: s.principal)
        req.startMatching(ps.id, by: s.principal)
        return Pages.seeOther(
            SiteRoute.partnership(ps.id),
            notice: "You accepted “\(ps.name)”. cosell is matching both companies' accounts now.")
    }

    static func decline(_ req: Request) async throws -> Response {
        let s = try await req.requirePageSession()
        let ps = try await req.workflows.partnerships.decline(
            try req.id("partnership_id", "partnership"), by: s.principal)
        return Pages.seeOther(SiteRoute.partnerships, notice: "You declined “\(ps.name)”.")
    }

    static func matchAgain(_ req: Request) async throws -> Response {
        let s = try await req.requirePageSession()
        let ps = try await req.workflows.access.activePartnership(
            try req.id("partnership_id", "partnership"), s.principal)
        guard s.principal.person.role.canWrite else { throw Problem.forbidden("Viewers cannot start matching.") }
        req.startMatching(ps.id, by: s.principal)
        return Pages.seeOther(SiteRoute.partnership(ps.id), notice: "Matching both companies' accounts again.")
    }

    static func setPreset(_ req: Request) async throws -> Response {
        let s = try await req.requirePageSession()
        let ps = try await req.workflows.partnerships.setSharing(
            in: try req.id("partnership_id", "partnership"), by: s.principal
        ) {
            guard let raw = req.formValue("preset"), let preset = PartnershipWorkflows.SharingPreset(rawValue: raw)
            else { throw Problem.invalid("preset", "Choose what to share.") }
            return preset
        }
        return Pages.seeOther(SiteRoute.partnership(ps.id), notice: "Sharing saved for every population.")
    }
}
