import CoSellDomain
import CoSellWorkflows
import Foundation
import Vapor

/// The pages a person opens from a mail, before they can sign in: an invitation's link (choose a
/// password and join) and a password reset (ask for a link; choose a new password with it). Their
/// forms carry a token that must match a cookie set with the form, as sign-in's do (no session yet).
enum AccessPagesController {
    static let csrfCookie = "cosell_access_csrf"

    static func register(_ app: Application) {
        app.page(.GET, .join(""), showJoin)
        app.page(.POST, .join(""), join)
        app.page(.GET, .passwordResetRequest, showResetRequest)
        app.page(.POST, .passwordResetRequest, requestReset)
        app.page(.GET, .passwordReset(""), showReset)
        app.page(.POST, .passwordReset(""), reset)
    }

    /// A page with a form: a fresh token in the form and in a cookie.
    static func formPage(_ req: Request, status: HTTPResponseStatus = .ok, _ page: (String) -> Node) -> Response {
        let csrf = APITokens.generate()
        let r = Pages.html(page(csrf), status: status)
        r.cookies[csrfCookie] = HTTPCookies.Value(
            string: csrf, maxAge: 3600, path: "/", isSecure: req.application.security.secureCookies,
            isHTTPOnly: true, sameSite: .strict)
        return r
    }

    static func formIsFresh(_ req: Request) -> Bool {
        guard let sent = req.formValue(PageSession.csrfField), let kept = req.cookies[csrfCookie]?.string else {
            return false
        }
        return sent == kept
    }

    static let expiredForm = "The form expired; type your password again."

    /// Signs the person in with the password they just chose, and opens the home page.
    static func signedIn(
        _ req: Request, email: String, password: String, notice: String, to route: SiteRoute = .home
    ) async throws -> Response {
        let (_, cookie) = try await req.startSession(email: email, password: password)
        let r = Pages.seeOther(route, notice: notice)
        r.cookies[SecuritySettings.sessionCookie] = cookie
        r.cookies[csrfCookie] = HTTPCookies.Value(string: "", expires: Date(timeIntervalSince1970: 0), path: "/")
        return r
    }

    /// The two password fields' mistakes: the rules of a password, and the second matching the first.
    static func passwordErrors(_ password: String, _ again: String) -> [String: String] {
        do {
            try SecurityWorkflows.checkPassword(password)
        } catch {
            return ["password": error.message]
        }
        return password == again ? [:] : ["password_again": "The two passwords differ: type the same one twice."]
    }

    // MARK: joining by invitation

    static func token(_ req: Request) -> String { req.parameters.get("token") ?? "" }

    static func showJoin(_ req: Request) async throws -> Response {
        let secret = token(req)
        guard
            let (invitation, organization) = try await req.workflows.people.openInvitation(
                tokenHash: APITokens.hash(secret))
        else { return unknownInvitation() }
        return formPage(req) { csrf in
            joinPage(invitation, organization: organization, token: secret, csrf: csrf, errors: [:])
        }
    }

    static func unknownInvitation() -> Response {
        linkGone(
            "The link is unknown, was used already, or is more than 7 days old. Ask an admin of your company for a new invitation."
        )
    }

    /// The 404 page of an invitation link that no longer opens anything, saying why and what to do.
    static func linkGone(_ why: String) -> Response {
        Pages.html(
            Layout.page(PageChrome(title: "Invitation not found", section: .none)) {
                el("div", .cls("card narrow")) {
                    el("h1") { "This invitation cannot be used" }
                    el("p") { why }
                    el("p") { el("a", .href(SiteRoute.signIn())) { "Sign in" } }
                }
            }, status: .notFound)
    }

