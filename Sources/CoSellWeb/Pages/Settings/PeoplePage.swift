import CoSellDomain
import CoSellWorkflows
import Foundation
import Vapor

/// An admin's page of their organization's people: who is in, who is invited, an invitation form,
/// role changes and deactivation. With mail configured the invitation's link is mailed; without, the page shows
/// it once for the admin to hand over.
enum PeoplePageController {
    static func register(_ app: Application) {
        app.page(.GET, .people, show)
        app.page(.POST, .peopleInvite, invite)
        app.page(.POST, .personDeactivation(.placeholder), deactivate)
        app.page(.POST, .personRole(.placeholder), changeRole)
    }

    /// What the page shows after an invitation was made without mail: the link, once.
    struct Handover: Sendable {
        var name: String
        var link: String
    }

    static func show(_ req: Request) async throws -> Response {
        let s = try await req.requirePageSession()
        return try await render(req, s, notice: Pages.notice(req))
    }

    /// A refused role change, shown in its person's row.
    struct RoleError: Sendable {
        var personID: UUID
        var message: String
    }

    static func render(
        _ req: Request, _ s: PageSession, notice: String?, handover: Handover? = nil, values: [String: String] = [:],
        errors: [String: String] = [:], roleError: RoleError? = nil, status: HTTPResponseStatus = .ok
    ) async throws -> Response {
        let directory = try await req.workflows.people.directory(by: s.principal)
        return Pages.html(
            page(
                s.chrome("People", .people, notice: notice), directory, me: s.person.id,
                mail: req.application.mailStatus, handover: handover, values: values, errors: errors,
                roleError: roleError, format: req.displayFormat), status: status)
    }

    static func invite(_ req: Request) async throws -> Response {
        let s = try await req.requirePageSession()
        let values = req.formValues()
        var errors: [String: String] = [:]
        let email = req.formValue("email") ?? ""
        let name = req.formValue("name") ?? ""
        let role = Role(rawValue: req.formValue("role") ?? "")
        if role == nil { errors["role"] = "Choose the person's role." }
        // Every mistake of the form at once, each beside its field (the invitation's own rules).
        if PeopleWorkflows.keptEmail(email) == nil {
            errors["email"] = "Type an e-mail address, such as ana@example.com."
        }
        if PeopleWorkflows.keptName(name) == nil { errors["name"] = "Type the person's name (at most 200 characters)." }
        guard errors.isEmpty, let role else {
            return try await render(
                req, s, notice: nil, values: values, errors: errors, status: .unprocessableEntity)
        }
        let secret = APITokens.generate()
        let mailed = req.application.mailStatus.configured
        let path = SiteRoute.join(secret).href
        do {
            let invitation = try await req.workflows.people.invite(
                into: s.person.organizationID, by: s.principal, tokenHash: APITokens.hash(secret),
                mailPath: mailed ? path : nil
            ) { .init(email: email, name: name, role: role) }
            if mailed {
                return Pages.seeOther(
                    SiteRoute.people,
                    notice: "\(invitation.name) is invited: the link is on its way to \(invitation.email).")
            }
            return try await render(
                req, s, notice: "\(invitation.name) is invited.",
                handover: Handover(name: invitation.name, link: siteAddress(req) + path))
        } catch WorkflowError.conflict(let message) {
            errors["email"] = message
        } catch WorkflowError.invalid(let field, let message) {
            errors[field] = message
        }
        return try await render(req, s, notice: nil, values: values, errors: errors, status: .unprocessableEntity)
    }

    /// The address people open this server at, as this request reached it.
    static func siteAddress(_ req: Request) -> String {
        let host = req.headers.first(name: .host) ?? "localhost"
        return (req.application.security.secureCookies ? "https://" : "http://") + host
    }

