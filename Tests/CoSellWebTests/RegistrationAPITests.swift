import CoSellDomain
import CoSellPersistence
import CoSellTestSupport
import CoSellWeb
import Foundation
import Testing
import Vapor

/// Issue 14: the registration workflow through the API (submit, reject with a reason, resubmit,
/// accept, renew), and one opportunity of one customer registered once across the host's partnerships.
@Suite("Registration API")
struct RegistrationAPITests {
    static func openDeal(_ app: Application, partnership: UUID, account: UUID, title: String) async throws -> String {
        let r = try await app.call(
            .POST, "/api/v1/deals",
            body: jsonString([
                "partnership_id": partnership.uuidString, "joint_account_id": account.uuidString, "title": title,
            ]))
        #expect(r.status == .created, "\(String(describing: r.json))")
        return try #require(r.path("deal", "id") as? String)
    }

    @Test(
        "an accepted registration's tag changes when the other company accepts the amendment, in both audit logs",
        arguments: TestDatabase.all)
    func tagAmendment(_ engine: TestDatabase) async throws {
        try await withTestApp(engine) { app in
            let (partnership, account) = try await freshAccount(app)
            let id = try await Self.openDeal(app, partnership: partnership.id, account: account.id, title: "Amended")
            let d = "/api/v1/deals/\(id)"
            var r = try await app.call(
                .POST, d + "/registration", token: Token.partnerAdmin,
                body: jsonString([
                    "registration_id": "HAL-50", "attribution": "partner_sourced", "sourced_by": "partner",
                ]))
            #expect(r.status == .ok)
            r = try await app.call(.POST, d + "/registration/acceptance", token: Token.hostAdmin)
            #expect(r.path("registration", "state") as? String == "accepted")
            // Quarry proposes influenced; its own admin cannot accept it; Halyard does.
            r = try await app.call(
                .POST, d + "/registration/amendment", token: "cosell_demo_host_partner_manager",
                body: jsonString([
                    "attribution": "partner_influenced", "sourced_by": "host",
                    "reason": "Quarry had the opportunity open before the introduction.",
                ]))
            #expect(r.status == .ok)
            #expect(r.path("registration", "pending_amendment", "attribution") as? String == "partner_influenced")
            #expect(r.path("registration", "attribution") as? String == "partner_sourced")
            let own = try await app.call(.POST, d + "/registration/amendment/acceptance", token: Token.hostAdmin)
            #expect(own.status == .forbidden)
            let noReason = try await app.call(
                .POST, d + "/registration/amendment/rejection", token: Token.partnerAdmin,
                body: jsonString(["reason": ""]))
            #expect(noReason.status == .unprocessableEntity)
            #expect(noReason["field"] as? String == "reason")
            r = try await app.call(.POST, d + "/registration/amendment/acceptance", token: Token.partnerAdmin)
            #expect(r.status == .ok)
            #expect(r.path("registration", "attribution") as? String == "partner_influenced")
            #expect(r.path("registration", "sourced_by") as? String == "host")
            #expect(r.path("registration", "pending_amendment") == nil)
            for token in [Token.hostAdmin, Token.partnerAdmin] {
                let audit = try await app.call(.GET, "/api/v1/audit?limit=50", token: token)
                let kinds = ((audit["items"] as? [[String: Any]]) ?? []).compactMap { $0["kind"] as? String }
                #expect(kinds.contains("registration_amendment_proposed") && kinds.contains("registration_amended"))
            }
            // A seller may not propose.
            let seller = try await app.call(
                .POST, d + "/registration/amendment", token: Token.hostSeller,
                body: jsonString(["attribution": "partner_sourced", "sourced_by": "partner", "reason": "Back again"]))
            #expect(seller.status == .forbidden || seller.status == .notFound)
        }
    }

