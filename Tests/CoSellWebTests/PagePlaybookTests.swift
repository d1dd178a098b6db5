import CoSellApp
import CoSellDomain
import CoSellTestSupport
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import CoSellWeb

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
            // This version needs a strong fit from both companies.
            #expect(form.html.contains("name=\"stage_0_strong_fit\""))
            #expect(!form.html.contains("name=\"stage_1_strong_fit\""))
            fields["stage_0_strong_fit"] = "on"
            let saved = try await c.post(editPath, fields)
            #expect(saved.status == .seeOther)
            let id = try #require(UUID(uuidString: String(editPath.split(separator: "/")[1])))
            let versions = try await app.store.playbookVersions(id)
            #expect(versions.map(\.version) == [1, 2])
            #expect(versions[1].stages[0].stallLimitDays == 10)
            #expect(versions[1].stages[1].name == "The warm introduction")
            #expect(versions[1].stages[0].moves == versions[0].stages[0].moves)
            #expect(versions[0].stages[0].exitCriterion.needsStrongFit == false)
            #expect(versions[1].stages[0].exitCriterion.needsStrongFit)
            let shown = try await c.get("/playbooks/\(id.uuidString)")
            #expect(shown.html.contains("Both companies need a strong fit: a partial fit does not pass."))
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
                    "loss_category": "no_budget", "loss_reason": "No budget this year",
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
