import CoSellDomain
import CoSellPersistence
import CoSellTestSupport
import CoSellWorkflows
import Foundation
import Testing
import Vapor

@testable import CoSellWeb

/// The home page's first steps for a company without a working partnership yet.
@Suite("Guided start on the home page")
struct PageGuidedStartTests {
    static let password = "a long enough password"

    @Test("the steps follow the company: nothing yet, imported, invited (pending), accepted, sharing set")
    func steps() async throws {
        try await withTestApp(.sqlite, demo: false) { app in
            let c = PageClient(app)
            _ = try await c.get("/setup")
            let made = try await c.post(
                "/setup",
                [
                    "organization": "Acme Analytics", "domain": "acme.example", "name": "Ada Admin",
                    "email": "ada@acme.example", "password": Self.password, "password_again": Self.password,
                ])
            #expect(made.status == .seeOther)
            let ada = try #require(try await app.store.person(email: "ada@acme.example"))
            let w = Workflows(store: FluentWorkflowStore(app.store))

            // Nothing yet: three steps to do, no deal lists.
            var home = try await c.get("/")
            #expect(home.html.contains("id=\"first-steps\""))
            #expect(home.html.contains("0 of 3 done"))
            #expect(home.html.contains("Not yet: upload a CSV export of Acme Analytics"))
            #expect(home.html.contains("href=\"/import\""))
            #expect(!home.html.contains("Waiting on you"))
            // The profile page says there is nothing imported to choose industries from.
            let profile = try await c.get("/settings/profile")
            #expect(profile.html.contains("No accounts of Acme Analytics are imported yet"))
            #expect(!profile.html.contains("name=\"industry_0\""))

            // Imported.
            let csv =
                "account_id,name,website,country,industry\n1,Northwind,northwind.example,US,Logistics\n"
                + "2,Fabrikam,fabrikam.example,DE,Software\n3,Contoso,contoso.example,GB,Software\n"
            let job = try await w.imports.startByOperator(
                into: ada.organizationID, .init(.data(Data(csv.utf8), fileName: "acme.csv")))
            try await w.imports.run(job)
            home = try await c.get("/")
            #expect(home.html.contains("Done: 3 accounts of Acme Analytics imported."))
            #expect(home.html.contains("1 of 3 done"))
            let industries = try await c.get("/settings/profile")
            #expect(industries.html.contains("Software (2)"))

            // Invited: pending counts, waiting for the other company.
            let beacon = Organization(id: UUID(), name: "Beacon Cloud", domain: "beacon.example", createdAt: Date())
            try await app.store.insert(beacon)
            let bea = Person(
                id: UUID(), organizationID: beacon.id, name: "Bea Berg", email: "bea@beacon.example", role: .admin)
            try await app.store.insert(bea, at: Date())
            let ps = try await w.partnerships.invite(by: Principal(person: ada, scope: .readWrite)) {
                .init(name: "Acme + Beacon", partnerDomain: "beacon.example")
            }
            home = try await c.get("/")
            #expect(home.html.contains("Invited, waiting for Beacon Cloud to accept."))
            #expect(home.html.contains("Once Beacon Cloud accepts, choose what Acme Analytics shares with it."))
            #expect(home.html.contains("2 of 3 done"))

            // Accepted, nothing shared: the link goes to the partnership's sharing; the deal lists are back.
            _ = try await w.partnerships.accept(ps.id, by: Principal(person: bea, scope: .readWrite))
            home = try await c.get("/")
            #expect(home.html.contains("Not yet: Acme Analytics shares nothing with Beacon Cloud"))
            #expect(home.html.contains("href=\"/partnerships/\(ps.id.uuidString)#sharing-h\""))
            #expect(home.html.contains("Waiting on you"))

            // Sharing set: the steps are gone, the home page is as for any company.
            _ = try await w.partnerships.setSharing(in: ps.id, by: Principal(person: ada, scope: .readWrite)) {
                .init(population: "customer", level: .overlappingAccounts)
            }
            home = try await c.get("/")
            #expect(home.status == .ok)
            #expect(!home.html.contains("id=\"first-steps\""))
            #expect(home.html.contains("Waiting on you"))
        }
    }

