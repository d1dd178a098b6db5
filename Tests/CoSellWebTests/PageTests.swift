import CoSellApp
import CoSellDomain
import CoSellTestSupport
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import CoSellWeb

/// A browser stand-in for page tests: keeps the cookies and reads the CSRF token off each page.
final class PageClient {
    let app: Application
    var cookies: [String: String] = [:]
    var csrf: String? = nil

    init(_ app: Application) { self.app = app }

    struct Page {
        var status: HTTPStatus
        var html: String
        var location: String?
    }

    func send(
        _ method: HTTPMethod, _ path: String, form: [String: String]? = nil, headers extra: HTTPHeaders = [:]
    ) async throws -> Page {
        var headers = extra
        if !cookies.isEmpty {
            headers.replaceOrAdd(name: .cookie, value: cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; "))
        }
        var body: ByteBuffer? = nil
        if let form {
            headers.contentType = .urlEncodedForm
            body = ByteBuffer(string: form.map { "\($0.key)=\(formEncode($0.value))" }.joined(separator: "&"))
        }
        let res = try await app.testing().sendRequest(method, path, headers: headers, body: body)
        for raw in res.headers[.setCookie] {
            let pair = raw.split(separator: ";")[0].split(separator: "=", maxSplits: 1)
            if pair.count == 2 { cookies[String(pair[0])] = String(pair[1]) }
            if pair.count == 1 || pair[1].isEmpty { cookies.removeValue(forKey: String(pair[0])) }
        }
        let html = String(buffer: res.body)
        if let r = html.range(of: #"name="csrf_token" value="[^"]+""#, options: .regularExpression) {
            csrf = String(html[r].split(separator: "\"")[3])
        }
        return Page(status: res.status, html: html, location: res.headers.first(name: .location))
    }

    func get(_ path: String, headers: HTTPHeaders = [:]) async throws -> Page {
        try await send(.GET, path, headers: headers)
    }

    /// Posts a form with the CSRF token of the last page seen.
    func post(_ path: String, _ form: [String: String] = [:]) async throws -> Page {
        var f = form
        if let csrf { f["csrf_token"] = csrf }
        return try await send(.POST, path, form: f)
    }

    func signIn(_ email: String, password: String = "cosell-demo-password") async throws -> Page {
        _ = try await get("/sign-in")
        return try await post("/sign-in", ["email": email, "password": password, "next": "/"])
    }

    func formEncode(_ s: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return s.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
    }
}

enum People {
    static let hostAdmin = "maya.okafor@quarrydata.example"
    static let hostPM = "daniel.reyes@quarrydata.example"
    static let hostSeller = "priya.natarajan@quarrydata.example"
    static let hostViewer = "grace.kim@quarrydata.example"
    static let partnerPM = "marcus.chen@halyardsecurity.example"
}

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
            #expect(SignInController.safeNext("//evil.example/") == "/")
            #expect(SignInController.safeNext("https://evil.example/") == "/")
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
            let done = try await host.post(upload.location! + "/confirm")
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
            #expect(refused.html.contains("Nobody on the partner side has committed to working the account."))
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

enum DemoIDs {
    static let host = UUID(uuidString: "00000000-0000-4000-8000-000000000001")!
}

@Suite("Pages: playbooks and lost deals")
struct PagePlaybookTests {
    @Test(
        "an admin copies the standard playbook and edits it into a new version; a bad value keeps the form",
        arguments: TestDatabase.all)
    func editPlaybook(_ db: TestDatabase) async throws {
        try await withTestApp(db) { app in
            let c = PageClient(app)
            _ = try await c.signIn(People.hostAdmin)
            let standard = try await c.get("/playbooks/\(API.standardPlaybookID.uuidString)")
            #expect(standard.html.contains("Make our own copy to edit"))
            #expect(!standard.html.contains("/edit\""))
            let copied = try await c.post(
                "/playbooks/\(API.standardPlaybookID.uuidString)/copy", ["name": "Quarry playbook"])
            #expect(copied.status == .seeOther)
            let editPath = try #require(copied.location?.split(separator: "?").first.map(String.init))
            let form = try await c.get(editPath)
            #expect(form.status == .ok)
            // Send the form back as shown, with one bad and one changed value.
            var fields: [String: String] = [:]
            for m in form.html.matches(
                of: #/<input id="pb-([a-z_0-9]+)" name="([a-z_0-9]+)" type="[a-z]+" value="([^"]*)"/#)
            {
                fields[String(m.output.2)] = String(m.output.3)
            }
            for m in form.html.matches(
                of: #/<textarea id="pb-[a-z_0-9]+" name="([a-z_0-9]+)" rows="\d+"[^>]*>([^<]*)</textarea>/#)
            {
                fields[String(m.output.1)] = String(m.output.2).replacingOccurrences(of: "&#39;", with: "'")
                    .replacingOccurrences(of: "&amp;", with: "&")
            }
            #expect(fields["stage_0_stall_limit_days"] == "14")
            fields["stage_0_stall_limit_days"] = "0"
            fields["stage_1_name"] = "The warm introduction"
            let refused = try await c.post(editPath, fields)
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.html.contains("id=\"pb-stage_0_stall_limit_days-error\""))
            #expect(refused.html.contains("The warm introduction"))
            fields["stage_0_stall_limit_days"] = "10"
            let saved = try await c.post(editPath, fields)
            #expect(saved.status == .seeOther)
            let id = try #require(UUID(uuidString: String(editPath.split(separator: "/")[1])))
            let versions = try await app.store.playbookVersions(id)
            #expect(versions.map(\.version) == [1, 2])
            #expect(versions[1].stages[0].stallLimitDays == 10)
            #expect(versions[1].stages[1].name == "The warm introduction")
            #expect(versions[1].stages[0].moves == versions[0].stages[0].moves)
            // A partner's admin reads it (the partner sees its playbooks) but cannot edit it.
            let partner = PageClient(app)
            _ = try await partner.signIn("sofia.lindqvist@halyardsecurity.example")
            #expect(try await partner.get(editPath).status == .forbidden)
        }
    }

    @Test("a deal lost early is reviewed and completed from its page", arguments: TestDatabase.all)
    func lostEarly(_ db: TestDatabase) async throws {
        try await withTestApp(db) { app in
            let (partnership, account) = try await freshAccount(app)
            let created = try await app.call(
                .POST, "/api/v1/deals", token: Token.hostAdmin,
                body: jsonString([
                    "partnership_id": partnership.id.uuidString, "joint_account_id": account.id.uuidString,
                    "title": "Lost early",
                ]))
            let id = try #require((created["deal"] as? [String: Any])?["id"] as? String)
            let c = PageClient(app)
            _ = try await c.signIn(People.hostPM)
            _ = try await c.get("/deals/\(id)")
            let today = LocalDate(Date()).description
            let lost = try await c.post(
                "/deals/\(id)/actions/lost",
                [
                    "result": "lost", "final_amount": "0", "currency": "EUR", "close_date": today,
                    "loss_reason": "No budget",
                ])
            #expect(lost.status == .seeOther)
            let page = try await c.get("/deals/\(id)")
            #expect(page.html.contains("Complete the lost deal"))
            let reviewed = try await c.post(
                "/deals/\(id)/actions/review",
                [
                    "held_on": today, "attendees": "Daniel Reyes", "lesson_stage_1": "target_account_selection",
                    "lesson_text_1": "Check the budget before picking the account.",
                ])
            #expect(reviewed.status == .seeOther)
            #expect(try await c.post("/deals/\(id)/actions/advance").status == .seeOther)
            let deal = try #require(try await app.store.deal(UUID(uuidString: id)!))
            #expect(deal.status == .lost && deal.completedAt != nil)
        }
    }

    @Test(
        "an unknown page answers an HTML not-found page to a browser, JSON to the API", arguments: [TestDatabase.sqlite]
    )
    func unknownPage(_ db: TestDatabase) async throws {
        try await withTestApp(db) { app in
            let html = try await app.testing().sendRequest(.GET, "/no-such-page", headers: ["Accept": "text/html"])
            #expect(html.status == .notFound)
            #expect(html.headers.contentType == .html)
            #expect(String(buffer: html.body).contains("Not found"))
            let api = try await app.call(.GET, "/api/v1/no-such-thing")
            #expect(api.status == .notFound)
            #expect(api.contentType == "application/problem+json")
        }
    }
}

@Suite("Pages: weekly review and lessons")
struct PageReviewTests {
    @Test(
        "the weekly review page shows the week and records attendees and decisions; a bad line keeps the form",
        arguments: TestDatabase.all)
    func weeklyReview(_ db: TestDatabase) async throws {
        try await withTestApp(db) { app in
            let c = PageClient(app)
            _ = try await c.signIn(People.hostPM)
            let ps = try #require(try await app.store.partnerships(of: DemoIDs.host).first)
            let current = try await c.get("/partnerships/\(ps.id.uuidString)/review")
            #expect(current.status == .seeOther)
            let path = try #require(current.location)
            let page = try await c.get(path)
            #expect(page.status == .ok)
            #expect(page.html.contains("Weekly co-sell deal review"))
            #expect(page.html.contains("Stalled deals"))
            let bad = try await c.post(
                path, ["attendees": "Daniel Reyes\nMarcus Chen", "decisions": "Merge the briefs | Nobody Known"])
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.html.contains("Line 1: &quot;Nobody Known&quot; is not a person of either company."))
            #expect(bad.html.contains("Merge the briefs | Nobody Known"))
            let good = try await c.post(
                path,
                ["attendees": "Daniel Reyes\nMarcus Chen", "decisions": "Merge the briefs | Marcus Chen | 2030-01-10"])
            #expect(good.status == .seeOther)
            let week = try #require(path.split(separator: "/").last.map(String.init))
            let api = try await app.call(
                .GET, "/api/v1/partnerships/\(ps.id.uuidString)/reviews/\(week)", token: Token.partnerAdmin)
            let record = try #require(api["record"] as? [String: Any])
            #expect(record["attendees"] as? [String] == ["Daniel Reyes", "Marcus Chen"])
            #expect(((record["decisions"] as? [[String: Any]])?.first?["owner_name"] as? String) == "Marcus Chen")
        }
    }