    static func deactivate(_ req: Request) async throws -> Response {
        let s = try await req.requirePageSession()
        guard let id = req.parameters.get("person_id").flatMap(UUID.init(uuidString:)) else {
            throw Problem.notFound("person")
        }
        let person = try await req.workflows.people.deactivate(id, in: s.person.organizationID, by: s.principal)
        return Pages.seeOther(
            SiteRoute.people, notice: "\(person.name) is deactivated: no more sign-ins, sessions or tokens.")
    }

    static func changeRole(_ req: Request) async throws -> Response {
        let s = try await req.requirePageSession()
        guard let id = req.parameters.get("person_id").flatMap(UUID.init(uuidString:)) else {
            throw Problem.notFound("person")
        }
        let wanted = Role(rawValue: req.formValue("role") ?? "")
        do {
            let person = try await req.workflows.people.changeRole(id, by: s.principal) {
                guard let wanted else { throw WorkflowError.invalid(field: "role", "Choose one of the roles.") }
                return wanted
            }
            let role = person.role.title.lowercased()
            if person.id == s.person.id && person.role != .admin {
                // No longer an admin: the People page is not theirs any more.
                return Pages.seeOther(
                    SiteRoute.home, notice: "You are now a \(role) of \(s.organization.name), no longer an admin.")
            }
            return Pages.seeOther(SiteRoute.people, notice: "\(person.name) is now a \(role).")
        } catch WorkflowError.conflict(let message) {
            return try await render(
                req, s, notice: nil, roleError: RoleError(personID: id, message: message), status: .conflict)
        } catch WorkflowError.invalid(_, let message) {
            return try await render(
                req, s, notice: nil, roleError: RoleError(personID: id, message: message),
                status: .unprocessableEntity)
        }
    }

    /// Why the only active admin has no role form in their own row.
    static let lastAdminNote =
        "You are the only active admin: make another person admin before you change your own role."

