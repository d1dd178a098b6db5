import CoSellDomain
import CoSellPersistence
import CoSellTestSupport
import Foundation
import Testing
import Vapor

@testable import CoSellWeb

/// The deal page's forms help the person filling them: every mistake at once, amounts as people
/// write them, back to the section that changed, the Advance button closed while the gate is.
@Suite("Deal page forms")
struct PageDealFormsTests {
    /// A new deal on a fresh overlap account, opened by Quarry Data's partner manager.
    static func newDeal(_ app: Application) async throws -> (id: String, page: PageClient) {
        let (partnership, account) = try await freshAccount(app)
        let created = try await app.call(
            .POST, "/api/v1/deals", token: Token.hostAdmin,
            body: jsonString([
                "partnership_id": partnership.id.uuidString, "joint_account_id": account.id.uuidString,
                "title": "Forms deal",
            ]))
        let id = try #require((created["deal"] as? [String: Any])?["id"] as? String)
        let c = PageClient(app)
        _ = try await c.signIn(People.hostPM)
        _ = try await c.get("/deals/\(id)")
        return (id, c)
    }

    @Test("a form with three mistakes reports the three at once, each beside its field", arguments: TestDatabase.all)
    func everyErrorAtOnce(_ db: TestDatabase) async throws {
        try await withTestApp(db) { app in
            let (id, c) = try await Self.newDeal(app)
            let sent = try await c.post(
                "/deals/\(id)/actions/lost",
                ["result": "lost", "final_amount": "12,5x", "currency": "USD", "close_date": "12/03/2026"])
            #expect(sent.status == .unprocessableEntity)
            #expect(sent.html.contains("Fix the 3 marked fields below."))
            #expect(sent.html.contains("id=\"lost-final_amount-error\""))
            #expect(sent.html.contains("id=\"lost-close_date-error\""))
            #expect(sent.html.contains("id=\"lost-loss_category-error\""))
            #expect(sent.html.contains("could be 3 December or 12 March"))
            // What was typed comes back in its field.
            #expect(sent.html.contains("value=\"12,5x\""))
            #expect(sent.html.contains("value=\"12/03/2026\""))
            let deal = try #require(try await app.store.deal(UUID(uuidString: id)!))
            #expect(deal.status == .open)
            #expect(deal.evidence.close.outcome == nil)
        }
    }

    @Test("an amount typed as $310,000 or 1.2M is read in the deal's currency", arguments: TestDatabase.all)
    func amountsAsTyped(_ db: TestDatabase) async throws {
        try await withTestApp(db) { app in
            let (id, c) = try await Self.newDeal(app)
            let dealID = UUID(uuidString: id)!
            let usd = Currency(code: "USD")!
            for (typed, minor) in [("$310,000", Int64(31_000_000)), ("1.2M", 120_000_000), ("310k", 31_000_000)] {
                let r = try await c.post(
                    "/deals/\(id)/actions/details", ["title": "Forms deal", "amount": typed, "currency": "USD"])
                #expect(r.status == .seeOther, "\(typed)")
                #expect(try await app.store.deal(dealID)?.amount == Money(minorUnits: minor, currency: usd))
            }
            let euro = try await c.post(
                "/deals/\(id)/actions/details", ["title": "Forms deal", "amount": "€ 45.000,50", "currency": "USD"])
            #expect(euro.status == .unprocessableEntity)
            #expect(euro.html.contains("but this deal is in USD"))
            #expect(try await app.store.deal(dealID)?.amount == Money(minorUnits: 31_000_000, currency: usd))
        }
    }

    @Test(
        "after a form the page goes back to the section it changed, with its message there",
        arguments: TestDatabase.all)
    func backToTheSection(_ db: TestDatabase) async throws {
        try await withTestApp(db) { app in
            let (id, c) = try await Self.newDeal(app)
            let saved = try await c.post("/deals/\(id)/actions/icp-fit", ["fit": "strong"])
            #expect(saved.status == .seeOther)
            let location = try #require(saved.location)
            #expect(location.hasSuffix("#stage-target_account_selection"))
            let page = try await c.get(String(location.prefix { $0 != "#" }))
            // The message sits in the stage's section, not at the top of the page.
            let stage = try #require(page.html.range(of: "id=\"stage-target_account_selection\""))
            let notice = try #require(page.html.range(of: "class=\"notice\""))
            #expect(notice.lowerBound > stage.lowerBound)
        }
    }

    @Test(
        "the Advance button is disabled and lists what is missing while the gate is closed",
        arguments: TestDatabase.all)
    func advanceSaysWhatIsMissing(_ db: TestDatabase) async throws {
        try await withTestApp(db) { app in
            let (id, c) = try await Self.newDeal(app)
            let page = try await c.get("/deals/\(id)")
            let button = try #require(page.html.range(of: "Advance to The door-opener move"))
            let tag = page.html[page.html.index(button.lowerBound, offsetBy: -120)..<button.lowerBound]
            #expect(tag.contains("disabled"))
            #expect(page.html.contains("Still missing (4 of 5)"))
        }
    }

