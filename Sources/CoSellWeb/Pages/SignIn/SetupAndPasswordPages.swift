import CoSellDomain
import CoSellWorkflows
import Foundation
import Vapor

/// The setup page of an empty server (the first organization and its admin, who chooses the
/// password), and each person's own password change.
enum SetupAndPasswordController {
    static func register(_ app: Application) {
        app.page(.GET, .setup, showSetup)
        app.page(.POST, .setup, setUp)
        app.page(.GET, .passwordSettings, showPassword)
        app.page(.POST, .passwordSettings, changePassword)
    }

    // MARK: setup

    static func showSetup(_ req: Request) async throws -> Response {
        guard try await req.store.isEmpty() else { throw Problem.notFound("setup") }
        return AccessPagesController.formPage(req) { csrf in setupPage(values: [:], errors: [:], csrf: csrf) }
    }

    static func setUp(_ req: Request) async throws -> Response {
        guard try await req.store.isEmpty() else { throw Problem.notFound("setup") }
        let values = req.formValues().filter { !$0.key.hasPrefix("password") && $0.key != PageSession.csrfField }
        let password = (try? req.content.get(String.self, at: "password")) ?? ""
        let again = (try? req.content.get(String.self, at: "password_again")) ?? ""
        var errors: [String: String] = [:]
        if !AccessPagesController.formIsFresh(req) { errors["organization"] = "The form expired; send it again." }
        errors.merge(AccessPagesController.passwordErrors(password, again)) { a, _ in a }
        let email = req.formValue("email") ?? ""
        if errors.isEmpty {
            do {
                let made = try await req.workflows.people.setUp(
                    organization: req.formValue("organization") ?? "", domain: req.formValue("domain"),
                    admin: .init(email: email, name: req.formValue("name") ?? "", role: .admin), password: password,
                    from: req.clientAddress
                ) { try await req.hashPassword($0) }
                return try await AccessPagesController.signedIn(
                    req, email: made.person.email, password: password,
                    notice:
                        "\(made.organization?.name ?? "Your company") is set up. Next: import your accounts, invite your people on the People page, and start a partnership."
                )
            } catch WorkflowError.invalid(let field, let message) {
                errors[field] = message
            } catch WorkflowError.notFound {
                throw Problem.notFound("setup")
            }
        }
        return AccessPagesController.formPage(req, status: .unprocessableEntity) { csrf in
            setupPage(values: values, errors: errors, csrf: csrf)
        }
    }

    static func setupPage(values: [String: String], errors: [String: String], csrf: String) -> Node {
        Layout.page(PageChrome(title: "Set up cosell", section: .none)) {
            el("div", .cls("card narrow")) {
                el("h1") { "Set up cosell" }
                el("p") {
                    "This server has no organization yet. Create yours and its first admin: you. You invite your colleagues and your partner companies afterwards."
                }
                Layout.formError(errors.isEmpty ? nil : "Nothing was created: see below.")
                el("form", Attr("method", "post"), Attr("action", SiteRoute.setup)) {
                    el("input", .type("hidden"), .name(PageSession.csrfField), .value(csrf))
                    Layout.field(
                        "organization", "Your company's name", value: values["organization"], required: true,
                        error: errors["organization"], formID: "setup")
                    Layout.field(
                        "domain", "Its web domain (optional)", value: values["domain"],
                        hint: "Such as acme.example: partners find your company by it.", error: errors["domain"],
                        formID: "setup")
                    Layout.field(
                        "name", "Your name", value: values["name"], required: true, error: errors["name"],
                        formID: "setup")
                    Layout.field(
                        "email", "Your e-mail (you sign in with it)", value: values["email"], type: "email",
                        required: true, error: errors["email"], formID: "setup",
                        extra: [Attr("autocomplete", "username")])
                    AccessPagesController.passwordFields(errors: errors, formID: "setup")
                    el("button", .type("submit")) { "Create the company and sign in" }
                }
            }
        }
    }

    // MARK: one's own password

    static func showPassword(_ req: Request) async throws -> Response {
        let s = try await req.requirePageSession()
        return Pages.html(passwordPage(s.chrome("Password", .none, notice: Pages.notice(req)), errors: [:]))
    }

    static func changePassword(_ req: Request) async throws -> Response {
        let s = try await req.requirePageSession()
        let current = (try? req.content.get(String.self, at: "current_password")) ?? ""
        let password = (try? req.content.get(String.self, at: "password")) ?? ""
        let again = (try? req.content.get(String.self, at: "password_again")) ?? ""
        var errors = AccessPagesController.passwordErrors(password, again)
        if current.isEmpty { errors["current_password"] = "Type your current password." }
        if errors.isEmpty {
            let hasher = req.application.passwordHashPool
            do {
                try await req.workflows.security.changePassword(
                    of: s.person, current: current, new: password, from: req.clientAddress,
                    verify: { try await hasher.verify(current, against: $0) },
                    hashPassword: { try await req.hashPassword($0) })
                let (_, cookie) = try await req.startSession(email: s.person.email, password: password)
                let r = Pages.seeOther(
                    SiteRoute.passwordSettings, notice: "Your password is changed. Your other sessions were ended.")
                r.cookies[SecuritySettings.sessionCookie] = cookie
                return r
            } catch WorkflowError.invalid(let field, let message) {
                errors[field] = message
            }
        }
        return Pages.html(
            passwordPage(s.chrome("Password", .none), errors: errors), status: .unprocessableEntity)
    }

    static func passwordPage(_ chrome: PageChrome, errors: [String: String]) -> Node {
        Layout.page(chrome) {
            el("h1") { "Change your password" }
            el("p", .cls("muted")) { "Changing it signs you out of cosell everywhere else." }
            Layout.formError(errors.isEmpty ? nil : "Your password was not changed: see below.")
            Layout.postForm(SiteRoute.passwordSettings, csrf: chrome.csrf) {
                Layout.field(
                    "current_password", "Your current password", type: "password", required: true,
                    error: errors["current_password"], formID: "password",
                    extra: [Attr("autocomplete", "current-password")])
                AccessPagesController.passwordFields(errors: errors, formID: "password", label: "New password")
                el("button", .type("submit")) { "Change the password" }
            }
        }
    }
}
