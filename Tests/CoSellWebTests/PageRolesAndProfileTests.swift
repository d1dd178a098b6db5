import CoSellDomain
import CoSellMatching
import CoSellPersistence
import CoSellTestSupport
import Foundation
import Testing
import Vapor

@testable import CoSellWeb

/// Roles on the People page (and the API), and the ideal customer profile's page.
@Suite("Roles and profile pages")
struct PageRolesAndProfileTests {
    @Test("an admin changes a role on the People page; bad values, the last admin and non-admins are refused")
    func roles() async throws {
        try await withTestApp(.sqlite) { app in
            let daniel = try #require(try await app.store.person(email: People.hostPM))
            let maya = try #require(try await app.store.person(email: People.hostAdmin))
            let c = PageClient(app)
            _ = try await c.signIn(People.hostAdmin)
            let page = try await c.get("/settings/people")
            #expect(page.status == .ok)
            #expect(page.html.contains("aria-label=\"Role of Daniel Reyes\""))
            #expect(page.html.contains("action=\"/settings/people/\(daniel.id.uuidString)/role\""))
            // Maya is the only admin: no form in her row, the reason instead.
            #expect(!page.html.contains("aria-label=\"Role of Maya Okafor\""))
            #expect(page.html.contains(PeoplePageController.lastAdminNote))

            let changed = try await c.post("/settings/people/\(daniel.id.uuidString)/role", ["role": "seller"])
            #expect(changed.status == .seeOther)
            #expect(changed.location == "/settings/people?notice=Daniel%20Reyes%20is%20now%20a%20seller.")
            #expect(try await app.store.person(daniel.id)?.role == .seller)
            let after = try await c.get(changed.location ?? "/")
            #expect(after.html.contains("Daniel Reyes is now a seller."))

            let bad = try await c.post("/settings/people/\(daniel.id.uuidString)/role", ["role": "emperor"])
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.html.contains("id=\"role-error-\(daniel.id.uuidString)\""))
            #expect(bad.html.contains("Choose one of the roles."))

            let last = try await c.post("/settings/people/\(maya.id.uuidString)/role", ["role": "viewer"])
            #expect(last.status == .conflict)
            #expect(
                last.html.contains(
                    "Maya Okafor is the last active admin of Quarry Data: make another person admin first."))
            #expect(try await app.store.person(maya.id)?.role == .admin)