    @Test("a move gets its owner on the page, from the people of its company", arguments: TestDatabase.all)
    func assignAMove(_ db: TestDatabase) async throws {
        try await withTestApp(db) { app in
            let (id, c) = try await Self.newDeal(app)
            let dealID = UUID(uuidString: id)!
            let deal = try #require(try await app.store.deal(dealID))
            let move = try #require(deal.moves.first { $0.templateKey == "host_icp_fit" })
            let priya = try #require(
                try await app.store.people(inOrganizations: [deal.hostOrganizationID]).first {
                    $0.email == People.hostSeller
                })
            let assigned = try await c.post(
                "/deals/\(id)/actions/move-owner", ["move_id": move.id.uuidString, "owner_id": priya.id.uuidString])
            #expect(assigned.status == .seeOther)
            let after = try #require(try await app.store.deal(dealID))
            #expect(after.moves.first { $0.id == move.id }?.ownerID == priya.id)
            // A person of the other company cannot own the host's move.
            let marcus = try #require(
                try await app.store.people(inOrganizations: [deal.partnerOrganizationID]).first {
                    $0.email == People.partnerPM
                })
            let refused = try await c.post(
                "/deals/\(id)/actions/move-owner", ["move_id": move.id.uuidString, "owner_id": marcus.id.uuidString])
            #expect(refused.status == .unprocessableEntity)
            #expect(try await app.store.deal(dealID)?.moves.first { $0.id == move.id }?.ownerID == priya.id)
        }
    }

    @Test("the printable record has every stage open and no form", arguments: TestDatabase.all)
    func printView(_ db: TestDatabase) async throws {
        try await withTestApp(db) { app in
            let (id, c) = try await Self.newDeal(app)
            _ = try await c.post("/deals/\(id)/actions/icp-fit", ["fit": "partial", "note": "Mid-size, EU only"])
            let page = try await c.get("/deals/\(id)?view=print")
            #expect(page.status == .ok)
            #expect(!page.html.contains("<form method=\"post\" action=\"/deals/"))
            #expect(page.html.components(separatedBy: "<details class=\"stage").count - 1 == 5)
            #expect(page.html.components(separatedBy: " open>").count - 1 >= 5)
            #expect(page.html.contains("Partial: Mid-size, EU only"))
        }
    }

    @Test("the board shows won deals waiting for their review by default; New deal leads to the targets")
    func boardDefaultAndNewDeal() async throws {
        try await withTestApp(.sqlite) { app in
            let c = PageClient(app)
            _ = try await c.signIn(People.hostPM)
            let waiting = try #require(
                try await app.store.deals(visibleTo: DemoIDs.host, filter: .init(limit: 500)).items.first {
                    $0.status == .won && $0.completedAt == nil
                })
            let board = try await c.get("/deals")
            #expect(board.html.contains("href=\"/deals/\(waiting.id.uuidString)\""))
            #expect(board.html.contains("href=\"/deals/new\""))
            let open = try await c.get("/deals?status=open")
            #expect(!open.html.contains("href=\"/deals/\(waiting.id.uuidString)\""))
            // Quarry Data has one active partnership in the demo: New deal goes straight to its targets.
            let partnership = try #require(try await app.store.partnerships(of: DemoIDs.host).first)
            let new = try await c.get("/deals/new")
            #expect(new.status == .seeOther)
            #expect(new.location == "/partnerships/\(partnership.id.uuidString)#targets-h")
        }
    }

    @Test("a partner manager corrects a completed deal's amount on its page; the record shows the amendment")
    func amendOnThePage() async throws {
        try await withTestApp(.sqlite) { app in
            let c = PageClient(app)
            _ = try await c.signIn(People.hostPM)
            let done = try #require(
                try await app.store.deals(visibleTo: DemoIDs.host, filter: .init(limit: 500)).items.first {
                    $0.completedAt != nil && $0.evidence.close.outcome?.result == .won
                })
            let id = done.id.uuidString
            let page = try await c.get("/deals/\(id)")
            #expect(page.html.contains("/deals/\(id)/actions/amend"))
            let code = done.evidence.close.outcome!.finalAmount.currency.code
            let sent = try await c.post(
                "/deals/\(id)/actions/amend",
                ["final_amount": "310k", "currency": code, "reason": "The order form says 310k."])
            #expect(sent.status == .seeOther)
            let after = try #require(try await app.store.deal(done.id))
            #expect(after.amount?.minorUnits == 31_000_000)
            let shown = try await c.get("/deals/\(id)")
            #expect(shown.html.contains("<dt>Amended</dt>"))
            #expect(shown.html.contains("The order form says 310k."))
        }
    }

    @Test("a meeting set at 10:00 in New York is kept at 15:00 UTC with its zone, and shown in both")
    func meetingTimeZone() async throws {
        try await withTestApp(.sqlite) { app in
            let c = PageClient(app)
            _ = try await c.signIn(People.hostAdmin)
            let deal = try #require(
                try await app.store.deals(visibleTo: DemoIDs.host, filter: .init(limit: 500)).items.first {
                    $0.status == .open && $0.stageIndex == 1 && $0.evidence.doorOpener.firstMeeting == nil
                })
            let id = deal.id.uuidString
            _ = try await c.get("/deals/\(id)")
            // A week ahead at 10:00 in New York (a first meeting is within a year of the deal's opening).
            let day = LocalDate(Date().addingTimeInterval(7 * 86_400))
            var newYork = Calendar(identifier: .gregorian)
            newYork.timeZone = TimeZone(identifier: "America/New_York")!
            let expected = try #require(
                newYork.date(from: DateComponents(year: day.year, month: day.month, day: day.day, hour: 10)))
            var utc = Calendar(identifier: .gregorian)
            utc.timeZone = TimeZone(identifier: "UTC")!
            let utcHour = utc.component(.hour, from: expected)
            let sent = try await c.post(
                "/deals/\(id)/actions/first-meeting",
                [
                    "scheduled_for": "\(day)T10:00", "time_zone": "America/New_York",
                    "attendee_name_1": "Dana Cole", "attendee_party_1": "customer", "attendee_title_1": "CTO",
                    "attendee_name_2": "Daniel Reyes", "attendee_party_2": "host",
                    "attendee_name_3": "Marcus Chen", "attendee_party_3": "partner",
                ])
            #expect(sent.status == .seeOther)
            let meeting = try #require(try await app.store.deal(deal.id)?.evidence.doorOpener.firstMeeting)
            #expect(meeting.timeZone == "America/New_York")
            #expect(meeting.scheduledFor == expected)
            #expect(meeting.attendees.map(\.party) == [.customer, .host, .partner])
            let page = try await c.get("/deals/\(id)")
            #expect(page.html.contains("America/New York"))
            #expect(
                page.html.contains("\(utcHour - 12):00\u{202F}PM UTC")
                    || page.html.contains("\(utcHour - 12):00 PM UTC"))
            let bad = try await c.post(
                "/deals/\(id)/actions/first-meeting",
                [
                    "scheduled_for": "\(day)T10:00", "time_zone": "Mars/Olympus", "attendee_name_1": "Dana Cole",
                    "attendee_party_1": "customer",
                ])
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.html.contains("id=\"first-meeting-time_zone-error\""))
        }
    }

    @Test(
        "a form that meets the gate's last part offers to advance too; sent that way the deal advances in the same request",
        arguments: TestDatabase.all)
    func fillAndAdvance(_ db: TestDatabase) async throws {
        try await withTestApp(db) { app in
            let (id, c) = try await Self.newDeal(app)
            let base = "/api/v1/deals/\(id)"
            for token in [Token.hostAdmin, Token.partnerAdmin] {
                let fit = try await app.call(.PUT, base + "/icp-fit", token: token, body: #"{"fit":"strong"}"#)
                #expect(fit.status == .ok)
            }
            // Only Quarry Data's commitment missing: Halyard Security commits by the API first.
            #expect(try await app.call(.POST, base + "/commitment", token: Token.partnerAdmin).status == .ok)
            let page = try await c.get("/deals/\(id)")
            #expect(
                page.html.contains(
                    "<button type=\"submit\" name=\"then\" value=\"advance\">Commit Quarry Data and advance to The door-opener move</button>"
                ))
            #expect(page.html.contains("Commit Quarry Data only</button>"))
            let sent = try await c.post("/deals/\(id)/actions/commit", ["then": "advance"])
            #expect(sent.status == .seeOther)
            #expect(sent.location?.contains("The%20deal%20advanced%20to%20The%20door-opener%20move") == true)
            let deal = try #require(try await app.store.deal(UUID(uuidString: id)!))
            #expect(deal.stageIndex == 1)
            let kinds = try await app.store.timeline(of: deal.id).map(\.kind)
            #expect(kinds.suffix(2).contains("stage_advanced"))

            // On a deal whose gate still misses other parts, the form offers no advance, and "then"
            // changes nothing: the deal stays, no refusal is logged.
            let (other, c2) = try await Self.newDeal(app)
            let otherPage = try await c2.get("/deals/\(other)")
            #expect(!otherPage.html.contains("value=\"advance\">Commit"))
            let kept = try await c2.post("/deals/\(other)/actions/commit", ["then": "advance"])
            #expect(kept.status == .seeOther)
            #expect(try await app.store.deal(UUID(uuidString: other)!)?.stageIndex == 0)
            let otherDeal = try #require(try await app.store.deal(UUID(uuidString: other)!))
            let refusals = try await app.store.gateRefusals(
                partnershipID: otherDeal.partnershipID, from: Date().addingTimeInterval(-3_600),
                to: Date().addingTimeInterval(3_600))
            #expect(!refusals.contains { $0.dealID == otherDeal.id })
        }
    }
}
