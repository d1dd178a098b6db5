import CoSellDomain
import Foundation
import Vapor

enum SignInController {
    static func register(_ app: Application) {
        app.page(.GET, .signIn(), show)
        app.page(.POST, .signIn(), submit)
        app.page(.POST, .signOut, signOut)
    }

    /// Only local paths come back after sign-in.
    static func safeNext(_ raw: String?) -> String {
        guard let raw, raw.hasPrefix("/"), !raw.hasPrefix("//"), !raw.contains("\\"), raw.count < 500 else {
            return "/"
        }
        return raw
    }

    static func show(_ req: Request) async throws -> Response {
        if try await req.pageSession() != nil {
            return Pages.seeOther(checkedPath: safeNext(try? req.query.get(String.self, at: "next")))
        }
        return form(req, email: "", next: safeNext(try? req.query.get(String.self, at: "next")), error: nil)
    }

    /// The sign-in form carries a token that must match a cookie set with it (no session exists yet).
    static func form(
        _ req: Request, email: String, next: String, error: String?, status: HTTPResponseStatus = .ok
    )
        -> Response
    {
        let csrf = APITokens.generate()
        let r = Pages.html(
            SignInView.render(SignInModel(email: email, next: next, error: error, csrf: csrf)), status: status)
        r.cookies[PageSession.signInCSRFCookie] = HTTPCookies.Value(
            string: csrf, maxAge: 3600, path: SiteRoute.signIn().href, isSecure: req.application.security.secureCookies,
            isHTTPOnly: true, sameSite: .strict)
        return r
    }

    static func submit(_ req: Request) async throws -> Response {
        let email = req.formValue("email") ?? ""
        let next = safeNext(req.formValue("next"))
        guard let sent = req.formValue(PageSession.csrfField),
            sent == req.cookies[PageSession.signInCSRFCookie]?.string
        else {
            return form(
                req, email: email, next: next, error: "The form expired; sign in again.", status: .forbidden)
        }
        guard !email.isEmpty, let password = try? req.content.get(String.self, at: "password"), !password.isEmpty
        else {
            return form(
                req, email: email, next: next, error: "Enter your e-mail and your password.", status: .badRequest)
        }
        do {
            let (_, cookie) = try await req.startSession(email: email, password: password)
            let r = Pages.seeOther(checkedPath: next)
            r.cookies[SecuritySettings.sessionCookie] = cookie
            return r
        } catch let p as Problem {
            return form(
                req, email: email, next: next, error: p.detail, status: HTTPResponseStatus(statusCode: p.status))
        }
    }

    static func signOut(_ req: Request) async throws -> Response {
        _ = try await req.requirePageSession()
        let cleared = try await req.endSession()
        let r = Pages.seeOther(SiteRoute.signIn())
        r.cookies[SecuritySettings.sessionCookie] = cleared
        return r
    }
}
