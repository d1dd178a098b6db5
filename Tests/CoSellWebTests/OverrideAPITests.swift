import CoSellDomain
import CoSellTestSupport
import Foundation
import Testing
import Vapor

/// Issue 14: an override that skips the other company's part takes an admin of each company.
@Suite("Override API: two keys")
struct OverrideAPITests {
    @Test(
        "Halyard's admin asks to skip Quarry's part; nothing moves until Quarry's admin confirms",
        arguments: TestDatabase.all)
    func twoKeys(_ engine: TestDatabase) async throws {
        try await withTestApp(engine) { app in
            let (partnership, account) = try await freshAccount(app)
            let opened = try await app.call(
                .POST, "/api/v1/deals",
                body: jsonString([
                    "partnership_id": partnership.id.uuidString, "joint_account_id": account.id.uuidString,
                    "title": "Two keys",
                ]))
            let id = try #require(opened.path("deal", "id") as? String)
            let d = "/api/v1/deals/\(id)"
            let reason = ["override_reason": "The customer's board meets next week; agreed on the call."]
            // A partner manager is no admin.
            let pm = try await app.call(
                .POST, d + "/advance", token: "cosell_demo_partner_partner_manager", body: jsonString(reason))
            #expect(pm.status == .forbidden)
            // The first key: recorded, the stage stays, Quarry's admins are asked.
            var r = try await app.call(.POST, d + "/advance", token: Token.partnerAdmin, body: jsonString(reason))
            #expect(r.status == .ok)
            #expect(r["stage_key"] as? String == "target_account_selection")
            #expect(r.path("deal", "pending_override", "side") as? String == "partner")
            let actions = try await app.call(.GET, "/api/v1/me/actions", token: Token.hostAdmin)
            let items = (actions["items"] as? [[String: Any]]) ?? []
            #expect(
                items.contains { $0["deal_id"] as? String == id && $0["part"] as? String == "override_confirmation" })
            // Asking again from Halyard is refused while it waits.
            r = try await app.call(.POST, d + "/advance", token: Token.partnerAdmin, body: jsonString(reason))
            #expect(r.status == .conflict)
            // The second key: Quarry's admin confirms; the stage is skipped with both admins on the passage.
            r = try await app.call(
                .POST, d + "/advance", token: Token.hostAdmin,
                body: jsonString(["override_reason": "Agreed: Quarry commits after the board."]))
            #expect(r.status == .ok)
            #expect(r["stage_key"] as? String == "door_opener")
            let passage = try #require((r.path("deal", "passages") as? [[String: Any]])?.last)
            #expect(passage["exit"] as? String == "skipped")
            #expect(passage["confirmed_by"] != nil)
            #expect(r.path("deal", "pending_override") == nil)
        }
    }
}

@Suite("Deal commands by company and role, through the API")
struct DealPermissionsAPITests {
    @Test(
        "Halyard may not rename Quarry's deal or log its outcome; its manager may abandon it; Quarry's manager reopens it",
        arguments: TestDatabase.all)
    func byCompany(_ engine: TestDatabase) async throws {
        try await withTestApp(engine) { app in
            let (partnership, account) = try await freshAccount(app)
            let opened = try await app.call(
                .POST, "/api/v1/deals",
                body: jsonString([
                    "partnership_id": partnership.id.uuidString, "joint_account_id": account.id.uuidString,
                    "title": "Quarry's deal",
                ]))
            let id = try #require(opened.path("deal", "id") as? String)
            let d = "/api/v1/deals/\(id)"
            for token in [Token.partnerAdmin, "cosell_demo_partner_partner_manager"] {
                let rename = try await app.call(.PATCH, d, token: token, body: jsonString(["title": "Halyard's now"]))
                #expect(rename.status == .forbidden)
                #expect((rename["detail"] as? String)?.contains("Quarry Data") == true)
                let outcome = try await app.call(
                    .PUT, d + "/outcome", token: token,
                    body: jsonString([
                        "result": "lost", "final_amount": ["amount": "0", "currency": "USD"],
                        "close_date": LocalDate(Date()).description, "loss_reason": "No budget",
                    ]))
                #expect(outcome.status == .forbidden)
            }
            var r = try await app.call(
                .POST, d + "/abandon", token: "cosell_demo_partner_partner_manager",
                body: jsonString([
                    "reason": "The customer chose to build it in-house.",
                    "lesson": ["stage_key": "target_account_selection", "text": "Ask whether they build in-house."],
                ]))
            #expect(r.path("deal", "status") as? String == "abandoned")
            // Halyard cannot take it up again; Quarry's partner manager can, with a reason.
            r = try await app.call(
                .POST, d + "/reopening", token: Token.partnerAdmin, body: jsonString(["reason": "We want it back."]))
            #expect(r.status == .forbidden)
            r = try await app.call(
                .POST, d + "/reopening", token: "cosell_demo_host_partner_manager", body: jsonString(["reason": ""]))
            #expect(r.status == .unprocessableEntity)
            r = try await app.call(
                .POST, d + "/reopening", token: "cosell_demo_host_partner_manager",
                body: jsonString(["reason": "The build failed; the customer is back."]))
            #expect(r.status == .ok)
            #expect(r.path("deal", "status") as? String == "open")
            #expect(r["stage_key"] as? String == "target_account_selection")
        }
    }
}

@Suite("A second open deal on one account, through the API")
struct ParallelDealAPITests {
    @Test("refused without parallel_reason, naming the open deal; opened with it", arguments: TestDatabase.all)
    func secondDeal(_ engine: TestDatabase) async throws {
        try await withTestApp(engine) { app in
            let (partnership, account) = try await freshAccount(app)
            var body: [String: Any] = [
                "partnership_id": partnership.id.uuidString, "joint_account_id": account.id.uuidString,
                "title": "First project",
            ]
            #expect(try await app.call(.POST, "/api/v1/deals", body: jsonString(body)).status == .created)
            body["title"] = "Second project"
            let refused = try await app.call(.POST, "/api/v1/deals", body: jsonString(body))
            #expect(refused.status == .unprocessableEntity)
            #expect(refused["field"] as? String == "parallel_reason")
            #expect((refused["detail"] as? String)?.contains("First project") == true)
            body["parallel_reason"] = "The analytics project is its own budget and buyer."
            let opened = try await app.call(.POST, "/api/v1/deals", body: jsonString(body))
            #expect(opened.status == .created)
            #expect(
                opened.path("deal", "parallel_reason") as? String
                    == "The analytics project is its own budget and buyer.")
        }
    }
}
