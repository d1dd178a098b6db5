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
                let cleared = try await req.endSession()
                let r = try APIJSON.response(Done(done: true))
                r.cookies[SecuritySettings.sessionCookie] = cleared
                return r
            },
        ]
    }

    static func signIn(_ req: Request) async throws -> Response {
        let b = try APIJSON.decode(SignInBody.self, from: req)
        let (session, cookie) = try await req.startSession(email: b.email, password: b.password)
        let view = SessionView(person: session.person, csrfToken: session.csrfToken, expiresAt: session.expiresAt)
        let r = try APIJSON.response(view, status: .created)
        r.cookies[SecuritySettings.sessionCookie] = cookie
        return r
    }
}