    @Test(
        "the weekly review page pages its long lists, with links to the next and previous page",
        arguments: TestDatabase.all)
    func reviewPaging(_ db: TestDatabase) async throws {
        try await withTestApp(db) { app in
            let c = PageClient(app)
            _ = try await c.signIn(People.hostPM)
            let ps = try #require(try await app.store.partnerships(of: DemoIDs.host).first)
            let path = "/partnerships/\(ps.id.uuidString)/reviews/\(ISOWeek(containing: Date()))"
            let whole = try await c.get(path)
            #expect(!whole.html.contains("rel=\"next\""))
            let cards = whole.html.components(separatedBy: "<div class=\"card\">").count - 1
            #expect(cards >= 2)
            let first = try await c.get(path + "?limit=1")
            #expect(first.status == .ok)
            #expect(first.html.components(separatedBy: "<div class=\"card\">").count - 1 == 1)
            #expect(first.html.contains("href=\"\(path)?limit=1&amp;offset=1\" rel=\"next\""))
            #expect(!first.html.contains("rel=\"prev\""))
            let last = try await c.get(path + "?limit=1&offset=\(cards - 1)")
            #expect(last.html.contains("rel=\"prev\""))
            let beyond = try await c.get(path + "?limit=1&offset=\(cards + 500)")
            #expect(beyond.html.contains("None on this page (\(cards) in all)."))
            let bad = try await c.get(path + "?limit=0")
            #expect(bad.status == .unprocessableEntity)
        }
    }

