import CoSellApp
import CoSellDomain
import CoSellPersistence
import CoSellTestSupport
import CoSellWeb
import Foundation
import Testing
import Vapor

enum Email {
    static let hostAdmin = "maya.okafor@quarrydata.example"
}

/// Makes an unrelated organization with an admin and a token.
func makeOutsider(_ app: Application, token: String = "cosell_outsider") async throws -> Organization {
    let org = Organization(id: UUID(), name: "Outsider", domain: "outsider.example", createdAt: Date())
    try await app.store.insert(org)
    let person = Person(
        id: UUID(), organizationID: org.id, name: "Olive", email: "olive@outsider.example", role: .admin)
    try await app.store.insert(person, at: Date())
    try await app.store.insertToken(
        id: UUID(), personID: person.id, name: "t", hash: APITokens.hash(token), scope: "read_write", at: Date())
    return org
}

@Suite("Sign-in, sessions, tokens, invitations, partnerships, audit")
struct SecurityAPITests {
    @Test(
        "sign in with e-mail and password; the cookie session needs the CSRF token to change anything",
        arguments: TestDatabase.all)
    func sessions(_ engine: TestDatabase) async throws {
        try await withTestApp(engine) { app in
            let bad = try await app.call(
                .POST, "/api/v1/sessions", token: nil,
                body: jsonString(["email": Email.hostAdmin, "password": "wrong-password-123"]))
            #expect(bad.status == .unauthorized)
            let r = try await app.call(
                .POST, "/api/v1/sessions", token: nil,
                body: jsonString(["email": Email.hostAdmin, "password": DemoLoader.password]))
            #expect(r.status == .created)
            let setCookie = try #require(r.headers.first(name: .setCookie))
            #expect(setCookie.contains("HttpOnly"))
            #expect(setCookie.contains("SameSite=Lax"))
            #expect(!setCookie.contains(DemoLoader.password))
            let csrf = try #require(r["csrf_token"] as? String)
            let cookie = try #require(setCookie.split(separator: ";").first.map(String.init))
            let me = try await app.call(.GET, "/api/v1/me", token: nil, headers: ["Cookie": cookie])
            #expect(me.path("person", "email") as? String == Email.hostAdmin)
            // A deal Quarry hosts: renaming is the host company's.
            let list = try await app.call(.GET, "/api/v1/deals?limit=50")
            let deal = try #require(
                (list["items"] as? [[String: Any]])?.first {
                    $0.path("deal", "host_organization_id") as? String == DemoIDs.host.uuidString
                }?.path("deal", "id") as? String)
            let noCSRF = try await app.call(
                .PATCH, "/api/v1/deals/\(deal)", token: nil, body: jsonString(["title": "X"]),
                headers: ["Cookie": cookie])
            #expect(noCSRF.status == .forbidden)
            #expect(noCSRF["type"] as? String == "https://cosell.dev/problems/csrf")
            let withCSRF = try await app.call(
                .PATCH, "/api/v1/deals/\(deal)", token: nil, body: jsonString(["title": "Renamed in the browser"]),
                headers: ["Cookie": cookie, "X-CSRF-Token": csrf])
            #expect(withCSRF.status == .ok)
            let out = try await app.call(
                .DELETE, "/api/v1/sessions/current", token: nil, headers: ["Cookie": cookie, "X-CSRF-Token": csrf])
            #expect(out.status == .ok)
            let after = try await app.call(.GET, "/api/v1/me", token: nil, headers: ["Cookie": cookie])
            #expect(after.status == .unauthorized)
            let audit = try await app.call(.GET, "/api/v1/audit")
            let kinds = ((audit["items"] as? [[String: Any]]) ?? []).compactMap { $0["kind"] as? String }
            #expect(kinds.contains("sign_in"))
            #expect(kinds.contains("sign_in_failed"))
        }
    }

    @Test("failed sign-ins are limited per account", arguments: TestDatabase.all)
    func rateLimit(_ engine: TestDatabase) async throws {
        try await withTestApp(engine) { app in
            for _ in 0..<5 {
                let r = try await app.call(
                    .POST, "/api/v1/sessions", token: nil,
                    body: jsonString(["email": Email.hostAdmin, "password": "not-the-password"]))
                #expect(r.status == .unauthorized)
            }
            let limited = try await app.call(
                .POST, "/api/v1/sessions", token: nil,
                body: jsonString(["email": Email.hostAdmin, "password": DemoLoader.password]))
            #expect(limited.status == .tooManyRequests)
            // It says how long to wait at most: the failure window.
            #expect(limited.headers.first(name: .retryAfter) == String(Int(app.security.failureWindow)))
            #expect(limited["retry_after"] == nil && limited["retryAfter"] == nil)
            // Token use is in the audit log.
            let audit = try await app.call(.GET, "/api/v1/audit?limit=200")
            #expect(((audit["items"] as? [[String: Any]]) ?? []).contains { $0["kind"] as? String == "token_used" })
            // Another account from the same address still signs in.
            let other = try await app.call(
                .POST, "/api/v1/sessions", token: nil,
                body: jsonString(["email": "sofia.lindqvist@halyardsecurity.example", "password": DemoLoader.password]))
            #expect(other.status == .created)
        }
    }

    @Test("failed sign-ins are limited per address, across accounts", arguments: TestDatabase.all)
    func rateLimitPerAddress(_ engine: TestDatabase) async throws {
        try await withTestApp(engine) { app in
            for i in 0..<20 {
                let r = try await app.call(
                    .POST, "/api/v1/sessions", token: nil,
                    body: jsonString(["email": "nobody\(i)@nowhere.example", "password": "not-the-password"]))
                #expect(r.status == .unauthorized)
            }
            let limited = try await app.call(
                .POST, "/api/v1/sessions", token: nil,
                body: jsonString(["email": Email.hostAdmin, "password": DemoLoader.password]))
            #expect(limited.status == .tooManyRequests)
            #expect(limited.contentType.hasPrefix("application/problem+json"))
        }
    }

    @Test("personal tokens: shown once, scoped, revocable, with a last-used time", arguments: TestDatabase.all)
    func tokens(_ engine: TestDatabase) async throws {
        try await withTestApp(engine) { app in
            let created = try await app.call(
                .POST, "/api/v1/tokens", body: jsonString(["name": "reporting", "scope": "read"]))
            #expect(created.status == .created)
            let secret = try #require(created["token"] as? String)
            let id = try #require(created.path("info", "id") as? String)
            #expect(try await app.call(.GET, "/api/v1/deals", token: secret).status == .ok)
            let deal = try #require(
                (try await app.call(.GET, "/api/v1/deals")).path("items", "0", "deal", "id") as? String)
            let write = try await app.call(.POST, "/api/v1/deals/\(deal)/commitment", token: secret)
            #expect(write.status == .forbidden)
            let list = try await app.call(.GET, "/api/v1/tokens")
            let info = try #require((list.json as? [[String: Any]])?.first { $0["id"] as? String == id })
            #expect(info["last_used_at"] != nil)
            #expect(info["token"] == nil)
            #expect(try await app.call(.DELETE, "/api/v1/tokens/\(id)").status == .ok)
            #expect(try await app.call(.GET, "/api/v1/deals", token: secret).status == .unauthorized)
            // Someone else's token id is not found.
            #expect(try await app.call(.DELETE, "/api/v1/tokens/\(id)", token: Token.partnerAdmin).status == .notFound)
        }
    }

    @Test("admins invite people by link; deactivated people lose sign-in and tokens", arguments: TestDatabase.all)
    func invitations(_ engine: TestDatabase) async throws {
        try await withTestApp(engine) { app in
            let org = try #require(try await app.call(.GET, "/api/v1/me").path("organization", "id") as? String)
            let seller = try await app.call(
                .POST, "/api/v1/organizations/\(org)/invitations", token: Token.hostSeller,
                body: jsonString(["email": "new@quarrydata.example", "name": "Nia New", "role": "seller"]))
            #expect(seller.status == .forbidden)
            let inv = try await app.call(
                .POST, "/api/v1/organizations/\(org)/invitations",
                body: jsonString(["email": "new@quarrydata.example", "name": "Nia New", "role": "seller"]))
            #expect(inv.status == .created)
            let secret = try #require(inv["accept_token"] as? String)
            let short = try await app.call(
                .POST, "/api/v1/invitations/accept", token: nil,
                body: jsonString(["token": secret, "password": "short"]))
            #expect(short.status == .unprocessableEntity)
            #expect(short["field"] as? String == "password")
            let accepted = try await app.call(
                .POST, "/api/v1/invitations/accept", token: nil,
                body: jsonString(["token": secret, "password": "a long enough password"]))
            #expect(accepted.status == .created)
            let personID = try #require(accepted["id"] as? String)
            let again = try await app.call(
                .POST, "/api/v1/invitations/accept", token: nil,
                body: jsonString(["token": secret, "password": "a long enough password"]))
            #expect(again.status == .notFound)
            let signIn = try await app.call(
                .POST, "/api/v1/sessions", token: nil,
                body: jsonString(["email": "new@quarrydata.example", "password": "a long enough password"]))
            #expect(signIn.status == .created)
            let off = try await app.call(.POST, "/api/v1/organizations/\(org)/people/\(personID)/deactivation")
            #expect(off.status == .ok)
            let denied = try await app.call(
                .POST, "/api/v1/sessions", token: nil,
                body: jsonString(["email": "new@quarrydata.example", "password": "a long enough password"]))
            #expect(denied.status == .unauthorized)
            // The partner's admin cannot invite into or deactivate people of this organization.
            let probe = try await app.call(
                .POST, "/api/v1/organizations/\(org)/people/\(personID)/deactivation", token: Token.partnerAdmin)
            #expect(probe.status == .notFound)
        }
    }

    @Test(
        "partnerships are dual opt-in; ending one stops sharing and ends open joint deals", arguments: TestDatabase.all)
    func partnershipLifecycle(_ engine: TestDatabase) async throws {
        try await withTestApp(engine) { app in
            _ = try await makeOutsider(app)
            let invited = try await app.call(
                .POST, "/api/v1/partnerships",
                body: jsonString(["name": "Quarry x Outsider", "partner_domain": "outsider.example"]))
            #expect(invited.status == .created)
            #expect(invited["status"] as? String == "pending")
            let id = try #require(invited["id"] as? String)
            let own = try await app.call(.POST, "/api/v1/partnerships/\(id)/acceptance")
            #expect(own.status == .conflict)
            let noData = try await app.call(.GET, "/api/v1/partnerships/\(id)/targets", token: "cosell_outsider")
            #expect(noData.status == .conflict)
            let accepted = try await app.call(.POST, "/api/v1/partnerships/\(id)/acceptance", token: "cosell_outsider")
            #expect(accepted["status"] as? String == "active")

            // End the demo partnership from the partner side.
            let demo = try #require(
                ((try await app.call(.GET, "/api/v1/partnerships")).json as? [[String: Any]])?.first {
                    $0["name"] as? String != "Quarry x Outsider"
                }?["id"] as? String)
            let openBefore = try await app.call(.GET, "/api/v1/deals?partnership_id=\(demo)&status=open&limit=200")
            #expect((openBefore["total"] as? Int ?? 0) > 0)
            let seller = try await app.call(
                .POST, "/api/v1/partnerships/\(demo)/ending", token: Token.partnerSeller,
                body: jsonString(["reason": "Strategy change"]))
            #expect(seller.status == .forbidden)
            let ended = try await app.call(
                .POST, "/api/v1/partnerships/\(demo)/ending", token: Token.partnerAdmin,
                body: jsonString(["reason": "Strategy change"]))
            #expect(ended["status"] as? String == "ended")
            let openAfter = try await app.call(.GET, "/api/v1/deals?partnership_id=\(demo)&status=open&limit=200")
            #expect(openAfter["total"] as? Int == 0)
            let endedDeals = try await app.call(.GET, "/api/v1/deals?partnership_id=\(demo)&status=ended&limit=200")
            #expect(endedDeals["total"] as? Int == openBefore["total"] as? Int)
            for token in [Token.hostAdmin, Token.partnerAdmin] {
                #expect(
                    try await app.call(.GET, "/api/v1/partnerships/\(demo)/targets", token: token).status == .conflict)
                #expect(
                    try await app.call(.GET, "/api/v1/partnerships/\(demo)/matrix", token: token).status == .conflict)
            }
            let audit = try await app.call(.GET, "/api/v1/audit")
            let kinds = ((audit["items"] as? [[String: Any]]) ?? []).compactMap { $0["kind"] as? String }
            #expect(kinds.contains("partnership_ended"))
            #expect(kinds.contains("partnership_invited"))
            #expect(kinds.contains("partnership_accepted"))
            let csv = try await app.testing().sendRequest(
                .GET, "/api/v1/audit.csv", headers: ["Authorization": "Bearer \(Token.hostAdmin)"])
            #expect(csv.status == .ok)
            #expect(csv.body.string.hasPrefix("at,kind,actor,detail,address\n"))
            #expect(csv.body.string.contains("partnership_ended"))
            #expect(try await app.call(.GET, "/api/v1/audit.csv", token: Token.hostSeller).status == .forbidden)
        }
    }

    @Test("a seller sees the joint deals they are on, not the others", arguments: TestDatabase.all)
    func sellerVisibility(_ engine: TestDatabase) async throws {
        try await withTestApp(engine) { app in
            let (partnership, account) = try await freshAccount(app)
            let created = try await app.call(
                .POST, "/api/v1/deals",
                body: jsonString([
                    "partnership_id": partnership.id.uuidString, "joint_account_id": account.id.uuidString,
                    "title": "Admins only",
                ]))
            let id = try #require(created.path("deal", "id") as? String)
            #expect(try await app.call(.GET, "/api/v1/deals/\(id)", token: Token.hostSeller).status == .notFound)
            let list = try await app.call(.GET, "/api/v1/deals?limit=200", token: Token.hostSeller)
            let ids = ((list["items"] as? [[String: Any]]) ?? []).compactMap {
                ($0["deal"] as? [String: Any])?["id"] as? String
            }
            #expect(!ids.contains(id))
            #expect(!ids.isEmpty)
            #expect(list["total"] as? Int == ids.count)
            // Once the seller owns a move, the deal is theirs to see.
            let me = try #require(
                try await app.call(.GET, "/api/v1/me", token: Token.hostSeller).path("person", "id") as? String)
            let move = try #require(created.path("deal", "moves", "1", "id") as? String)
            let assigned = try await app.call(
                .PATCH, "/api/v1/deals/\(id)/moves/\(move)", body: jsonString(["owner_id": me]))
            #expect(assigned.status == .ok)
            #expect(try await app.call(.GET, "/api/v1/deals/\(id)", token: Token.hostSeller).status == .ok)
        }
    }
}

