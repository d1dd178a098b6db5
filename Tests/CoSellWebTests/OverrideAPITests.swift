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