    @Test(
        "the lesson library is searchable, and a lesson is marked applied from the deal page",
        arguments: TestDatabase.all)
    func lessons(_ db: TestDatabase) async throws {
        try await withTestApp(db) { app in
            let c = PageClient(app)
            _ = try await c.signIn(People.hostPM)
            let library = try await c.get("/lessons")
            #expect(library.status == .ok)
            let total = try #require(
                library.html.firstMatch(of: #/(\d+) lessons?, most applied/#).map { Int($0.output.1)! })
            #expect(total > 0)
            let none = try await c.get("/lessons?q=zzzz-no-such-words")
            #expect(none.html.contains("0 lessons"))
            // An open deal at the stage of a library lesson (from another deal) is offered it, and can apply it.
            let lessons = try await app.call(.GET, "/api/v1/lessons?limit=200", token: Token.hostAdmin)
            let playbook = try #require(try await app.store.playbook(API.standardPlaybookID))
            let open = try await app.store.deals(visibleTo: DemoIDs.host, filter: .init(status: .open, limit: 100))
                .items
            var pick: (deal: String, lesson: String)? = nil
            for l in (lessons["items"] as? [[String: Any]]) ?? [] {
                let stage = l["stage"] as? String ?? l["stage_key"] as? String
                if let d = open.first(where: {
                    playbook.stages[$0.stageIndex].key == stage && $0.id.uuidString != (l["deal_id"] as? String)
                }) {
                    pick = (d.id.uuidString, l["id"] as! String)
                    break
                }
            }
            let (id, lessonID) = try #require(pick)
            let suggested = try await app.call(.GET, "/api/v1/deals/\(id)/lessons", token: Token.hostAdmin)
            #expect(((suggested["items"] as? [[String: Any]]) ?? []).contains { $0["id"] as? String == lessonID })
            let page = try await c.get("/deals/\(id)")
            #expect(page.html.contains("Mark applied"))
            let applied = try await c.post("/deals/\(id)/actions/apply-lesson", ["lesson_id": lessonID])
            #expect(applied.status == .seeOther)
            let after = try await c.get("/deals/\(id)")
            #expect(after.html.contains("applied on this deal"))
            let again = try await c.post("/deals/\(id)/actions/apply-lesson", ["lesson_id": lessonID])
            #expect(again.status == .conflict)
        }
    }
}

@Suite("Pages: partner revenue and exchange rates")
struct PageRevenueTests {
    /// The page's "Total: …." line.
    static func total(_ html: String) -> String? {
        html.firstMatch(of: #/Total: ([^<]+)\.</p>/#).map { String($0.output.1) }
    }

    static func formatted(_ answer: Answer) throws -> String {
        let amount = try #require(answer.path("total", "amount") as? String)
        let currency = try #require(Currency(code: answer["reporting_currency"] as? String ?? ""))
        return DisplayFormat(localeIdentifier: "en-US").format(try Money(amount: amount, currency: currency))
    }

    @Test(
        "the revenue page shows the API's report for the same person, with its chart, links and left-out deals",
        arguments: TestDatabase.all)
    func revenue(_ db: TestDatabase) async throws {
        try await withTestApp(db) { app in
            let c = PageClient(app)
            _ = try await c.signIn(People.hostAdmin)
            let partnerships = try await c.get("/partnerships")
            #expect(partnerships.html.contains("href=\"/reports/revenue\""))
            // Without a currency: that of the most recently uploaded table (the demo host's is USD).
            let page = try await c.get("/reports/revenue")
            #expect(page.status == .ok)
            #expect(page.html.contains("Revenue in USD"))
            #expect(page.html.contains("<svg"))
            #expect(page.html.contains("href=\"/api/v1/reports/revenue.csv?currency=USD\""))
            let api = try await app.call(.GET, "/api/v1/reports/revenue?currency=USD")
            #expect(Self.total(page.html) == (try Self.formatted(api)))
            let partnerNames = ((api["organizations"] as? [[String: Any]]) ?? []).compactMap { $0["name"] as? String }
            #expect(!partnerNames.isEmpty)
            for name in partnerNames { #expect(page.html.contains(name)) }
            let unattributed = (api["unattributed"] as? [[String: Any]]) ?? []
            #expect(page.html.contains("Wins without a registration (\(unattributed.count))"))
            for w in unattributed { #expect(page.html.contains("/deals/\(w["deal_id"] as? String ?? "-")")) }

            // Into yen nothing converts: every registered win is listed with its reason, none dropped.
            let yenAPI = try await app.call(.GET, "/api/v1/reports/revenue?currency=JPY")
            let unconverted = try #require(yenAPI["unconverted"] as? [[String: Any]])
            #expect(!unconverted.isEmpty)
            let yen = try await c.get("/reports/revenue?currency=jpy&from=2000-01-01")
            #expect(yen.status == .ok)
            #expect(yen.html.contains("Registered wins not converted (\(unconverted.count))"))
            #expect(yen.html.contains("rate into JPY on or before"))
            #expect(yen.html.contains("No registered won deal converts into JPY."))
            #expect(yen.html.contains("href=\"/api/v1/reports/revenue?currency=JPY&amp;from=2000-01-01\""))

            // A refused filter: the message beside its field, what was typed kept, no report.
            let bad = try await c.get("/reports/revenue?currency=XYZ&from=2026-02-30")
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.html.contains("id=\"revenue-currency-error\""))
            #expect(bad.html.contains("id=\"revenue-from-error\""))
            #expect(bad.html.contains("value=\"XYZ\""))
            #expect(bad.html.contains("value=\"2026-02-30\""))
            #expect(!bad.html.contains("<svg"))
            let backwards = try await c.get("/reports/revenue?currency=USD&from=2026-05-01&to=2026-04-01")
            #expect(backwards.status == .unprocessableEntity)
            #expect(backwards.html.contains("id=\"revenue-to-error\""))

            // A seller's page holds what the API gives the seller: the same loader and visibility.
            let seller = PageClient(app)
            _ = try await seller.signIn(People.hostSeller)
            let sellerPage = try await seller.get("/reports/revenue?currency=USD")
            let sellerAPI = try await app.call(.GET, "/api/v1/reports/revenue?currency=USD", token: Token.hostSeller)
            if sellerAPI.path("total", "amount") != nil {
                #expect(Self.total(sellerPage.html) == (try Self.formatted(sellerAPI)))
            }
            #expect(
                sellerPage.html.contains(
                    "Wins without a registration (\(((sellerAPI["unattributed"] as? [Any]) ?? []).count))"))
            // The partner organization's page is in its own reporting currency.
            let partner = PageClient(app)
            _ = try await partner.signIn(People.partnerPM)
            #expect(try await partner.get("/reports/revenue").html.contains("Revenue in EUR"))
        }
    }

    static func multipart(_ fields: [(name: String, filename: String?, value: String)]) -> (String, String) {
        let boundary = "cosell-test-boundary"
        var body = ""
        for f in fields {
            body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(f.name)\""
            if let name = f.filename { body += "; filename=\"\(name)\"\r\nContent-Type: text/csv" }
            body += "\r\n\r\n\(f.value)\r\n"
        }
        body += "--\(boundary)--\r\n"
        return ("multipart/form-data; boundary=\(boundary)", body)
    }

    @Test(
        "an admin uploads exchange rates from the page; a bad line keeps the form; others may not",
        arguments: TestDatabase.all)
    func exchangeRates(_ db: TestDatabase) async throws {
        try await withTestApp(db) { app in
            let c = PageClient(app)
            _ = try await c.signIn(People.hostAdmin)
            let page = try await c.get("/exchange-rates")
            #expect(page.status == .ok)
            #expect(page.html.contains("Upload a table"))
            #expect(page.html.contains("href=\"/reports/revenue?currency=USD\""))

            let bad = try await c.post(
                "/exchange-rates",
                ["reporting_currency": "eur", "csv": "date,currency,rate_to_reporting\n2026-13-02,USD,0.91"])
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.html.contains("id=\"rates-csv-error\""))
            #expect(bad.html.contains("Line 2: "))
            #expect(bad.html.contains("value=\"EUR\""))
            #expect(bad.html.contains("2026-13-02,USD,0.91</textarea>"))
            let noCurrency = try await c.post("/exchange-rates", ["reporting_currency": "EURO", "csv": "x"])
            #expect(noCurrency.status == .unprocessableEntity)
            #expect(noCurrency.html.contains("id=\"rates-reporting_currency-error\""))
            let before = try await app.call(.GET, "/api/v1/exchange-rates?reporting_currency=EUR")
            #expect((before.json as? [Any])?.isEmpty == true)

            // The browser sends the file as multipart/form-data.
            let csrf = try #require(c.csrf)
            let (type, body) = Self.multipart([
                ("csrf_token", nil, csrf), ("reporting_currency", nil, "EUR"),
                ("file", "rates.csv", "date,currency,rate_to_reporting\n2026-01-02,USD,0.91\n2026-01-02,GBP,1.16\n"),
                ("csv", nil, ""),
            ])
            let res = try await app.testing().sendRequest(
                .POST, "/exchange-rates",
                headers: [
                    "Content-Type": type,
                    "Cookie": c.cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; "),
                ], body: ByteBuffer(string: body))
            #expect(res.status == .seeOther)
            let after = try await app.call(.GET, "/api/v1/exchange-rates?reporting_currency=EUR")
            #expect((after.json as? [[String: Any]])?.first?["entry_count"] as? Int == 2)
            let listed = try await c.get("/exchange-rates")
            #expect(listed.html.contains("href=\"/reports/revenue?currency=EUR\""))
            let audit = try await app.call(.GET, "/api/v1/audit?limit=5")
            #expect(
                ((audit["items"] as? [[String: Any]]) ?? []).contains {
                    $0["kind"] as? String == "exchange_rates_uploaded"
                }
            )

            // A seller reads the tables but has no form, and a post is refused.
            let seller = PageClient(app)
            _ = try await seller.signIn(People.hostSeller)
            let sellerPage = try await seller.get("/exchange-rates")
            #expect(sellerPage.status == .ok)
            #expect(!sellerPage.html.contains("Upload a table"))
            let refused = try await seller.post(
                "/exchange-rates", ["reporting_currency": "EUR", "csv": "date,currency,rate_to_reporting\n"])
            #expect(refused.status == .forbidden)
        }
    }
}
