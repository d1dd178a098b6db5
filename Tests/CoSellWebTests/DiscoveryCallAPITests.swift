import CoSellApp
import CoSellDomain
import CoSellPersistence
import CoSellTestSupport
import Foundation
import Testing
import Vapor

@testable import CoSellWeb

/// The partner discovery call over the API and in the pages: the demo's confirmed call, recording
/// another, each company confirming it, a change clearing the confirmations, every refusal named.
@Suite("Discovery calls over the API and in the pages")
struct DiscoveryCallAPITests {
    static let hostPM = "cosell_demo_host_partner_manager"
    static let partnerPM = "cosell_demo_partner_partner_manager"

    static func partnershipID(_ app: Application) async throws -> String {
        try #require(
            ((try await app.call(.GET, "/api/v1/partnerships")).json as? [[String: Any]])?.first?["id"] as? String)
    }

    /// A body for a new call built from the demo call's people and accounts.
    static func body(from demo: [String: Any], heldOn: String, verdict: String, reason: String?) throws -> [String: Any]
    {
        let attendees = try #require(demo["attendees"] as? [[String: Any]]).compactMap { $0["person_id"] as? String }
        let accounts = try #require(demo["accounts"] as? [[String: Any]]).compactMap { $0["id"] as? String }
        let useCase = try #require(demo["use_case"] as? [String: Any])
        let contributions = try #require(useCase["contributions"] as? [[String: Any]]).map {
            ["organization_id": $0["organization_id"] as Any, "text": "Brings \($0["company"] ?? "")"]
        }
        let owner = try #require((demo["next_move"] as? [String: Any])?["owner_id"] as? String)
        var b: [String: Any] = [
            "held_on": heldOn, "attendee_ids": attendees, "account_ids": [accounts[0]],
            "use_case": [
                "customer": "Insurers in the Nordics", "problem": "Claims data is ungoverned",
                "contributions": contributions,
            ],
            "next_move": ["text": "Book the joint workshop", "owner_id": owner, "due_on": heldOn], "verdict": verdict,
        ]
        if let reason { b["reason"] = reason }
        return b
    }

    static func json(_ v: Any) throws -> String {
        String(decoding: try JSONSerialization.data(withJSONObject: v), as: UTF8.self)
    }

    @Test("record, confirm by both companies, change and re-confirm; status follows", arguments: TestDatabase.all)
    func lifecycle(_ engine: TestDatabase) async throws {
        try await withTestApp(engine) { app in
            let ps = try await Self.partnershipID(app)
            let base = "/api/v1/partnerships/\(ps)/discovery-calls"
            // The demo's call: confirmed viable by both partner managers; a viewer reads it.
            let list = try await app.call(.GET, base, token: Token.hostViewer)
            #expect(list.status == .ok)
            #expect(list["discovery_status"] as? String == "viable")
            let demo = try #require((list["calls"] as? [[String: Any]])?.first)
            #expect(demo["confirmed"] as? Bool == true)
            #expect(
                Set((demo["confirmations"] as? [[String: Any]])?.compactMap { $0["person_name"] as? String } ?? [])
                    == ["Daniel Reyes", "Marcus Chen"])

            let today = LocalDate(Date()).description
            let good = try Self.body(from: demo, heldOn: today, verdict: "not_yet", reason: "Budgets reopen in Q2")
            // Refusals name the field and write nothing.
            #expect(
                try await app.call(.POST, base, token: Token.hostViewer, body: Self.json(good)).status == .forbidden)
            var bad = good
            bad["account_ids"] = [UUID().uuidString]
            for (field, body) in [
                ("account_ids[0]", bad), ("reason", good.merging(["reason": " "]) { $1 }),
                ("held_on", good.merging(["held_on": "3 Dec"]) { $1 }),
                ("verdict", good.merging(["verdict": "maybe"]) { $1 }),
                ("attendee_ids", good.filter { $0.key != "attendee_ids" }),
            ] {
                let r = try await app.call(.POST, base, token: Token.hostSeller, body: Self.json(body))
                #expect(r.status == .unprocessableEntity, "\(field): \(r.status)")
                #expect(r["field"] as? String == field)
                #expect(r.contentType.hasPrefix("application/problem+json"))
            }
            #expect(((try await app.call(.GET, base))["calls"] as? [Any])?.count == 1)

            // A seller records; the status stays with the confirmed call until both confirm the new one.
            let made = try await app.call(.POST, base, token: Token.hostSeller, body: Self.json(good))
            #expect(made.status == .created)
            let callID = try #require(made["id"] as? String)
            #expect(made["version"] as? Int == 1)
            #expect(
                made["use_case"].flatMap { ($0 as? [String: Any])?["customer"] as? String } == "Insurers in the Nordics"
            )
            #expect((try await app.call(.GET, base))["discovery_status"] as? String == "viable")
            let one = "\(base)/\(callID)"
            #expect(try await app.call(.POST, "\(one)/confirmation", token: Token.hostSeller).status == .forbidden)
            let halyard = try await app.call(.POST, "\(one)/confirmation", token: Self.partnerPM)
            #expect(halyard.status == .ok)
            #expect(halyard["confirmed"] as? Bool == false)
            #expect(try await app.call(.POST, "\(one)/confirmation", token: Self.partnerPM).status == .conflict)
            let quarry = try await app.call(.POST, "\(one)/confirmation", token: Self.hostPM)
            #expect(quarry["confirmed"] as? Bool == true)
            #expect((try await app.call(.GET, base))["discovery_status"] as? String == "not_yet")

            // A stale version is refused; a change clears both confirmations, and the demo's call counts again.
            let version = try #require(quarry["version"] as? Int)
            var edit = good.merging(["version": version - 1]) { $1 }
            #expect(
                try await app.call(.PUT, one, token: Token.partnerSeller, body: Self.json(edit)).status == .conflict)
            edit["version"] = version
            edit["next_move"] = [
                "text": "Book the workshop with both CISOs",
                "owner_id": (good["next_move"] as! [String: Any])["owner_id"]!, "due_on": today,
            ]
            let changed = try await app.call(.PUT, one, token: Token.partnerSeller, body: Self.json(edit))
            #expect(changed.status == .ok)
            #expect((changed["confirmations"] as? [Any])?.isEmpty == true)
            #expect(changed["version"] as? Int == version + 1)
            #expect((try await app.call(.GET, base))["discovery_status"] as? String == "viable")
            let fetched = try await app.call(.GET, one, token: Token.partnerSeller)
            #expect((fetched["next_move"] as? [String: Any])?["text"] as? String == "Book the workshop with both CISOs")
            // An unknown call is not found; the audit log has the writes.
            #expect(try await app.call(.GET, "\(base)/\(UUID().uuidString)").status == .notFound)
            let audit = try await app.call(.GET, "/api/v1/audit?limit=200")
            let kinds = (audit["items"] as? [[String: Any]])?.compactMap { $0["kind"] as? String } ?? []
            #expect(kinds.contains("discovery_call_recorded") && kinds.contains("discovery_call_confirmed"))
            #expect(kinds.contains("discovery_call_changed"))
        }
    }

    @Test(
        "the partnership page shows who confirmed, records a call with its errors beside the form, and the home page asks for the next move",
        arguments: TestDatabase.all)
    func pages(_ engine: TestDatabase) async throws {
        try await withTestApp(engine) { app in
            let ps = try #require(try await app.store.partnerships(of: DemoIDs.host).first)
            let c = PageClient(app)
            _ = try await c.signIn(People.hostPM)
            let path = "/partnerships/\(ps.id.uuidString)"
            let page = try await c.get(path)
            #expect(page.status == .ok)
            #expect(page.html.contains("id=\"discovery-call\""))
            #expect(
                page.html.contains(
                    "Viable — confirmed by Marcus Chen (Halyard Security) and Daniel Reyes (Quarry Data) on"))
            #expect(!page.html.contains("id=\"confirm-discovery\""), "Quarry Data has confirmed already")

            // The demo's next move falls due today: Daniel's home page asks for it.
            let home = try await c.get("/")
            #expect(home.html.contains("Partnerships waiting on you"))
            #expect(
                home.html.contains("Review the three named accounts with both sellers and pick the first joint deal"))

            // The list shows the status.
            #expect(try await c.get("/partnerships").html.contains("Discovery call: Viable"))

            let calls = try await app.store.discoveryCalls(of: ps.id)
            let demo = try #require(calls.first)
            var form: [String: String] = [
                "held_on": "2026-12-03", "customer": "Insurers", "problem": "Ungoverned claims data",
                "next_move": "Book the workshop", "next_move_owner": demo.content.nextMove.ownerID.uuidString,
                "next_move_due": "2026-12-01", "verdict": "viable",
            ]
            for a in demo.content.attendeeIDs { form["attendee_\(a.uuidString)"] = "on" }
            form["account_\(demo.content.accountIDs[0].uuidString)"] = "on"
            for o in ps.organizationIDs { form["brings_\(o.uuidString)"] = "Something" }
            let refused = try await c.post("\(path)/discovery-call", form)
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.html.contains("The next move is due on or after the day of the call."))
            #expect(refused.html.contains("value=\"Book the workshop\""))
            #expect(try await app.store.discoveryCalls(of: ps.id).count == 1)

            form["next_move_due"] = "2026-12-10"
            let saved = try await c.post("\(path)/discovery-call", form)
            #expect(saved.status == .seeOther)
            let after = try await c.get(path)
            #expect(after.html.contains("Quarry Data: not confirmed yet"))
            #expect(after.html.contains("id=\"confirm-discovery\""))
            let newCall = try #require(try await app.store.discoveryCalls(of: ps.id).first { $0.id != demo.id })
            let confirmed = try await c.post("\(path)/discovery-call/confirmation", ["call_id": newCall.id.uuidString])
            #expect(confirmed.status == .seeOther)
            #expect(try await c.get(path).html.contains("Quarry Data: confirmed by Daniel Reyes"))
            // Halyard Security's partner manager is asked to confirm it on the home page.
            let marcus = PageClient(app)
            _ = try await marcus.signIn(People.partnerPM)
            #expect(try await marcus.get("/").html.contains("Confirm the discovery call with Quarry Data"))
        }
    }
}
