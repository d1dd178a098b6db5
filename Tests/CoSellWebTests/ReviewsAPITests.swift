import CoSellApp
import CoSellDomain
import CoSellPersistence
import CoSellTestSupport
import CoSellWeb
import Foundation
import Testing
import Vapor

@Suite("Weekly reviews and lessons over the API")
struct ReviewsAPITests {
    static func partnershipID(_ app: Application) async throws -> String {
        try #require(
            ((try await app.call(.GET, "/api/v1/partnerships")).json as? [[String: Any]])?.first?["id"] as? String)
    }

    @Test("the week's review as JSON and Markdown; bad weeks name the field", arguments: TestDatabase.all)
    func review(_ engine: TestDatabase) async throws {
        try await withTestApp(engine) { app in
            let ps = try await Self.partnershipID(app)
            let week = ISOWeek(containing: Date())
            // A deal refused at its first gate this week, on an account added this week.
            let (_, account) = try await freshAccount(app)
            let created = try await app.call(
                .POST, "/api/v1/deals",
                body: jsonString([
                    "partnership_id": ps, "joint_account_id": account.id.uuidString, "title": "Refused this week",
                ]))
            #expect(created.status == .created)
            let dealID = try #require(created.path("deal", "id") as? String)
            #expect(try await app.call(.POST, "/api/v1/deals/\(dealID)/advance").status == .unprocessableEntity)

            let r = try await app.call(.GET, "/api/v1/partnerships/\(ps)/reviews/\(week)")
            #expect(r.status == .ok)
            #expect(r["week"] as? String == week.description)
            let accounts = try #require(r["new_target_accounts"] as? [[String: Any]])
            #expect(accounts.contains { $0["account_id"] as? String == account.id.uuidString })
            let gates = try #require(r["gates"] as? [[String: Any]])
            let refused = try #require(gates.first { $0["deal_id"] as? String == dealID })
            #expect(refused["kind"] as? String == "refused")
            #expect(refused["stage"] as? String == "target_account_selection")
            #expect((refused["unmet"] as? [String])?.count == 4)
            // The demo has stalled deals, each with its diagnosis, and a won deal whose review is overdue.
            let stalled = try #require(r["stalled"] as? [[String: Any]])
            #expect(!stalled.isEmpty)
            #expect(stalled.allSatisfy { ($0["diagnosis"] as? [String: Any])?["stall"] != nil })
            let awaiting = try #require(r["awaiting_review"] as? [[String: Any]])
            #expect(awaiting.contains { $0["overdue"] as? Bool == true })

            let md = try await app.testing().sendRequest(
                .GET, "/api/v1/partnerships/\(ps)/reviews/\(week)/markdown",
                headers: ["Authorization": "Bearer \(Token.hostAdmin)"])
            #expect(md.status == .ok)
            #expect(md.headers.contentType?.subType == "markdown")
            #expect(md.body.string.hasPrefix("# Weekly co-sell deal review: "))
            #expect(md.body.string.contains("- Refused: Refused this week at Target account selection"))

            for bad in ["2027-W53", "2026-48", "last-week"] {
                let b = try await app.call(.GET, "/api/v1/partnerships/\(ps)/reviews/\(bad)")
                #expect(b.status == .unprocessableEntity, "\(bad)")
                #expect(b["field"] as? String == "week")
                #expect(b.contentType.hasPrefix("application/problem+json"))
            }
            #expect(try await app.call(.GET, "/api/v1/partnerships/not-a-uuid/reviews/\(week)").status == .notFound)
            #expect(
                try await app.call(.GET, "/api/v1/partnerships/\(UUID().uuidString)/reviews/\(week)").status
                    == .notFound)

            // A seller's review holds only deals the seller is on.
            let sellerDeals = try await app.call(.GET, "/api/v1/deals?limit=200", token: Token.hostSeller)
            let mine = Set(
                ((sellerDeals["items"] as? [[String: Any]]) ?? []).compactMap { $0.path("deal", "id") as? String })
            let sellerReview = try await app.call(
                .GET, "/api/v1/partnerships/\(ps)/reviews/\(week)", token: Token.hostSeller)
            #expect(sellerReview.status == .ok)
            let sellerStalled = ((sellerReview["stalled"] as? [[String: Any]]) ?? []).compactMap {
                $0["deal_id"] as? String
            }
            #expect(Set(sellerStalled).isSubset(of: mine))
            #expect(sellerStalled.count < stalled.count)
        }
    }

    @Test(
        "a past week shows the demo's gate override as an advance and as an overridden gate",
        arguments: TestDatabase.all)
    func pastWeek(_ engine: TestDatabase) async throws {
        try await withTestApp(engine) { app in
            let ps = try await Self.partnershipID(app)
            let deals = try #require(try await app.call(.GET, "/api/v1/deals?limit=200")["items"] as? [[String: Any]])
            let overridden = try #require(
                deals.first {
                    (($0.path("deal", "passages") as? [[String: Any]]) ?? []).contains {
                        $0["exit"] as? String == "skipped"
                    }
                }?.path("deal", "id") as? String)
            let timeline = try #require(
                try await app.call(.GET, "/api/v1/deals/\(overridden)/timeline").json as? [[String: Any]])
            let at = try #require(
                timeline.first { $0["kind"] as? String == "gate_overridden" }?["at"] as? String)
            let week = ISOWeek(containing: try #require(ISO8601DateFormatter().date(from: at)))
            let r = try await app.call(.GET, "/api/v1/partnerships/\(ps)/reviews/\(week)")
            #expect(r.status == .ok)
            let advanced = try #require(r["advanced"] as? [[String: Any]])
            #expect(advanced.contains { $0["deal_id"] as? String == overridden && $0["overridden"] as? Bool == true })
            let gates = try #require(r["gates"] as? [[String: Any]])
            let gate = try #require(gates.first { $0["deal_id"] as? String == overridden })
            #expect(gate["kind"] as? String == "overridden")
            #expect((gate["reason"] as? String)?.isEmpty == false)
            #expect(r["as_of"] as? String == ISO8601DateFormatter().string(from: week.end))
        }
    }

    @Test(
        "the review's long lists and a deal's lessons are paged, with totals; out-of-bounds paging names the parameter",
        arguments: TestDatabase.all)
    func paging(_ engine: TestDatabase) async throws {
        try await withTestApp(engine) { app in
            let ps = try await Self.partnershipID(app)
            let week = ISOWeek(containing: Date())
            let base = "/api/v1/partnerships/\(ps)/reviews/\(week)"
            let whole = try await app.call(.GET, "\(base)?limit=200")
            let stalled = try #require(whole["stalled"] as? [[String: Any]]).compactMap { $0["deal_id"] as? String }
            #expect(stalled.count >= 3)
            #expect(whole.path("page", "totals", "stalled") as? Int == stalled.count)
            #expect(whole.path("page", "limit") as? Int == 200)
            // Pages of one: each page holds the next stalled deal, in order; the header is on every page.
            var seen: [String] = []
            for offset in 0..<stalled.count {
                let page = try await app.call(.GET, "\(base)?limit=1&offset=\(offset)")
                #expect(page.status == .ok)
                #expect(page.path("page", "offset") as? Int == offset)
                #expect(page.path("page", "totals", "stalled") as? Int == stalled.count)
                #expect(page["week"] as? String == week.description)
                #expect(page["previous_decisions"] != nil)
                for list in ["new_target_accounts", "advanced", "stalled", "gates", "awaiting_review", "lessons"] {
                    #expect(((page[list] as? [Any]) ?? [0, 0]).count <= 1, "\(list)")
                }
                seen += ((page["stalled"] as? [[String: Any]]) ?? []).compactMap { $0["deal_id"] as? String }
            }
            #expect(seen == stalled)
            let past = try await app.call(.GET, "\(base)?offset=\(stalled.count)&limit=200")
            #expect((past["stalled"] as? [Any])?.isEmpty == true)
            #expect(past.path("page", "totals", "stalled") as? Int == stalled.count)

            // The Markdown agenda pages the same lists and says so.
            let md = try await app.testing().sendRequest(
                .GET, "\(base)/markdown?limit=1&offset=1", headers: ["Authorization": "Bearer \(Token.hostAdmin)"])
            #expect(md.status == .ok)
            #expect(md.body.string.contains("Items 2 to 2 of \(stalled.count) (`offset` 1, `limit` 1)."))
            #expect(md.body.string.components(separatedBy: "\n### ").count - 1 == 1)

            for (query, field) in [
                ("limit=0", "limit"), ("limit=201", "limit"), ("limit=ten", "limit"), ("offset=-1", "offset"),
                ("offset=x", "offset"),
            ] {
                for path in [base, base + "/markdown"] {
                    let bad = try await app.call(.GET, "\(path)?\(query)")
                    #expect(bad.status == .unprocessableEntity, "\(path)?\(query)")
                    #expect(bad["field"] as? String == field, "\(path)?\(query)")
                    #expect(bad.contentType.hasPrefix("application/problem+json"))
                }
            }

            // A deal's lesson suggestions: the same order, page by page, with the total.
            let deals = try await app.store.deals(visibleTo: DemoIDs.host, filter: .init(status: .open, limit: 100))
            var checkedDeal = false
            for d in deals.items {
                let all = try await app.call(.GET, "/api/v1/deals/\(d.id.uuidString)/lessons?limit=200")
                let ids = ((all["items"] as? [[String: Any]]) ?? []).compactMap { $0["id"] as? String }
                #expect(all["total"] as? Int == ids.count)
                guard ids.count >= 2 else { continue }
                let first = try await app.call(.GET, "/api/v1/deals/\(d.id.uuidString)/lessons?limit=1")
                let second = try await app.call(.GET, "/api/v1/deals/\(d.id.uuidString)/lessons?limit=1&offset=1")
                #expect(((first["items"] as? [[String: Any]]) ?? []).compactMap { $0["id"] as? String } == [ids[0]])
                #expect(((second["items"] as? [[String: Any]]) ?? []).compactMap { $0["id"] as? String } == [ids[1]])
                #expect(
                    first["total"] as? Int == ids.count && first["limit"] as? Int == 1 && first["offset"] as? Int == 0)
                let bad = try await app.call(.GET, "/api/v1/deals/\(d.id.uuidString)/lessons?limit=500")
                #expect(bad.status == .unprocessableEntity && bad["field"] as? String == "limit")
                checkedDeal = true
                break
            }
            #expect(checkedDeal)
        }
    }

    @Test("recording the week's attendees and decisions; the next week starts from them", arguments: TestDatabase.all)
    func record(_ engine: TestDatabase) async throws {
        try await withTestApp(engine) { app in
            let ps = try await Self.partnershipID(app)
            let thisWeek = ISOWeek(containing: Date())
            let lastWeek = thisWeek.previous
            let me = try #require(try await app.call(.GET, "/api/v1/me").path("person", "id") as? String)
            let base = "/api/v1/partnerships/\(ps)/reviews"
            let put = try await app.call(
                .PUT, "\(base)/\(lastWeek)", token: Token.partnerAdmin,
                body: jsonString([
                    "attendees": [" Ana ", "Ben"],
                    "decisions": [
                        ["text": "Book the joint call with Kestrel", "owner_id": me, "due_on": "2026-12-04"],
                        ["text": "Chase the brief"],
                    ],
                ]))
            #expect(put.status == .ok)
            #expect(put["attendees"] as? [String] == ["Ana", "Ben"])
            #expect(put.path("decisions", "0", "owner_id") as? String == me)
            #expect((put.path("decisions", "0", "owner_name") as? String)?.isEmpty == false)
            #expect(put.path("decisions", "1", "owner_id") == nil)
            #expect(put["recorded_by_name"] != nil)
            // Recording the same week again replaces it.
            let again = try await app.call(
                .PUT, "\(base)/\(lastWeek)",
                body: jsonString(["attendees": ["Ana"], "decisions": [["text": "Book the joint call"]]]))
            #expect(again.status == .ok)
            #expect(again["attendees"] as? [String] == ["Ana"])
            // Last week's (written over) and the demo's review of the week before.
            let list = try await app.call(.GET, base)
            #expect(list["total"] as? Int == 2)
            #expect(list.path("items", "0", "week") as? String == lastWeek.description)

            let review = try await app.call(.GET, "\(base)/\(thisWeek)")
            #expect(review["previous_week"] as? String == lastWeek.description)
            #expect(review.path("previous_decisions", "0", "text") as? String == "Book the joint call")
            let md = try await app.testing().sendRequest(
                .GET, "\(base)/\(thisWeek)/markdown", headers: ["Authorization": "Bearer \(Token.hostAdmin)"])
            #expect(md.body.string.contains("- [ ] Book the joint call"))

            // Bad input names the field; viewers and future weeks are refused.
            let badOwner = try await app.call(
                .PUT, "\(base)/\(thisWeek)",
                body: jsonString(["decisions": [["text": "x", "owner_id": UUID().uuidString]]]))
            #expect(badOwner.status == .unprocessableEntity)
            #expect(badOwner["field"] as? String == "decisions[0].owner_id")
            let empty = try await app.call(.PUT, "\(base)/\(thisWeek)", body: jsonString(["attendees": [""]]))
            #expect(empty["field"] as? String == "attendees[0]")
            let badDate = try await app.call(
                .PUT, "\(base)/\(thisWeek)", body: jsonString(["decisions": [["text": "x", "due_on": "soon"]]]))
            #expect(badDate.status == .unprocessableEntity)
            #expect(badDate["field"] as? String == "decisions[0].due_on")
            let future = try await app.call(.PUT, "\(base)/\(thisWeek.next)", body: jsonString(["attendees": ["Ana"]]))
            #expect(future.status == .unprocessableEntity)
            #expect(future["field"] as? String == "week")
            let viewer = try await app.call(
                .PUT, "\(base)/\(thisWeek)", token: Token.hostViewer, body: jsonString(["attendees": ["Ana"]]))
            #expect(viewer.status == .forbidden)
            #expect(try await app.call(.GET, base + "?limit=0").status == .unprocessableEntity)
        }
    }

    @Test(
        "the demo's lessons are in the library, reach the next deal and can be marked applied",
        arguments: TestDatabase.all)
    func lessons(_ engine: TestDatabase) async throws {
        try await withTestApp(engine) { app in
            let library = try await app.call(.GET, "/api/v1/lessons?limit=200")
            #expect(library.status == .ok)
            // The demo's two reviews captured 2 + 3 lessons.
            #expect(library["total"] as? Int == 5)
            let intro = try await app.call(.GET, "/api/v1/lessons?q=INTRODUCTION")
            #expect(intro["total"] as? Int == 1)
            let doorOpener = try await app.call(.GET, "/api/v1/lessons?stage=door_opener")
            #expect(doorOpener["total"] as? Int == 2)
            #expect(try await app.call(.GET, "/api/v1/lessons?play=nonsense")["field"] as? String == "play")
            #expect(
                try await app.call(.GET, "/api/v1/lessons?partnership_id=\(UUID().uuidString)")["total"] as? Int == 0)
            #expect(try await app.call(.GET, "/api/v1/lessons", token: Token.partnerAdmin)["total"] as? Int == 5)

            // An open deal at the door-opener stage gets the two door-opener lessons.
            let open = try await app.call(.GET, "/api/v1/deals?stage=door_opener&status=open&limit=200")
            let dealID = try #require((open["items"] as? [[String: Any]])?.first?.path("deal", "id") as? String)
            let suggested = try await app.call(.GET, "/api/v1/deals/\(dealID)/lessons")
            #expect(suggested.status == .ok)
            #expect(suggested["stage"] as? String == "door_opener")
            let items = try #require(suggested["items"] as? [[String: Any]])
            #expect(items.count == 2)
            #expect(
                items.allSatisfy {
                    $0["applied_on_this_deal"] as? Bool == false && $0["match"] as? String == "partnership"
                })
            // Ranked newest first while nobody has applied either; applying the older one moves it up.
            let older = try #require(items.last?["id"] as? String)
            let applied = try await app.call(.POST, "/api/v1/deals/\(dealID)/lessons/\(older)/applied")
            #expect(applied.status == .created)
            #expect(applied["applied_count"] as? Int == 1)
            let twice = try await app.call(.POST, "/api/v1/deals/\(dealID)/lessons/\(older)/applied")
            #expect(twice.status == .conflict)
            let after = try await app.call(.GET, "/api/v1/deals/\(dealID)/lessons")
            #expect(after.path("items", "0", "id") as? String == older)
            #expect(after.path("items", "0", "applied_on_this_deal") as? Bool == true)
            #expect(after.path("items", "1", "applied_on_this_deal") as? Bool == false)
            #expect(
                try await app.call(.POST, "/api/v1/deals/\(dealID)/lessons/\(UUID().uuidString)/applied").status
                    == .notFound)
            #expect(try await app.call(.POST, "/api/v1/deals/\(dealID)/lessons/nope/applied").status == .notFound)
            #expect(
                try await app.call(.POST, "/api/v1/deals/\(dealID)/lessons/\(older)/applied", token: Token.hostViewer)
                    .status == .forbidden)
            // A deal's own lesson is not applied to itself.
            let own = try #require(library["items"] as? [[String: Any]]).first!
            let ownDeal = try #require(own["deal_id"] as? String)
            let ownID = try #require(own["id"] as? String)
            let refused = try await app.call(.POST, "/api/v1/deals/\(ownDeal)/lessons/\(ownID)/applied")
            #expect(refused.status == .unprocessableEntity)
            #expect(refused["field"] as? String == "lesson_id")
        }
    }

    @Test("a review saved through the API puts its lessons in the library at once", arguments: TestDatabase.all)
    func syncOnSave(_ engine: TestDatabase) async throws {
        try await withTestApp(engine) { app in
            // The demo deal won last week and not yet reviewed.
            let deals = try await app.call(.GET, "/api/v1/deals?status=won&limit=200")
            let target = try #require(
                (deals["items"] as? [[String: Any]])?.first {
                    ($0.path("deal", "evidence", "close", "review") == nil) && $0.path("deal", "completed_at") == nil
                }?.path("deal", "id") as? String)
            let r = try await app.call(
                .PUT, "/api/v1/deals/\(target)/review",
                body: jsonString([
                    "held_on": LocalDate(Date()).description, "attendees": ["Ana"],
                    "lessons": [
                        ["stage_key": "joint_pursuit", "text": "Zebra lesson: one close plan, signed by the CFO."]
                    ],
                ]))
            #expect(r.status == .ok, "\(String(describing: r.json))")
            // Another save of the deal does not copy its lessons again.
            // (Renamed by the admin of the company that hosts it: renaming is the host's.)
            let hostToken =
                (deals["items"] as? [[String: Any]])?.first { $0.path("deal", "id") as? String == target }?
                    .path("deal", "host_organization_id") as? String == DemoIDs.host.uuidString
                ? Token.hostAdmin : Token.partnerAdmin
            let patched = try await app.call(
                .PATCH, "/api/v1/deals/\(target)", token: hostToken,
                body: jsonString(["title": "Renamed after the review"]))
            #expect(patched.status == .ok)
            let found = try await app.call(.GET, "/api/v1/lessons?q=zebra")
            #expect(found["total"] as? Int == 1)
            #expect(found.path("items", "0", "deal_id") as? String == target)
            #expect(found.path("items", "0", "stage") as? String == "joint_pursuit")
        }
    }
}

extension Dictionary where Key == String, Value == Any {
    func path(_ keys: String...) -> Any? {
        var cur: Any? = self
        for k in keys {
            if let i = Int(k), let a = cur as? [Any] {
                cur = i < a.count ? a[i] : nil
            } else {
                cur = (cur as? [String: Any])?[k]
            }
        }
        return cur
    }
}
