import CoSellApp
import CoSellDomain
import CoSellTestSupport
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import CoSellWeb

@Suite("Pages")
struct PageTests {
    @Test("a page without a session goes to sign-in and comes back after it", arguments: TestDatabase.all)
    func signInRoundTrip(_ db: TestDatabase) async throws {
        try await withTestApp(db) { app in
            let c = PageClient(app)
            let first = try await c.get("/deals?status=won")
            #expect(first.status == .seeOther)
            #expect(first.location == "/sign-in?next=%2Fdeals%3Fstatus%3Dwon")
            let wrong = try await c.signIn(People.hostPM, password: "not it")
            #expect(wrong.status == .unauthorized)
            #expect(wrong.html.contains("The e-mail or the password is wrong."))
            #expect(wrong.html.contains("value=\"\(People.hostPM)\""))
            _ = try await c.get("/sign-in?next=%2Fdeals")
            let ok = try await c.post(
                "/sign-in", ["email": People.hostPM, "password": "cosell-demo-password", "next": "/deals"])
            #expect(ok.status == .seeOther)
            #expect(ok.location == "/deals")
            let board = try await c.get("/deals")
            #expect(board.status == .ok)
            #expect(board.html.contains("Joint deals"))
            // An outside address is never a place to come back to.
            _ = try await c.get("/sign-in")
            #expect(SignInController.safeNext("//evil.example/", routes: app.routes.all) == "/")
            #expect(SignInController.safeNext("https://evil.example/", routes: app.routes.all) == "/")
        }
    }

    @Test("every page answers for an admin, in the reader's locale", arguments: TestDatabase.all)
    func everyPage(_ db: TestDatabase) async throws {
        try await withTestApp(db) { app in
            let c = PageClient(app)
            _ = try await c.signIn(People.hostAdmin)
            let deals = try await app.store.deals(visibleTo: DemoIDs.host, filter: .init(limit: 100)).items
            let ps = deals[0].partnershipID
            for path in [
                "/", "/deals", "/deals?status=all", "/partnerships", "/partnerships/\(ps.uuidString)", "/import",
                "/playbooks", "/playbooks/\(API.standardPlaybookID.uuidString)", "/audit",
            ] + deals.map({ "/deals/\($0.id.uuidString)" }) {
                let page = try await c.get(path)
                #expect(page.status == .ok, "\(path)")
                #expect(page.html.hasPrefix("<!doctype html>"), "\(path)")
            }
            let kestrel = try #require(deals.first { $0.title.hasPrefix("Kestrel") })
            let german = try await c.get(
                "/deals/\(kestrel.id.uuidString)", headers: ["Accept-Language": "de-DE,de;q=0.9"])
            #expect(german.html.contains("380.000,00"))
            let english = try await c.get("/deals/\(kestrel.id.uuidString)")
            #expect(english.html.contains("€380,000.00"))
        }
    }

    @Test("pages and the API hide the same deals: a seller sees only their own", arguments: TestDatabase.all)
    func sameVisibility(_ db: TestDatabase) async throws {
        try await withTestApp(db) { app in
            let c = PageClient(app)
            _ = try await c.signIn(People.hostSeller)
            let all = try await app.store.deals(visibleTo: DemoIDs.host, filter: .init(limit: 100)).items
            var seen = 0
            var hidden = 0
            for d in all {
                let page = try await c.get("/deals/\(d.id.uuidString)")
                let api = try await app.call(.GET, "/api/v1/deals/\(d.id.uuidString)", token: Token.hostSeller)
                #expect((page.status == .ok) == (api.status == .ok), "\(d.title)")
                #expect(page.status == .ok || page.status == .notFound)
                if page.status == .ok { seen += 1 } else { hidden += 1 }
            }
            #expect(seen > 0 && hidden > 0)
            // The board shows exactly the deals the API lists for the seller.
            let board = try await c.get("/deals?status=all")
            let listed = try await app.call(.GET, "/api/v1/deals?limit=200", token: Token.hostSeller)
            let titles = (listed["items"] as! [[String: Any]]).map {
                ($0["deal"] as! [String: Any])["title"] as! String
            }
            #expect(titles.count == seen)
            for d in all {
                let escaped = d.title.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(
                    of: "'", with: "&#39;")
                #expect(board.html.contains(escaped) == titles.contains(d.title), "\(d.title)")
            }
        }
    }