    static func join(_ req: Request) async throws -> Response {
        let secret = token(req)
        guard
            let (invitation, organization) = try await req.workflows.people.openInvitation(
                tokenHash: APITokens.hash(secret))
        else { return unknownInvitation() }
        let password = (try? req.content.get(String.self, at: "password")) ?? ""
        let again = (try? req.content.get(String.self, at: "password_again")) ?? ""
        var errors = formIsFresh(req) ? passwordErrors(password, again) : ["password": expiredForm]
        if errors.isEmpty {
            do {
                let person = try await req.workflows.people.acceptInvitation(
                    tokenHash: APITokens.hash(secret), password: password, from: req.clientAddress
                ) { try await req.hashPassword($0) }
                return try await signedIn(
                    req, email: person.email, password: password,
                    notice: "Welcome to cosell, \(person.name). You joined \(organization).")
            } catch WorkflowError.invalid(let field, let message) {
                errors[field] = message
            } catch WorkflowError.notFound {
                return unknownInvitation()
            } catch WorkflowError.conflict(let message) {
                errors["password"] = message
            }
        }
        return formPage(req, status: .unprocessableEntity) { csrf in
            joinPage(invitation, organization: organization, token: secret, csrf: csrf, errors: errors)
        }
    }

    static func joinPage(
        _ invitation: Invitation, organization: String, token: String, csrf: String, errors: [String: String]
    ) -> Node {
        Layout.page(PageChrome(title: "Join \(organization)", section: .none)) {
            el("div", .cls("card narrow")) {
                el("h1") { "Join \(organization) on cosell" }
                el("p") {
                    "You were invited as \(invitation.name) <\(invitation.email)>, \(invitation.role.title.lowercased()). Choose your password to join; you sign in with your e-mail and this password."
                }
                Layout.formError(errors.isEmpty ? nil : "Your password was not set: see below.")
                el("form", Attr("method", "post"), Attr("action", SiteRoute.join(token))) {
                    el("input", .type("hidden"), .name(PageSession.csrfField), .value(csrf))
                    passwordFields(errors: errors, formID: "join")
                    el("button", .type("submit")) { "Join \(organization)" }
                }
            }
        }
    }

    static func passwordFields(errors: [String: String], formID: String, label: String = "Password") -> Node {
        group {
            Layout.field(
                "password", label, type: "password", required: true,
                hint:
                    "At least \(SecurityWorkflows.minimumPasswordLength) characters; a few words you remember make a good one.",
                error: errors["password"], formID: formID,
                extra: [
                    Attr("autocomplete", "new-password"),
                    Attr("minlength", "\(SecurityWorkflows.minimumPasswordLength)"),
                ])
            Layout.field(
                "password_again", "The same password again", type: "password", required: true,
                error: errors["password_again"], formID: formID, extra: [Attr("autocomplete", "new-password")])
        }
    }

    // MARK: password reset

    static func showResetRequest(_ req: Request) async throws -> Response {
        if !req.application.mailStatus.configured {
            return Pages.html(
                Layout.page(PageChrome(title: "Reset your password", section: .none)) {
                    el("div", .cls("card narrow")) {
                        el("h1") { "Reset your password" }
                        el("p") {
                            "This server sends no mail, so it cannot send you a reset link. Ask an admin of your company: they can set a password for you with `cosell user password --email you@example.com`."
                        }
                        el("p") { el("a", .href(SiteRoute.signIn())) { "Back to sign-in" } }
                    }
                })
        }
        return formPage(req) { csrf in resetRequestPage(email: "", csrf: csrf, error: nil) }
    }

    static func resetRequestPage(email: String, csrf: String, error: String?) -> Node {
        Layout.page(PageChrome(title: "Reset your password", section: .none)) {
            el("div", .cls("card narrow")) {
                el("h1") { "Reset your password" }
                el("p") { "Type the e-mail you sign in with: cosell mails you a link to choose a new password." }
                el("form", Attr("method", "post"), Attr("action", SiteRoute.passwordResetRequest)) {
                    el("input", .type("hidden"), .name(PageSession.csrfField), .value(csrf))
                    Layout.field(
                        "email", "E-mail", value: email, type: "email", required: true, error: error,
                        formID: "reset-request", extra: [Attr("autocomplete", "username")])
                    el("button", .type("submit")) { "Mail me a link" }
                }
                el("p") { el("a", .href(SiteRoute.signIn())) { "Back to sign-in" } }
            }
        }
    }