@Suite("Sessions across two server instances on one PostgreSQL")
struct SharedSessionTests {
    @Test(.enabled(if: ProcessInfo.processInfo.environment["COSELL_TEST_POSTGRES_URL"] != nil, "needs PostgreSQL"))
    func sessionWorksOnTheOtherInstance() async throws {
        let base = try #require(ProcessInfo.processInfo.environment["COSELL_TEST_POSTGRES_URL"])
        try await withTestApp(.postgres(base)) { first in
            // A second application, built the same way, on the same database.
            let second = try await Application.make(.testing)
            do {
                let dbURL = try #require(CurrentDatabase.url(of: first))
                try CoSellApp.configure(
                    second, CoSellConfig(database: .postgres(dbURL), loadDemo: false, security: testSecurity))
                let signIn = try await first.call(
                    .POST, "/api/v1/sessions", token: nil,
                    body: jsonString(["email": Email.hostAdmin, "password": DemoLoader.password]))
                #expect(signIn.status == .created)
                let cookie = try #require(
                    signIn.headers.first(name: .setCookie)?.split(separator: ";").first.map(String.init))
                let csrf = try #require(signIn["csrf_token"] as? String)
                let me = try await second.call(.GET, "/api/v1/me", token: nil, headers: ["Cookie": cookie])
                #expect(me.path("person", "email") as? String == Email.hostAdmin)
                // Signing out on the second instance ends the session on the first.
                let out = try await second.call(
                    .DELETE, "/api/v1/sessions/current", token: nil, headers: ["Cookie": cookie, "X-CSRF-Token": csrf])
                #expect(out.status == .ok)
                #expect(
                    try await first.call(.GET, "/api/v1/me", token: nil, headers: ["Cookie": cookie]).status
                        == .unauthorized)
            } catch {
                try? await second.asyncShutdown()
                throw error
            }
            try await second.asyncShutdown()
        }
    }
}