    @Test(
        "a partner-sourced claim on an account Quarry's CRM had as a customer is flagged to both companies",
        arguments: TestDatabase.all)
    func sourcedClaimFlagged(_ engine: TestDatabase) async throws {
        try await withTestApp(engine) { app in
            let (partnership, _) = try await freshAccount(app)
            let account = JointAccount(
                id: UUID(), partnershipID: partnership.id, name: "Kept Customer \(UUID().uuidString.prefix(6))",
                domain: "kept.example", country: "DE", industry: "Software", employees: 800, origin: .overlap,
                reason: nil,
                populations: [
                    AccountPopulation(organizationID: DemoIDs.host, population: "customer"),
                    AccountPopulation(
                        organizationID: partnership.organizationIDs.first { $0 != DemoIDs.host }!,
                        population: "prospect"),
                ], createdAt: Date())
            try await app.store.insert(account)
            let id = try await Self.openDeal(app, partnership: partnership.id, account: account.id, title: "Kept")
            let r = try await app.call(
                .POST, "/api/v1/deals/\(id)/registration", token: Token.partnerAdmin,
                body: jsonString([
                    "registration_id": "HAL-90", "attribution": "partner_sourced", "sourced_by": "partner",
                ]))
            #expect(r.status == .ok)
            let warning = try #require(r.path("registration", "sourced_claim_warning") as? String)
            #expect(warning.hasPrefix("Quarry Data's CRM had \(account.name) as a customer before this deal"))
            #expect(r.path("registration", "state") as? String == "pending")
            for email in [People.hostPM, People.partnerPM] {
                let c = PageClient(app)
                _ = try await c.signIn(email)
                #expect(try await c.get("/deals/\(id)").html.contains("id=\"sourced-claim-warning\""), "\(email)")
            }
            // Influenced (sourced by Quarry): nothing to flag.
            let again = try await app.call(
                .POST, "/api/v1/deals/\(id)/registration", token: Token.partnerAdmin,
                body: jsonString([
                    "registration_id": "HAL-91", "attribution": "partner_influenced", "sourced_by": "host",
                ]))
            #expect(again.status == .ok)
            #expect(again.path("registration", "sourced_claim_warning") == nil)
        }
    }

