import CoSellDomain
import Foundation
import Vapor

extension SecurityAPI {
    struct SignInBody: Decodable {
        var email: String
        var password: String
    }

    struct SessionView: Encodable {
        var person: Person
        var csrfToken: String
        var expiresAt: Date
    }

    /// Signing in (a session cookie) and out.
    static func sessionOperations() -> [APIOperation] {
        [
            APIOperation(
                .POST, "/api/v1/sessions", id: "signIn",
                summary: "Sign in with e-mail and password; sets the session cookie",
                tag: "people",
                body: .object(
                    [
                        ("email", .string(minLength: 3, maxLength: 200)),
                        ("password", .string(minLength: 1, maxLength: 200)),
                    ], required: ["email", "password"]),
                status: 201, response: .ref("Session"), authenticated: false
            ) { req in try await signIn(req) },
            APIOperation(
                .DELETE, "/api/v1/sessions/current", id: "signOut", summary: "Sign out: ends the session",
                tag: "people",
                response: .object([("done", .boolean)], required: ["done"])
            ) { req in
                _ = try await req.principal()
                if let cookie = req.cookies[SecuritySettings.sessionCookie]?.string {
                    try await req.store.deleteSession(tokenHash: APITokens.hash(cookie))
                }
                let r = try APIJSON.response(Done(done: true))
                r.cookies[SecuritySettings.sessionCookie] = HTTPCookies.Value(
                    string: "", expires: Date(timeIntervalSince1970: 0), maxAge: 0, path: "/",
                    isSecure: req.application.security.secureCookies,
                    isHTTPOnly: true, sameSite: .lax)
                return r
            },
        ]
    }

    static func checkPassword(_ password: String) throws {
        guard password.count >= SecuritySettings.minimumPasswordLength else {
            throw Problem.invalid(
                "password", "The password must be at least \(SecuritySettings.minimumPasswordLength) characters.")
        }
        guard password.count <= 200 else {
            throw Problem.invalid("password", "The password must be at most 200 characters.")
        }
    }

    static func hashPassword(_ password: String, _ req: Request) async throws -> String {
        let cost = req.application.security.bcryptCost
        return try await req.application.threadPool.runIfActive { try Bcrypt.hash(password, cost: cost) }
    }

    static func signIn(_ req: Request) async throws -> Response {
        let b = try APIJSON.decode(SignInBody.self, from: req)
        let (view, cookie) = try await startSession(req, email: b.email, password: b.password)
        let r = try APIJSON.response(view, status: .created)
        r.cookies[SecuritySettings.sessionCookie] = cookie
        return r
    }

    /// Checks the password (with the failure limits) and opens a session: the one sign-in for the API
    /// and the sign-in page.
    static func startSession(
        _ req: Request, email rawEmail: String, password: String
    ) async throws -> (SessionView, HTTPCookies.Value) {
        let email = rawEmail.trimmingCharacters(in: .whitespaces).lowercased()
        let settings = req.application.security
        let now = Date()
        let failures = try await req.store.signInFailures(
            email: email, address: req.clientAddress, since: now.addingTimeInterval(-settings.failureWindow))
        if failures.account >= settings.maxFailuresPerAccount || failures.address >= settings.maxFailuresPerAddress {
            let r = Problem(
                .tooManyRequests, type: "rate-limited", title: "Too many failed sign-ins",
                detail: "Too many failed sign-ins; wait \(Int(settings.failureWindow / 60)) minutes and try again.")
            throw r
        }
        let found = try await req.store.credentials(email: email)
        var ok = false
        if let (person, hash) = found, person.deactivatedAt == nil {
            ok =
                (try? await req.application.threadPool.runIfActive { try Bcrypt.verify(password, created: hash) })
                ?? false
        }
        guard ok, let (person, _) = found else {
            try await req.store.recordSignInFailure(email: email, address: req.clientAddress, at: now)
            let org = try await req.store.person(email: email)?.organizationID
            await req.audit("sign_in_failed", "Failed sign-in for \(email).", organizationID: org, actor: nil)
            throw Problem(
                .unauthorized, type: "sign-in-failed", title: "Sign-in failed",
                detail: "The e-mail or the password is wrong.")
        }
        let secret = APITokens.generate()
        let csrf = APITokens.generate()
        let expires = now.addingTimeInterval(settings.sessionLifetime)
        try await req.store.createSession(
            tokenHash: APITokens.hash(secret), personID: person.id, csrf: csrf, at: now, expiresAt: expires)
        await req.audit("sign_in", "\(person.name) signed in.", organizationID: person.organizationID, actor: person)
        let cookie = HTTPCookies.Value(
            string: secret, expires: expires, maxAge: Int(settings.sessionLifetime), path: "/",
            isSecure: settings.secureCookies,
            isHTTPOnly: true, sameSite: .lax)
        return (SessionView(person: person, csrfToken: csrf, expiresAt: expires), cookie)
    }
}
