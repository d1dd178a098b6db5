import CoSellDomain
import Foundation
import Vapor

enum SignInController {
    static func register(_ app: Application) {
        app.page(.GET, .signIn(), show)
        app.page(.POST, .signIn(), submit)
        app.page(.POST, .signOut, signOut)
    }

    /// Where to go after sign-in: `raw` when it is a page of this application (a path matching one of
    /// its `GET` page routes, with an optional query of plain characters), otherwise `/`. A control
    /// character, a space, a backslash, an empty or dot segment, a scheme or a second slash at the
    /// start (`//evil.example`, `/\t/evil.example`), the API and the sign-in page itself go to `/`:
    /// what comes back is written into a `Location` header.
    static func safeNext(_ raw: String?, routes: [Route]) -> String {
        guard let raw, raw.hasPrefix("/"), raw.utf8.count <= 500,
            raw.unicodeScalars.allSatisfy({
                (0x21...0x7E).contains($0.value) && !"\\\"<>`{}|^#".unicodeScalars.contains($0)
            })
        else { return "/" }
        let parts = raw.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        let path = parts[0]
        var segments = path.split(separator: "/", omittingEmptySubsequences: false).dropFirst().map(String.init)
        if segments == [""] { segments = [] }
        guard !segments.contains(where: { $0.isEmpty || $0 == "." || $0 == ".." }),
            segments.first != "api", segments != ["sign-in"], segments != ["sign-out"]
        else { return "/" }
        let known = routes.contains { route in
            route.method == .GET && matches(route.path, segments)
        }
        return known ? raw : "/"
    }

    static func safeNext(_ raw: String?, on req: Request) -> String {
        safeNext(raw, routes: req.application.routes.all)
    }

    /// Whether the segments of a path fill a route's components.
    static func matches(_ components: [PathComponent], _ segments: [String]) -> Bool {
        var i = 0
        for c in components {
            switch c {
            case .catchall: return i < segments.count
            case .anything, .parameter:
                guard i < segments.count else { return false }
            case .constant(let word):
                guard i < segments.count, segments[i] == word else { return false }
            }
            i += 1
        }
        return i == segments.count
    }

    static func show(_ req: Request) async throws -> Response {
        // An empty server has nobody to sign in: its setup page comes first.
        if try await req.store.isEmpty() { return Pages.seeOther(SiteRoute.setup) }
        let next = safeNext(try? req.query.get(String.self, at: "next"), on: req)
        if try await req.pageSession() != nil {
            return Pages.seeOther(checkedPath: next)
        }
        return form(req, email: "", next: next, error: nil)
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
        let next = safeNext(req.formValue("next"), on: req)
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