    @Test(
        "submit, reject with a reason, resubmit, accept: each by the company whose turn it is",
        arguments: TestDatabase.all)
    func workflow(_ engine: TestDatabase) async throws {
        try await withTestApp(engine) { app in
            let (partnership, account) = try await freshAccount(app)
            let id = try await Self.openDeal(app, partnership: partnership.id, account: account.id, title: "Registered")
            let d = "/api/v1/deals/\(id)"
            // Halyard (the partner) claims it as sourced.
            var r = try await app.call(
                .POST, d + "/registration", token: Token.partnerAdmin,
                body: jsonString([
                    "registration_id": "HAL-77", "attribution": "partner_sourced", "sourced_by": "partner",
                    "crm_opportunity_id": "006A1",
                ]))
            #expect(r.status == .ok)
            #expect(r.path("registration", "state") as? String == "pending")
            #expect(r.path("registration", "submitted_by") as? String == "partner")
            #expect(r.path("registration", "deciding_side") as? String == "host")
            #expect(r.path("registration", "crm_opportunity_id") as? String == "006A1")
            // Halyard cannot accept its own claim; a Quarry viewer may not decide.
            for token in ["cosell_demo_partner_partner_manager", Token.hostViewer] {
                let refused = try await app.call(.POST, d + "/registration/acceptance", token: token)
                #expect(refused.status == .forbidden)
                #expect(refused.contentType.hasPrefix("application/problem+json"))
            }
            // A rejection needs its reason.
            r = try await app.call(
                .POST, d + "/registration/rejection", token: Token.hostAdmin, body: jsonString(["reason": ""]))
            #expect(r.status == .unprocessableEntity)
            #expect(r["field"] as? String == "reason")
            r = try await app.call(
                .POST, d + "/registration/rejection", token: "cosell_demo_host_partner_manager",
                body: jsonString(["reason": "Quarry had it open before the introduction: resubmit as influenced."]))
            #expect(r.status == .ok)
            #expect(r.path("registration", "state") as? String == "rejected")
            #expect((r.path("registration", "rejection_reason") as? String)?.hasPrefix("Quarry had it open") == true)
            // Halyard amends and resubmits; Quarry accepts.
            r = try await app.call(
                .POST, d + "/registration", token: Token.partnerAdmin,
                body: jsonString([
                    "registration_id": "HAL-77", "attribution": "partner_influenced", "sourced_by": "host",
                ])
            )
            #expect(r.path("registration", "state") as? String == "pending")
            r = try await app.call(.POST, d + "/registration/acceptance", token: Token.hostAdmin)
            #expect(r.status == .ok)
            #expect(r.path("registration", "state") as? String == "accepted")
            // The demo partnership's plan sets 60 days: from today.
            let expected = LocalDate(Date().addingTimeInterval(60 * 86_400)).description
            #expect(r.path("registration", "expires_on") as? String == expected)
            // Renewing on the day of acceptance moves nothing; a second acceptance is refused.
            #expect(try await app.call(.POST, d + "/registration/renewal", token: Token.hostAdmin).status == .conflict)
            #expect(
                try await app.call(.POST, d + "/registration/acceptance", token: Token.hostAdmin).status == .conflict)
            let timeline = try await app.call(.GET, d + "/timeline")
            let kinds = ((timeline["items"] as? [[String: Any]]) ?? (timeline.json as? [[String: Any]]) ?? [])
                .compactMap { $0["kind"] as? String }
            for kind in ["registered", "registration_rejected", "registration_resubmitted", "registration_accepted"] {
                #expect(kinds.contains(kind), "\(kind) in \(kinds)")
            }
        }
    }

    @Test(
        "one customer's opportunity is registered once across the host's partnerships; ids are unique per company",
        arguments: TestDatabase.all)
    func onceAcrossPartnerships(_ engine: TestDatabase) async throws {
        try await withTestApp(engine) { app in
            let (first, account) = try await freshAccount(app)
            // A second partner of Quarry, with an admin who can decide, and the same customer on its overlap.
            let tern = Organization(id: UUID(), name: "Tern Cloud", domain: "terncloud.example", createdAt: Date())
            try await app.store.insert(tern)
            let ternAdmin = Person(
                id: UUID(), organizationID: tern.id, name: "Tomas Tern", email: "tomas@terncloud.example", role: .admin)
            try await app.store.insert(ternAdmin, at: Date())
            try await app.store.insertToken(
                id: UUID(), personID: ternAdmin.id, name: "t", hash: APITokens.hash("cosell_tern_admin"),
                scope: "read_write", at: Date())
            let hostID = try #require(first.organizationIDs.first { $0 == DemoIDs.host })
            let second = Partnership(
                id: UUID(), name: "Quarry Data × Tern Cloud", organizationIDs: [hostID, tern.id], createdAt: Date())
            try await app.store.insert(second)
            var sameCustomer = account
            sameCustomer.id = UUID()
            sameCustomer.partnershipID = second.id
            sameCustomer.name = account.name + " (Tern)"
            // The same customer, its domain as another CRM writes it (read as account mapping reads domains).
            sameCustomer.domain = "https://WWW." + (account.domain ?? "").uppercased() + "/about"
            sameCustomer.populations = second.organizationIDs.map {
                AccountPopulation(organizationID: $0, population: "prospect")
            }
            try await app.store.insert(sameCustomer)

            let a = try await Self.openDeal(app, partnership: first.id, account: account.id, title: "With Halyard")
            let b = try await Self.openDeal(app, partnership: second.id, account: sameCustomer.id, title: "With Tern")
            func register(_ deal: String, _ code: String, opportunity: String? = nil) async throws -> Answer {
                var body: [String: Any] = [
                    "registration_id": code, "attribution": "partner_influenced", "sourced_by": "host",
                ]
                if let opportunity { body["crm_opportunity_id"] = opportunity }
                return try await app.call(.POST, "/api/v1/deals/\(deal)/registration", body: jsonString(body))
            }
            #expect(try await register(a, "QD-900").status == .ok)
            #expect(
                try await app.call(.POST, "/api/v1/deals/\(a)/registration/acceptance", token: Token.partnerAdmin)
                    .status == .ok)
            // Quarry uses its registration ids once.
            let reused = try await register(b, "QD-900")
            #expect(reused.status == .unprocessableEntity)
            #expect(reused["field"] as? String == "registration_id")
            // Tern accepting a second claim on the same customer would count the revenue twice: refused, named.
            #expect(try await register(b, "QD-901").status == .ok)
            let twice = try await app.call(
                .POST, "/api/v1/deals/\(b)/registration/acceptance", token: "cosell_tern_admin")
            #expect(twice.status == .conflict)
            #expect((twice["detail"] as? String)?.contains("QD-900") == true)
            let kept = try await app.call(.GET, "/api/v1/deals/\(b)", token: "cosell_tern_admin")
            #expect(kept.path("registration", "state") as? String == "pending")
            // Another opportunity of the same customer is its own revenue.
            #expect(try await register(b, "QD-901", opportunity: "006-SECOND").status == .ok)
            let other = try await app.call(
                .POST, "/api/v1/deals/\(b)/registration/acceptance", token: "cosell_tern_admin")
            #expect(other.status == .ok, "\(String(describing: other.json))")
        }
    }
}

