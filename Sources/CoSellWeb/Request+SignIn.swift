import CoSellDomain
import CoSellWorkflows
import Foundation
import Vapor

/// Signing in and out for the API and the pages: the web side of `SecurityWorkflows` (secrets,
/// password hashing on the thread pool, cookies, problems).
extension Request {
    /// Checks the password (with the failure limits) and opens a session, with its cookie. A refusal
    /// is a problem: 429 `rate-limited`, 401 `sign-in-failed`.
    func startSession(email: String, password: String) async throws -> (SecurityWorkflows.Session, HTTPCookies.Value) {
        let settings = application.security
        let secret = APITokens.generate()
        let policy = SecurityWorkflows.SignInPolicy(
            maxFailuresPerAccount: settings.maxFailuresPerAccount,
            maxFailuresPerAddress: settings.maxFailuresPerAddress,
            failureWindow: settings.failureWindow, sessionLifetime: settings.sessionLifetime)
        let hasher = application.passwordHashPool
        // Longer than bcrypt reads: no stored password can be it (`SecurityWorkflows.checkPassword`).
        let tooLong = password.utf8.count > SecurityWorkflows.maximumPasswordBytes
        let session: SecurityWorkflows.Session
        do {
            session = try await workflows.security.signIn(
                email: email, from: clientAddress, policy: policy,
                secrets: .init(tokenHash: APITokens.hash(secret), csrf: APITokens.generate())
            ) { hash in
                try await hasher.verify(password, against: tooLong ? nil : hash)
            }
        } catch SecurityWorkflows.SignInRefusal.tooManyFailures {
            var p = Problem(
                .tooManyRequests, type: "rate-limited", title: "Too many failed sign-ins",
                detail: "Too many failed sign-ins; wait \(Int(settings.failureWindow / 60)) minutes and try again.")
            // The window is the longest wait: the oldest counted failure may leave it sooner.
            p.retryAfter = Int(settings.failureWindow)
            throw p
        } catch SecurityWorkflows.SignInRefusal.wrongCredentials {
            throw Problem(
                .unauthorized, type: "sign-in-failed", title: "Sign-in failed",
                detail: "The e-mail or the password is wrong.")
        }
        let cookie = HTTPCookies.Value(
            string: secret, expires: session.expiresAt, maxAge: Int(settings.sessionLifetime), path: "/",
            isSecure: settings.secureCookies, isHTTPOnly: true, sameSite: .lax)
        return (session, cookie)
    }

    /// Ends the session of the request's cookie, if it has one, and returns the cookie that clears it.
    func endSession() async throws -> HTTPCookies.Value {
        if let cookie = cookies[SecuritySettings.sessionCookie]?.string {
            try await workflows.security.signOut(sessionTokenHash: APITokens.hash(cookie))
        }
        return HTTPCookies.Value(
            string: "", expires: Date(timeIntervalSince1970: 0), maxAge: 0, path: "/",
            isSecure: application.security.secureCookies, isHTTPOnly: true, sameSite: .lax)
    }

    /// A password's bcrypt hash at the server's cost, computed on the hasher's threads.
    func hashPassword(_ password: String) async throws -> String {
        try await application.passwordHashPool.hash(password)
    }
}