    static func page(
        _ chrome: PageChrome, _ d: PeopleWorkflows.Directory, me: UUID, mail: MailStatus, handover: Handover?,
        values: [String: String], errors: [String: String], roleError: RoleError? = nil, format f: DisplayFormat
    ) -> Node {
        let activeAdmins = d.people.filter { $0.role == .admin && $0.deactivatedAt == nil }.count
        return Layout.page(chrome) {
            el("h1") { "People of \(d.organization.name)" }
            if let handover {
                el("div", .cls("card"), Attr("role", "status")) {
                    el("p") {
                        "This server sends no mail: send \(handover.name) this link yourself. It works once, for 7 days, and is shown only now."
                    }
                    el(
                        "input", .type("text"), .id("join-link"), .value(handover.link), Attr("readonly", nil),
                        .aria("label", "The invitation link"))
                }
            }
            el("section", .aria("labelledby", "people-h")) {
                el("h2", .id("people-h")) { "People" }
                el("div", .cls("table-wrap")) {
                    el("table", .cls("stack")) {
                        el("thead") {
                            el("tr") {
                                for h in ["Name", "E-mail", "Role", "Status", ""] {
                                    el("th", Attr("scope", "col")) { h }
                                }
                            }
                        }
                        el("tbody") {
                            for p in d.people {
                                el("tr") {
                                    el("td", Attr("data-label", "Name")) { p.name }
                                    el("td", Attr("data-label", "E-mail")) { p.email }
                                    el("td", Attr("data-label", "Role")) {
                                        roleCell(
                                            p, lastAdmin: p.id == me && p.role == .admin && activeAdmins <= 1,
                                            error: roleError?.personID == p.id ? roleError?.message : nil,
                                            csrf: chrome.csrf)
                                    }
                                    el("td", Attr("data-label", "Status")) {
                                        p.deactivatedAt.map { "Deactivated " + f.format($0) } ?? "Active"
                                    }
                                    el("td", .cls("main-action")) {
                                        if p.deactivatedAt == nil && p.id != me {
                                            Layout.postForm(
                                                SiteRoute.personDeactivation(p.id), csrf: chrome.csrf,
                                                attrs: [.cls("inline")]
                                            ) {
                                                el(
                                                    "button", .type("submit"), .cls("secondary"),
                                                    .aria("label", "Deactivate \(p.name)")
                                                ) { "Deactivate" }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            el("section", .aria("labelledby", "invitations-h")) {
                el("h2", .id("invitations-h")) { "Invitations not yet accepted" }
                if d.invitations.isEmpty {
                    el("p", .cls("muted")) { "None." }
                } else {
                    el("div", .cls("table-wrap")) {
                        el("table", .cls("stack")) {
                            el("thead") {
                                el("tr") {
                                    for h in ["Name", "E-mail", "Role", "Invited", "Link works until"] {
                                        el("th", Attr("scope", "col")) { h }
                                    }
                                }
                            }
                            el("tbody") {
                                for i in d.invitations {
                                    el("tr") {
                                        el("td", Attr("data-label", "Name")) { i.name }
                                        el("td", Attr("data-label", "E-mail")) { i.email }
                                        el("td", Attr("data-label", "Role")) { i.role.title }
                                        el("td", Attr("data-label", "Invited")) { f.format(i.createdAt) }
                                        el("td", Attr("data-label", "Link works until")) { f.format(i.expiresAt) }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            el("section", .id("invite"), .aria("labelledby", "invite-h")) {
                el("h2", .id("invite-h")) { "Invite a person of \(d.organization.name)" }
                el("p", .cls("muted")) {
                    mail.configured
                        ? "cosell mails them a link to choose their password; it works once, for 7 days."
                        : "This server sends no mail: after you invite, the page shows the link for you to send."
                }
                Layout.formError(errors.isEmpty ? nil : "The invitation was not sent: see below.")
                Layout.postForm(SiteRoute.peopleInvite, csrf: chrome.csrf) {
                    Layout.field(
                        "name", "Name", value: values["name"], required: true, error: errors["name"], formID: "invite")
                    Layout.field(
                        "email", "E-mail", value: values["email"], type: "email", required: true,
                        error: errors["email"], formID: "invite")
                    Layout.select(
                        "role", "Role",
                        options: Role.allCases.map { ($0.rawValue, $0.title + " — " + roleHint($0)) },
                        selected: values["role"] ?? Role.seller.rawValue, error: errors["role"], formID: "invite")
                    el("button", .type("submit")) { "Invite" }
                }
            }
        }
    }

    /// A person's role, with a form to change it while they are active (none for the only active
    /// admin's own row, which says why instead), and a refused change's reason.
    static func roleCell(_ p: Person, lastAdmin: Bool, error: String?, csrf: String?) -> Node {
        group {
            if p.deactivatedAt != nil {
                p.role.title
            } else if lastAdmin {
                el("span") { p.role.title }
                el("p", .cls("hint"), .id("role-note-\(p.id.uuidString)")) { lastAdminNote }
            } else {
                Layout.postForm(SiteRoute.personRole(p.id), csrf: csrf, attrs: [.cls("inline")]) {
                    el(
                        "select",
                        attrs: [.name("role"), .id("role-\(p.id.uuidString)"), .aria("label", "Role of \(p.name)")]
                            + (error == nil
                                ? []
                                : [Attr("aria-invalid", "true"), .aria("describedby", "role-error-\(p.id.uuidString)")])
                    ) {
                        for r in Role.allCases {
                            el("option", attrs: [.value(r.rawValue)] + (r == p.role ? [.flag("selected")] : [])) {
                                r.title
                            }
                        }
                    }
                    " "
                    el("button", .type("submit"), .cls("secondary"), .aria("label", "Change the role of \(p.name)")) {
                        "Change role"
                    }
                }
            }
            if let error {
                el("p", .cls("error"), .id("role-error-\(p.id.uuidString)"), Attr("role", "alert")) { error }
            }
        }
    }

    static func roleHint(_ role: Role) -> String {
        switch role {
        case .admin: return "everything, plus people, tokens and the audit log"
        case .partnerManager: return "runs the partnership's deals and approvals"
        case .seller: return "works the deals they are on"
        case .viewer: return "reads, changes nothing"
        }
    }
}