            // A seller of the same company may not; the audit log names both people and both roles.
            let priya = PageClient(app)
            _ = try await priya.signIn(People.hostSeller)
            _ = try await priya.get("/")
            let refused = try await priya.post("/settings/people/\(daniel.id.uuidString)/role", ["role": "admin"])
            #expect(refused.status == .forbidden)
            #expect(try await app.store.person(daniel.id)?.role == .seller)
            let audit = try await app.store.auditEvents(of: maya.organizationID, limit: 20, offset: 0).items
            #expect(
                audit.contains {
                    $0.kind == "person_role_changed"
                        && $0.detail == "Maya Okafor changed Daniel Reyes's role from partner manager to seller."
                })
        }
    }

    @Test("PUT /api/v1/people/{id}/role: a bad value is 422 naming role; another company's person is 404")
    func roleAPI() async throws {
        try await withTestApp(.sqlite) { app in
            let daniel = try #require(try await app.store.person(email: People.hostPM))
            let marcus = try #require(try await app.store.person(email: People.partnerPM))
            let bad = try await app.call(
                .PUT, "/api/v1/people/\(daniel.id.uuidString)/role", body: #"{"role": "chief"}"#)
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.contentType.hasPrefix("application/problem+json"))
            #expect(bad["field"] as? String == "role")
            let other = try await app.call(
                .PUT, "/api/v1/people/\(marcus.id.uuidString)/role", body: #"{"role": "seller"}"#)
            #expect(other.status == .notFound)
            #expect(try await app.store.person(marcus.id)?.role == .partnerManager)
            let ok = try await app.call(
                .PUT, "/api/v1/people/\(daniel.id.uuidString)/role", body: #"{"role": "viewer"}"#)
            #expect(ok.status == .ok)
            #expect(ok["role"] as? String == "viewer")
            let seller = try await app.call(
                .PUT, "/api/v1/people/\(daniel.id.uuidString)/role", token: Token.hostSeller,
                body: #"{"role": "admin"}"#)
            #expect(seller.status == .forbidden)
        }
    }

    @Test("the profile page: imported industries to tick, countries by name or code, the range; rules kept")
    func profile() async throws {
        try await withTestApp(.sqlite) { app in
            let maya = try #require(try await app.store.person(email: People.hostAdmin))
            let org = maya.organizationID
            let rules = PopulationRules(rules: [.init(.equals, "Client", .customer)])
            var settings = try await app.store.settings(of: org)
            settings.populationRules = rules
            try await app.store.saveSettings(settings, of: org, at: Date())

            let c = PageClient(app)
            _ = try await c.signIn(People.hostAdmin)
            let home = try await c.get("/")
            #expect(home.html.contains("href=\"/settings/profile\""))
            let page = try await c.get("/settings/profile")
            #expect(page.status == .ok)
            // The saved countries as names; the industries of the imported accounts as boxes, with counts.
            #expect(page.html.contains("Germany (DE)") && page.html.contains("United Kingdom (GB)"))
            #expect(page.html.contains(ProfileView.countryFormat))
            let box = try #require(
                page.html.range(of: #"name="industry_0" value="[^"]+""#, options: .regularExpression))
            let first = String(page.html[box].split(separator: "\"")[3])
            #expect(page.html.contains("Two whole numbers"))

            let saved = try await c.post(
                "/settings/profile",
                [
                    "industry_0": first, "industries": "Aerospace\naerospace", "countries": "deutschland\nFR\nAtlantis",
                    "employees_min": "200", "employees_max": "",
                ])
            #expect(saved.status == .seeOther)
            #expect(
                saved.location?.hasPrefix("/settings/profile?notice=The%20ideal%20customer%20profile%20is%20saved.")
                    == true)
            let kept = try await app.store.settings(of: org)
            #expect(kept.populationRules == rules)
            let icp = try #require(kept.idealCustomerProfile)
            #expect(icp.industries == [first, "Aerospace"])
            #expect(icp.countries == ["DE", "FR", "Atlantis"])
            #expect(icp.employeeRange == 200...Int(Int32.max))
            let shown = try await c.get(saved.location ?? "/settings/profile")
            #expect(shown.html.contains("France (FR)"))
            #expect(shown.html.contains("Atlantis (not a country cosell knows: compared as written)"))
            #expect(shown.html.contains("Fit is worked out from it each time target accounts are read"))

            // Mistakes beside their fields, with what was typed kept; nothing saved.
            let refused = try await c.post(
                "/settings/profile",
                ["countries": "Narnia", "employees_min": "many", "employees_max": "10", "industries": "Mining"])
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.html.contains("id=\"profile-employees_min-error\""))
            #expect(refused.html.contains("value=\"many\""))
            #expect(refused.html.contains(">Narnia</textarea>"))
            #expect(refused.html.contains("Mining"))
            let lower = try await c.post("/settings/profile", ["employees_min": "500", "employees_max": "100"])
            #expect(lower.status == .unprocessableEntity)
            #expect(lower.html.contains("id=\"profile-employees_max-error\""))
            #expect(try await app.store.settings(of: org).idealCustomerProfile == icp)

            // A partner manager reads it and is told whom to ask; posting is refused.
            let daniel = PageClient(app)
            _ = try await daniel.signIn(People.hostPM)
            let read = try await daniel.get("/settings/profile")
            #expect(read.status == .ok)
            #expect(read.html.contains("Only admins of Quarry Data change it: ask Maya Okafor."))
            #expect(!read.html.contains("action=\"/settings/profile\""))
            #expect(try await daniel.post("/settings/profile", ["industries": "Mining"]).status == .forbidden)
            #expect(try await app.store.settings(of: org).idealCustomerProfile == icp)
        }
    }

    @Test("industry values merge regardless of capitals, under the most common spelling, most accounts first")
    func industryChoices() {
        let choices = ProfileModel.industryChoices([
            ("Software", 3), ("software ", 5), ("SOFTWARE", 1), ("Retail", 4), ("  ", 2), ("Banking", 4),
        ])
        #expect(choices.distinct == 3)
        #expect(choices.shown.map(\.value) == ["software", "Banking", "Retail"])
        #expect(choices.shown.map(\.accounts) == [9, 4, 4])
    }
}