    @Test("the demo companies, imported, partnered and sharing, see no steps")
    func demoHasNoSteps() async throws {
        try await withTestApp(.sqlite) { app in
            let c = PageClient(app)
            _ = try await c.signIn(People.hostSeller)
            let home = try await c.get("/")
            #expect(home.status == .ok)
            #expect(!home.html.contains("id=\"first-steps\""))
            #expect(home.html.contains("Waiting on you"))
        }
    }

    static let quarry = UUID()
    static let beacon = UUID()

    static func facts(
        role: Role, imported: Int = 0, partnerships: [(Partnership, String, Bool)] = []
    ) -> GuidedStart.Facts {
        .init(
            companyName: "Quarry Labs", readerRole: role, admins: ["Maya Okafor"], partnerManagers: ["Daniel Reyes"],
            importedAccounts: imported,
            partnerships: partnerships.map { (partnership: $0.0, otherName: $0.1, sharing: $0.2) },
            myOrganization: quarry)
    }

    static func partnership(_ status: Partnership.Status, invitedBy: UUID) -> Partnership {
        var p = Partnership(
            id: UUID(), name: "Quarry + Beacon", organizationIDs: [quarry, beacon], status: status,
            createdAt: Date())
        p.invitedBy = invitedBy
        return p
    }

    @Test("a reader who cannot do a step is told whom to ask, by company and people's names")
    func whomToAsk() throws {
        let seller = try #require(GuidedStart.make(Self.facts(role: .seller)))
        #expect(
            seller.steps[0].ask
                == "Ask an admin or a partner manager of Quarry Labs (Maya Okafor, Daniel Reyes) to import the accounts."
        )
        #expect(seller.steps[0].href == nil)
        #expect(
            seller.steps[1].ask == "Ask an admin of Quarry Labs (Maya Okafor) to invite the company you co-sell with.")
        #expect(seller.steps[2].href == nil && seller.steps[2].ask == nil)
        let admin = try #require(GuidedStart.make(Self.facts(role: .admin)))
        #expect(admin.steps.allSatisfy { $0.ask == nil })
        #expect(admin.steps[0].href == SiteRoute.importUpload.href)
        #expect(admin.steps[1].href == SiteRoute.partnerships.href)
        // A partner manager imports but does not invite.
        let pm = try #require(GuidedStart.make(Self.facts(role: .partnerManager)))
        #expect(pm.steps[0].ask == nil && pm.steps[0].href == SiteRoute.importUpload.href)
        #expect(pm.steps[1].ask != nil)

        // Invited by the other company: to accept, not done.
        let received = try #require(
            GuidedStart.make(
                Self.facts(
                    role: .viewer, imported: 10,
                    partnerships: [(Self.partnership(.pending, invitedBy: Self.beacon), "Beacon Cloud", false)])))
        #expect(!received.steps[1].done)
        #expect(received.steps[1].state == "Beacon Cloud invited Quarry Labs: accept on the Partnerships page.")
        #expect(received.steps[1].ask == "Ask an admin of Quarry Labs (Maya Okafor) to accept it.")
        // Active and not shared: the sharing step asks an admin.
        let active = Self.partnership(.active, invitedBy: Self.quarry)
        let unshared = try #require(
            GuidedStart.make(Self.facts(role: .seller, imported: 10, partnerships: [(active, "Beacon Cloud", false)])))
        #expect(unshared.steps.map(\.done) == [true, true, false])
        #expect(unshared.steps[2].ask == "Ask an admin of Quarry Labs (Maya Okafor) to set what Quarry Labs shares.")
        #expect(unshared.steps[2].href == SiteRoute.partnership(active.id).href + "#sharing-h")
        // Shared but nothing imported: still shown.
        let unimported = try #require(
            GuidedStart.make(Self.facts(role: .admin, partnerships: [(active, "Beacon Cloud", true)])))
        #expect(unimported.steps.map(\.done) == [false, true, true])
        #expect(
            GuidedStart.make(Self.facts(role: .admin, imported: 1, partnerships: [(active, "Beacon Cloud", true)]))
                == nil)

        // What a person reads names companies, never sides.
        for g in [seller, admin, pm, received, unshared, unimported] {
            for step in g.steps {
                for text in [step.state, step.ask ?? "", step.linkText ?? ""] {
                    #expect(
                        text.range(
                            of: #"\b(host|partner)\b(?! manager)"#, options: [.regularExpression, .caseInsensitive])
                            == nil, "\(text)")
                }
            }
        }
    }
}