    @Test("a partner's person gets not found on the host's import and on the audit log", arguments: TestDatabase.all)
    func partnerNotFound(_ db: TestDatabase) async throws {
        try await withTestApp(db) { app in
            let host = PageClient(app)
            _ = try await host.signIn(People.hostPM)
            _ = try await host.get("/import")
            var headers = HTTPHeaders()
            headers.contentType = .urlEncodedForm
            let csv = "name,website,status\nZephyr Freight,zephyr.example,customer\n"
            let upload = try await uploadFile(host, csv)
            #expect(upload.status == .seeOther)
            let preview = try await host.get(upload.location!)
            #expect(preview.html.contains("generic"))
            // One row against the demo's list: the check says what it would retire, and waits for a yes.
            #expect(preview.html.contains("1 accounts in the file: 1 new, 0 already on your list of"))
            #expect(preview.html.contains("id=\"retire-warning\""))
            #expect(preview.html.contains("<td data-label=\"Name\">Zephyr Freight</td>"))
            let refused = try await host.post(upload.location! + "/confirm")
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.html.contains("Nothing was imported: confirm the retirements below"))
            let done = try await host.post(upload.location! + "/confirm", ["confirm_retirements": "yes"])
            #expect(done.status == .seeOther)
            let importPath = try #require(done.location)
            await app.backgroundJobs.drain()
            let result = try await host.get(importPath)
            #expect(result.html.contains("succeeded"))
            let partner = PageClient(app)
            _ = try await partner.signIn(People.partnerPM)
            let probe = try await partner.get(importPath)
            #expect(probe.status == .notFound)
            #expect(probe.html.contains("Not found"))
            #expect(try await partner.get(upload.location!).status == .notFound)
            let audit = try await partner.get("/audit")
            #expect(audit.status == .forbidden)
        }
    }

    @Test(
        "a form error keeps what was typed and names the field; a closed gate lists what is missing",
        arguments: TestDatabase.all)
    func formErrors(_ db: TestDatabase) async throws {
        try await withTestApp(db) { app in
            let (partnership, account) = try await freshAccount(app)
            let created = try await app.call(
                .POST, "/api/v1/deals", token: Token.hostAdmin,
                body: jsonString([
                    "partnership_id": partnership.id.uuidString, "joint_account_id": account.id.uuidString,
                    "title": "Page test deal",
                ]))
            let id = try #require((created["deal"] as? [String: Any])?["id"] as? String)
            let c = PageClient(app)
            _ = try await c.signIn(People.hostPM)
            _ = try await c.get("/deals/\(id)")
            let refused = try await c.post("/deals/\(id)/actions/advance")
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.html.contains("The exit criterion of Target account selection is not met."))
            #expect(refused.html.contains("Nobody at Halyard Security has committed to working the account."))
            let bad = try await c.post(
                "/deals/\(id)/actions/details", ["title": "Renamed", "amount": "12,5x", "currency": "EUR"])
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.html.contains("id=\"details-amount-error\""))
            #expect(bad.html.contains("value=\"12,5x\""))
            #expect(bad.html.contains("value=\"Renamed\""))
            let unchanged = try await app.store.deal(UUID(uuidString: id)!)
            #expect(unchanged?.title == "Page test deal")
            let good = try await c.post(
                "/deals/\(id)/actions/details", ["title": "Renamed", "amount": "125000", "currency": "EUR"])
            #expect(good.status == .seeOther)
            #expect(
                try await app.store.deal(UUID(uuidString: id)!)?.amount
                    == Money(minorUnits: 12_500_000, currency: Currency(code: "EUR")!))
            // The timeline records the change made on the page, with who made it.
            let timeline = try await app.store.timeline(of: UUID(uuidString: id)!)
            #expect(timeline.last?.actorName == "Daniel Reyes")
        }
    }

    @Test("a form without the session's CSRF token, or from a viewer, changes nothing", arguments: TestDatabase.all)
    func csrfAndViewer(_ db: TestDatabase) async throws {
        try await withTestApp(db) { app in
            let deal = try #require(
                try await app.store.deals(visibleTo: DemoIDs.host, filter: .init(limit: 1)).items.first)
            let c = PageClient(app)
            _ = try await c.signIn(People.hostAdmin)
            _ = try await c.get("/deals/\(deal.id.uuidString)")
            c.csrf = "forged"
            let forged = try await c.post("/deals/\(deal.id.uuidString)/actions/abandon", ["reason": "forged"])
            #expect(forged.status == .forbidden)
            let viewer = PageClient(app)
            _ = try await viewer.signIn(People.hostViewer)
            let page = try await viewer.get("/deals/\(deal.id.uuidString)")
            #expect(page.status == .ok)
            #expect(!page.html.contains("/actions/abandon"))
            let tried = try await viewer.post("/deals/\(deal.id.uuidString)/actions/abandon", ["reason": "viewer"])
            #expect(tried.status == .forbidden)
            #expect(try await app.store.deal(deal.id)?.status == deal.status)
        }
    }

    @Test("sign-out ends the session", arguments: TestDatabase.all)
    func signOut(_ db: TestDatabase) async throws {
        try await withTestApp(db) { app in
            let c = PageClient(app)
            _ = try await c.signIn(People.hostPM)
            let session = c.cookies["cosell_session"]
            #expect(try await c.get("/").status == .ok)
            let out = try await c.post("/sign-out")
            #expect(out.location == "/sign-in")
            c.cookies["cosell_session"] = session
            #expect(try await c.get("/").status == .seeOther)
        }
    }
}

/// Uploads a CSV through the import page's multipart form.
func uploadFile(_ c: PageClient, _ csv: String) async throws -> PageClient.Page {
    let boundary = "cosellboundary"
    var body = ""
    body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\n\(c.csrf ?? "")\r\n"
    body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"accounts.csv\"\r\n"
    body += "Content-Type: text/csv\r\n\r\n\(csv)\r\n--\(boundary)--\r\n"
    var headers = HTTPHeaders()
    headers.replaceOrAdd(name: .contentType, value: "multipart/form-data; boundary=\(boundary)")
    headers.replaceOrAdd(name: .cookie, value: c.cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; "))
    let res = try await c.app.testing().sendRequest(.POST, "/import", headers: headers, body: ByteBuffer(string: body))
    return PageClient.Page(
        status: res.status, html: String(buffer: res.body), location: res.headers.first(name: .location))
}
