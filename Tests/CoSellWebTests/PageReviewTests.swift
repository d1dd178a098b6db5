import CoSellApp
import CoSellDomain
import CoSellTestSupport
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import CoSellWeb

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
            // Overdue moves and diagnoses name the companies, never the sides.
            #expect(page.html.contains("Quarry Data and Halyard Security · Daniel Reyes: "))
            for side in [">host · ", ">partner · ", ">both · ", ">door-opener · ", "the partner side", "the host side"]
            {
                #expect(!page.html.contains(side), "\(side)")
            }
            let markdown = try await app.call(
                .GET,
                "/api/v1/partnerships/\(ps.id.uuidString)/reviews/\(path.split(separator: "/").last ?? "")/markdown",
                token: Token.hostAdmin)
            #expect(markdown.status == .ok)
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
