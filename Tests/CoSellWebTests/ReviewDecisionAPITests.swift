import CoSellApp
import CoSellDomain
import CoSellPersistence
import CoSellTestSupport
import CoSellWeb
import Foundation
import Testing
import Vapor

/// The weekly review's decisions over the API and the pages: carried to the next week, checked off
/// there, and a next action of their owner until then; the review's agenda, room and named accounts.
@Suite("Weekly review decisions over the API and the pages")
struct ReviewDecisionAPITests {
    @Test(
        "the demo's review carries last week's decisions; one is checked off over the API, refused with the field named otherwise",
        arguments: TestDatabase.all)
    func checkOff(_ engine: TestDatabase) async throws {
        try await withTestApp(engine) { app in
            let ps = try #require(try await app.store.partnerships(of: DemoIDs.host).first).id.uuidString
            let week = ISOWeek(containing: Date())
            let base = "/api/v1/partnerships/\(ps)/reviews"
            let r = try await app.call(.GET, "\(base)/\(week)")
            #expect(r.status == .ok)
            let previous = try #require(r["previous_decisions"] as? [[String: Any]])
            #expect(previous.count == 3)
            #expect(previous.compactMap { $0["status"] as? String }.sorted() == ["done", "open", "open"])
            let carried = try #require(r["carried_decisions"] as? [[String: Any]])
            #expect(carried.count == 1)
            #expect(carried.first?["week"] as? String == week.previous.previous.description)
            let agenda = try #require(r["agenda"] as? [[String: Any]])
            #expect(agenda.last?["topic"] as? String == "wrap_up")
            #expect(agenda.contains { $0["topic"] as? String == "decisions" && $0["count"] as? Int == 3 })
            #expect(agenda.compactMap { $0["minutes"] as? Int }.reduce(0, +) <= 30)
            let room = try #require(r["in_the_room"] as? [[String: Any]])
            #expect(!room.isEmpty)
            #expect(room.allSatisfy { ($0["gates"] as? [Any]) != nil && ($0["late_moves"] as? [Any]) != nil })
            let named = try #require(r["named_accounts"] as? [[String: Any]])
            #expect(!named.isEmpty)

            let open = try #require(
                previous.first { $0["status"] as? String == "open" && $0["owner_name"] as? String == "Marcus Chen" })
            let id = try #require(open["id"] as? String)
            let path = "\(base)/\(week.previous)/decisions/\(id)"
            let bad = try await app.call(.PUT, path, body: #"{"status": "finished"}"#)
            #expect(bad.status == .unprocessableEntity)
            #expect(bad["field"] as? String == "status")
            #expect(
                try await app.call(.PUT, path, token: Token.hostViewer, body: #"{"status": "done"}"#).status
                    == .forbidden)
            #expect(
                try await app.call(.PUT, "\(base)/\(week.previous)/decisions/\(UUID())", body: #"{"status": "done"}"#)
                    .status == .notFound)
            #expect(
                try await app.call(.PUT, "\(base)/\(week)/decisions/\(id)", body: #"{"status": "done"}"#).status
                    == .notFound, "the decision belongs to last week's review")

            let done = try await app.call(.PUT, path, token: Token.partnerAdmin, body: #"{"status": "done"}"#)
            #expect(done.status == .ok)
            let saved = try #require((done["decisions"] as? [[String: Any]])?.first { $0["id"] as? String == id })
            #expect(saved["status"] as? String == "done")
            #expect(saved["checked_by_name"] as? String == "Sofia Lindqvist")
            #expect(saved["checked_in_week"] as? String == week.description)
            let after = try await app.call(.GET, "\(base)/\(week)")
            #expect(
                (after["agenda"] as? [[String: Any]])?.first { $0["topic"] as? String == "decisions" }?["count"] as? Int
                    == 2)
            let md = try await app.testing().sendRequest(
                .GET, "\(base)/\(week)/markdown", headers: ["Authorization": "Bearer \(Token.hostAdmin)"])
            #expect(md.body.string.contains("- [x] Agree the proof-of-value success criteria"))
            #expect(md.body.string.contains("## Agenda ("))
            let audit = try await app.call(.GET, "/api/v1/audit?limit=50")
            #expect(
                (audit["items"] as? [[String: Any]])?.contains { $0["kind"] as? String == "review_decision_checked" }
                    == true)
        }
    }

    @Test(
        "what the partnerships wait on each person for, over the API: the review decisions they own, the discovery call's next move",
        arguments: TestDatabase.all)
    func partnershipActions(_ engine: TestDatabase) async throws {
        try await withTestApp(engine) { app in
            let ps = try #require(try await app.store.partnerships(of: DemoIDs.host).first).id.uuidString
            // Daniel Reyes: the decision carried from two reviews back (late) and the call's next move (due today).
            let daniel = try await app.call(.GET, "/api/v1/me/partnership-actions", token: Token.hostPartnerManager)
            #expect(daniel.status == .ok)
            let items = try #require(daniel["items"] as? [[String: Any]])
            let decision = try #require(items.first { $0["kind"] as? String == "review_decision" })
            #expect(
                decision["title"] as? String == "Send Halyard Security the list of Quarry Data's healthcare references")
            #expect(decision["overdue"] as? Bool == true)
            #expect(decision["path"] as? String == "/partnerships/\(ps)/review#decisions")
            #expect(decision["week"] as? String == ISOWeek(containing: Date()).previous.previous.description)
            #expect(decision["decision_id"] as? String != nil)
            #expect(items.first?["overdue"] as? Bool == true, "the overdue first")
            #expect(items.contains { $0["kind"] as? String == "next_move" && $0["overdue"] as? Bool == false })
            // Priya Natarajan: her decision of last week, due in three days.
            let priya = try await app.call(.GET, "/api/v1/me/partnership-actions", token: Token.hostSeller)
            let hers = try #require(priya["items"] as? [[String: Any]])
            #expect(hers.map { $0["kind"] as? String } == ["review_decision"])
            #expect((hers.first?["title"] as? String)?.hasPrefix("Book the first meeting at Northgate") == true)
            #expect(hers.first?["due_on"] as? String != nil && hers.first?["overdue"] as? Bool == false)
            // Grace Kim, a viewer, owns nothing.
            let grace = try await app.call(.GET, "/api/v1/me/partnership-actions", token: Token.hostViewer)
            #expect((grace["items"] as? [Any])?.isEmpty == true)
            #expect(try await app.call(.GET, "/api/v1/me/partnership-actions", token: nil).status == .unauthorized)
        }
    }

    @Test(
        "a decision's owner finds it on their home page, checks it off from the review page, and it leaves the home page",
        arguments: TestDatabase.all)
    func pages(_ engine: TestDatabase) async throws {
        try await withTestApp(engine) { app in
            let ps = try #require(try await app.store.partnerships(of: DemoIDs.host).first)
            let week = ISOWeek(containing: Date())
            let c = PageClient(app)
            _ = try await c.signIn(People.hostPM)
            // Daniel owns the decision carried from two reviews back: late.
            let home = try await c.get("/")
            let text = "Send Halyard Security the list of Quarry Data&#39;s healthcare references"
            #expect(home.html.contains(text))
            #expect(home.html.contains("Decision of the weekly review \(week.previous.previous)"))

            let page = try await c.get("/partnerships/\(ps.id.uuidString)/reviews/\(week)")
            #expect(page.status == .ok)
            #expect(page.html.contains("id=\"agenda-h\""))
            #expect(page.html.contains("id=\"named-accounts-h\""))
            #expect(page.html.contains("id=\"in-the-room-h\""))
            #expect(page.html.contains("Carried from earlier reviews."))
            let record = try #require(
                try await app.store.reviewRecord(partnershipID: ps.id, week: week.previous.previous))
            let decision = try #require(record.decisions.first)
            let done = try await c.post(
                "/partnerships/\(ps.id.uuidString)/reviews/\(week.previous.previous)/decisions/\(decision.id!.uuidString)",
                ["status": "done", "back": "\(week)"])
            #expect(done.status == .seeOther)
            #expect(done.location?.hasPrefix("/partnerships/\(ps.id.uuidString)/reviews/\(week)?notice=") == true)
            #expect(done.location?.hasSuffix("#decisions") == true)
            #expect(
                try await app.store.reviewRecord(partnershipID: ps.id, week: week.previous.previous)?.decisions.first?
                    .status == .done)
            #expect(!(try await c.get("/").html.contains(text)))
            // A bad status is refused, and a viewer cannot check off.
            let bad = try await c.post(
                "/partnerships/\(ps.id.uuidString)/reviews/\(week.previous.previous)/decisions/\(decision.id!.uuidString)",
                ["status": "finished"])
            #expect(bad.status == .unprocessableEntity)
            let viewer = PageClient(app)
            _ = try await viewer.signIn(People.hostViewer)
            let reading = try await viewer.get("/partnerships/\(ps.id.uuidString)/reviews/\(week)")
            #expect(reading.status == .ok && !reading.html.contains("name=\"status\""))
        }
    }
}
