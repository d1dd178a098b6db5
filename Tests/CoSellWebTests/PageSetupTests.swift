import CoSellDomain
import CoSellPersistence
import CoSellTestSupport
import Foundation
import Testing
import Vapor

@testable import CoSellWeb

/// An empty server's setup page, and each person's own password.
@Suite("Setup and password pages")
struct PageSetupTests {
    @Test("an empty server sends sign-in to setup; setup makes the company and its admin once, then is gone")
    func setup() async throws {
        try await withTestApp(.sqlite, demo: false) { app in
            let c = PageClient(app)
            let signIn = try await c.get("/sign-in")
            #expect(signIn.status == .seeOther && signIn.location == "/setup")
            let form = try await c.get("/setup")
            #expect(form.status == .ok)
            #expect(form.html.contains("This server has no organization yet"))
            // Every mistake at once; nothing is created.
            let refused = try await c.post(
                "/setup",
                [
                    "organization": "", "domain": "not a domain", "name": "Ada", "email": "ada@acme.example",
                    "password": "short", "password_again": "short",
                ])
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.html.contains("id=\"setup-password-error\""))
            #expect(try await app.store.isEmpty())
            _ = try await c.get("/setup")
            let made = try await c.post(
                "/setup",
                [
                    "organization": "Acme Analytics", "domain": "ACME.example", "name": "Ada Admin",
                    "email": "Ada@Acme.example", "password": "a long enough password",
                    "password_again": "a long enough password",
                ])
            #expect(made.status == .seeOther)
            #expect(made.location?.hasPrefix("/?notice=Acme%20Analytics%20is%20set%20up.") == true)
            let home = try await c.get("/")
            #expect(home.status == .ok && home.html.contains("Ada Admin · Acme Analytics"))
            let person = try #require(try await app.store.person(email: "ada@acme.example"))
            #expect(person.role == .admin)
            #expect(try await app.store.organization(person.organizationID)?.domain == "acme.example")
            // Gone once an organization exists.
            #expect(try await PageClient(app).get("/setup").status == .notFound)
            #expect(
                try await PageClient(app).send(.POST, "/setup", form: ["organization": "Second"]).status == .notFound)
            #expect(try await PageClient(app).get("/sign-in").status == .ok)
        }
    }

    @Test("a person changes their password with the current one; other sessions end, this one stays")
    func changePassword() async throws {
        try await withTestApp(.sqlite) { app in
            let other = PageClient(app)
            _ = try await other.signIn(People.partnerPM)
            let c = PageClient(app)
            _ = try await c.signIn(People.partnerPM)
            _ = try await c.get("/settings/password")
            let wrong = try await c.post(
                "/settings/password",
                [
                    "current_password": "not it at all", "password": "lantern by the quay",
                    "password_again": "lantern by the quay",
                ])
            #expect(wrong.status == .unprocessableEntity)
            #expect(wrong.html.contains("id=\"password-current_password-error\""))
            let done = try await c.post(
                "/settings/password",
                [
                    "current_password": "cosell-demo-password", "password": "lantern by the quay",
                    "password_again": "lantern by the quay",
                ])
            #expect(done.status == .seeOther)
            #expect(try await c.get("/").status == .ok)
            #expect(try await other.get("/").status == .seeOther)
            #expect(
                try await PageClient(app).signIn(People.partnerPM, password: "lantern by the quay").status == .seeOther)
            let audit = try await app.call(.GET, "/api/v1/audit?limit=20", token: Token.partnerAdmin)
            let kinds = ((audit["items"] as? [[String: Any]]) ?? []).compactMap { $0["kind"] as? String }
            #expect(kinds.contains("password_changed"))
        }
    }
}