@Suite("Ending a partnership with deals closed but not reviewed")
struct EndedPartnershipDealsTests {
    @Test(
        "after the end, the won deals waiting for their review are reviewed and completed; nothing else changes",
        arguments: TestDatabase.all)
    func reviewAfterEnd(_ engine: TestDatabase) async throws {
        try await withTestApp(engine) { app in
            let deals = try await app.call(.GET, "/api/v1/deals?status=won&limit=50", token: Token.hostAdmin)
            let items = (deals["items"] as? [[String: Any]]) ?? []
            // Alder & Finch: won a week ago, its registration pending, not reviewed.
            let alder = try #require(
                items.first { (($0["deal"] as? [String: Any])?["title"] as? String)?.hasPrefix("Alder") == true })
            let id = try #require((alder["deal"] as? [String: Any])?["id"] as? String)
            let partnership = try #require((alder["deal"] as? [String: Any])?["partnership_id"] as? String)
            let end = try await app.call(
                .POST, "/api/v1/partnerships/\(partnership)/ending", token: Token.hostAdmin,
                body: jsonString(["reason": "Quarry and Halyard part ways at the end of the year."]))
            #expect(end.status == .ok, "\(String(describing: end.json))")
            let d = "/api/v1/deals/\(id)"
            // The pending registration stays as it was.
            let accept = try await app.call(.POST, d + "/registration/acceptance", token: Token.hostAdmin)
            #expect(accept.status == .conflict)
            #expect((accept["detail"] as? String)?.contains("partnership has ended") == true)
            let rename = try await app.call(
                .PATCH, d, token: Token.hostAdmin, body: jsonString(["title": "Renamed after the end"]))
            #expect(rename.status == .conflict)
            // Both companies can still review it.
            let review = try await app.call(
                .PUT, d + "/review", token: Token.partnerAdmin,
                body: jsonString([
                    "held_on": LocalDate(Date()).description, "attendees": ["Marcus Chen", "Daniel Reyes"],
                    "lessons": [["stage_key": "joint_pursuit", "text": "Agree the registration before the close."]],
                ]))
            #expect(review.status == .ok, "\(String(describing: review.json))")
            let after = try await app.call(.GET, d, token: Token.hostAdmin)
            #expect((after.path("deal", "evidence", "close", "review", "lessons") as? [Any])?.count == 1)
            #expect(after.path("registration", "state") as? String == "pending")
        }
    }
}