    static func requestReset(_ req: Request) async throws -> Response {
        let email = req.formValue("email") ?? ""
        guard formIsFresh(req) else {
            return formPage(req, status: .forbidden) { csrf in
                resetRequestPage(email: email, csrf: csrf, error: "The form expired; send it again.")
            }
        }
        guard req.application.mailStatus.configured else { return try await showResetRequest(req) }
        let secret = APITokens.generate()
        do {
            try await req.workflows.security.requestPasswordReset(
                email: email, tokenHash: APITokens.hash(secret), path: SiteRoute.passwordReset(secret).href,
                from: req.clientAddress)
        } catch WorkflowError.invalid(_, let message) {
            return formPage(req, status: .unprocessableEntity) { csrf in
                resetRequestPage(email: email, csrf: csrf, error: message)
            }
        }
        return Pages.html(
            Layout.page(PageChrome(title: "Check your mail", section: .none)) {
                el("div", .cls("card narrow")) {
                    el("h1") { "Check your mail" }
                    el("p", Attr("role", "status")) { SecurityAPI.resetRequestedText }
                    el("p") { el("a", .href(SiteRoute.signIn())) { "Back to sign-in" } }
                }
            })
    }

    static func unknownReset() -> Response {
        Pages.html(
            Layout.page(PageChrome(title: "Reset link not valid", section: .none)) {
                el("div", .cls("card narrow")) {
                    el("h1") { "This reset link cannot be used" }
                    el("p") { "The link is unknown, was used already, or is more than an hour old." }
                    el("p") { el("a", .href(SiteRoute.passwordResetRequest)) { "Ask for a new link" } }
                }
            }, status: .notFound)
    }

    static func showReset(_ req: Request) async throws -> Response {
        let secret = token(req)
        guard try await req.workflows.security.passwordResetIsOpen(tokenHash: APITokens.hash(secret)) else {
            return unknownReset()
        }
        return formPage(req) { csrf in resetPage(token: secret, csrf: csrf, errors: [:]) }
    }

    static func resetPage(token: String, csrf: String, errors: [String: String]) -> Node {
        Layout.page(PageChrome(title: "Choose a new password", section: .none)) {
            el("div", .cls("card narrow")) {
                el("h1") { "Choose a new password" }
                el("p") { "Saving it signs you out of cosell everywhere else." }
                Layout.formError(errors.isEmpty ? nil : "Your password was not changed: see below.")
                el("form", Attr("method", "post"), Attr("action", SiteRoute.passwordReset(token))) {
                    el("input", .type("hidden"), .name(PageSession.csrfField), .value(csrf))
                    passwordFields(errors: errors, formID: "reset", label: "New password")
                    el("button", .type("submit")) { "Save the new password" }
                }
            }
        }
    }

    static func reset(_ req: Request) async throws -> Response {
        let secret = token(req)
        let password = (try? req.content.get(String.self, at: "password")) ?? ""
        let again = (try? req.content.get(String.self, at: "password_again")) ?? ""
        var errors = formIsFresh(req) ? passwordErrors(password, again) : ["password": expiredForm]
        if errors.isEmpty {
            do {
                let person = try await req.workflows.security.resetPassword(
                    tokenHash: APITokens.hash(secret), password: password, from: req.clientAddress
                ) { try await req.hashPassword($0) }
                return try await signedIn(
                    req, email: person.email, password: password,
                    notice: "Your password is changed. You were signed out everywhere else.")
            } catch WorkflowError.invalid(let field, let message) {
                errors[field] = message
            } catch WorkflowError.notFound {
                return unknownReset()
            }
        }
        return formPage(req, status: .unprocessableEntity) { csrf in
            resetPage(token: secret, csrf: csrf, errors: errors)
        }
    }
}
