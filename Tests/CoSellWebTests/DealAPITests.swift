import CoSellApp
import CoSellDomain
import CoSellPersistence
import CoSellTestSupport
import CoSellWeb
import Foundation
import Testing
import Vapor

@Suite("Deal API")
struct DealAPITests {
    @Test("health reports the database and the schema version", arguments: TestDatabase.all)
    func health(_ engine: TestDatabase) async throws {
        try await withTestApp(engine) { app in
            let r = try await app.call(.GET, "/health", token: nil)
            #expect(r.status == .ok)
            #expect(r["database"] as? String == engine.description)
            #expect(r["schema_version"] as? Int == CoSellMigrations.schemaVersion)
            #expect(r["status"] as? String == "ok")
        }
    }

    @Test(
        "a deal goes from target account selection to a reviewed close, refused at every closed gate",
        arguments: TestDatabase.all)
    func fullWalk(_ engine: TestDatabase) async throws {
        try await withTestApp(engine) { app in
            let (partnership, account) = try await freshAccount(app)
            // The host seller opens the deal and puts the partner's seller on it by assigning them the
            // partner's move (sellers see the deals they are on).
            let created = try await app.call(
                .POST, "/api/v1/deals", token: Token.hostSeller,
                body: jsonString([
                    "partnership_id": partnership.id.uuidString, "joint_account_id": account.id.uuidString,
                    "title": "Joint platform deal", "amount": ["amount": "120000.00", "currency": "EUR"],
                    "expected_close_date": LocalDate(Date().addingTimeInterval(120 * 86_400)).description,
                ]))
            #expect(created.status == .created)
            let id = try #require(created.path("deal", "id") as? String)
            #expect(created["stage_key"] as? String == "target_account_selection")
            #expect(created.path("gate", "open") as? Bool == false)
            let d = "/api/v1/deals/\(id)"
            #expect(try await app.call(.GET, d, token: Token.partnerSeller).status == .notFound)
            let partnerSellerID = try #require(
                try await app.call(.GET, "/api/v1/me", token: Token.partnerSeller).path("person", "id") as? String)
            let partnerMove = try #require(
                (created.path("deal", "moves") as? [[String: Any]])?.first { $0["side"] as? String == "partner" }?["id"]
                    as? String)
            let assigned = try await app.call(
                .PATCH, d + "/moves/\(partnerMove)", token: Token.hostSeller,
                body: jsonString(["owner_id": partnerSellerID]))
            #expect(assigned.status == .ok)

            func advanceRefused(_ expectedUnmet: Set<String>) async throws {
                let r = try await app.call(.POST, d + "/advance", token: Token.hostSeller)
                #expect(r.status == .unprocessableEntity)
                #expect(r.contentType.hasPrefix("application/problem+json"))
                let unmet = Set(((r["unmet"] as? [[String: Any]]) ?? []).compactMap { $0["key"] as? String })
                #expect(unmet == expectedUnmet)
                #expect((r["detail"] as? String)?.isEmpty == false)
            }
            func ok(_ method: HTTPMethod, _ suffix: String, _ token: String, _ body: Any? = nil) async throws -> Answer
            {
                let r = try await app.call(method, d + suffix, token: token, body: body.map(jsonString))
                #expect(r.status == .ok, "\(method) \(suffix): \(String(describing: r.json))")
                return r
            }

            // Stage 1
            try await advanceRefused(["host_icp_fit", "partner_icp_fit", "host_commitment", "partner_commitment"])
            _ = try await ok(.PUT, "/icp-fit", Token.hostSeller, ["fit": "strong"])
            _ = try await ok(.PUT, "/icp-fit", Token.partnerSeller, ["fit": "partial", "note": "Mid-market only"])
            _ = try await ok(.POST, "/commitment", Token.hostSeller)
            try await advanceRefused(["partner_commitment"])
            _ = try await ok(.POST, "/commitment", Token.partnerSeller)
            var r = try await ok(.POST, "/advance", Token.hostSeller)
            #expect(r["stage_key"] as? String == "door_opener")

            // Stage 2
            try await advanceRefused(["door_opener_named", "first_meeting_booked", "meeting_attendees"])
            let partnerPeople = try await app.call(
                .GET, "/api/v1/organizations/\(account.populations[1].organizationID.uuidString)/people")
            let partnerPersonID = try #require((partnerPeople.json as? [[String: Any]])?.first?["id"] as? String)
            _ = try await ok(
                .PUT, "/door-opener", Token.partnerSeller,
                ["side": "partner", "kind": "warm_introduction", "owner_id": partnerPersonID])
            // The conversation is held now: the brief is approved after it took place.
            let meetingAt = ISO8601DateFormatter().string(from: Date())
            _ = try await ok(
                .PUT, "/first-meeting", Token.hostSeller,
                [
                    "scheduled_for": meetingAt,
                    "attendees": [["name": "Ana", "party": "host"], ["name": "Ben", "party": "customer"]],
                ])
            try await advanceRefused(["meeting_attendees"])
            _ = try await ok(
                .PUT, "/first-meeting", Token.hostSeller,
                [
                    "scheduled_for": meetingAt,
                    "attendees": [
                        ["name": "Ana", "party": "host"], ["name": "Ben", "party": "customer"],
                        ["name": "Cy", "party": "partner"],
                    ],
                ])
            r = try await ok(.POST, "/advance", Token.partnerSeller)
            #expect(r["stage_key"] as? String == "joint_discovery")

            // Stage 3
            try await advanceRefused(["one_brief", "brief_complete", "host_approval", "partner_approval"])
            r = try await ok(
                .POST, "/briefs", Token.hostSeller,
                [
                    "customer_need": "Consolidate security telemetry into one lakehouse",
                    "buying_process": [
                        "steps": ["Security review", "Procurement"], "decision_makers": ["CISO"], "timeline": "Q1",
                    ],
                    "stakeholders": [["name": "Dana", "title": "CISO"]],
                ])
            let briefs = try #require(r.path("deal", "evidence", "joint_discovery", "briefs") as? [[String: Any]])
            let briefID = try #require(briefs.first?["id"] as? String)
            _ = try await ok(.POST, "/briefs/\(briefID)/approval", Token.hostSeller)
            try await advanceRefused(["partner_approval"])
            _ = try await ok(.POST, "/briefs/\(briefID)/approval", Token.partnerSeller)
            r = try await ok(.POST, "/advance", Token.hostSeller)
            #expect(r["stage_key"] as? String == "joint_pursuit")

            // Stage 4
            try await advanceRefused(["proof_delivered", "one_close_plan", "milestone_owners", "customer_confirmation"])
            _ = try await ok(
                .PUT, "/proof", Token.hostSeller, ["kind": "proof_of_concept", "summary": "Two-week PoC on their logs"])
            _ = try await ok(
                .POST, "/close-plans", Token.hostSeller,
                [
                    "decision_date": "2027-02-15",
                    "milestones": [
                        [
                            "title": "Security review", "owner_party": "customer", "owner_name": "Dana",
                            "due_on": "2027-01-15",
                        ],
                        ["title": "Pricing", "owner_party": "host", "owner_name": "Ana", "due_on": "2027-01-20"],
                    ],
                ])
            try await advanceRefused(["milestone_owners", "customer_confirmation"])
            let plan = try await app.call(.GET, d)
            let planID = try #require(
                (plan.path("deal", "evidence", "joint_pursuit", "close_plans") as? [[String: Any]])?.first?["id"]
                    as? String)
            _ = try await ok(
                .PUT, "/close-plans/\(planID)", Token.partnerSeller,
                [
                    "decision_date": "2027-02-15",
                    "milestones": [
                        [
                            "title": "Security review", "owner_party": "customer", "owner_name": "Dana",
                            "due_on": "2027-01-15",
                        ],
                        ["title": "Pricing", "owner_party": "host", "owner_name": "Ana", "due_on": "2027-01-20"],
                        [
                            "title": "Integration plan", "owner_party": "partner", "owner_name": "Cy",
                            "due_on": "2027-01-25",
                        ],
                    ],
                ])
            // A confirmation dated before the plan's last change confirms another plan: refused, named.
            let early = try await app.call(
                .PUT, d + "/customer-confirmation", token: Token.hostSeller,
                body: jsonString([
                    "confirmed_by": "Dana (CISO)", "confirmed_at": "2026-11-20T10:00:00Z", "channel": "email",
                ]))
            #expect(early.status == .unprocessableEntity)
            #expect(early["field"] as? String == "confirmed_at")
            let confirmedAt = ISO8601DateFormatter().string(from: Date())
            _ = try await ok(
                .PUT, "/customer-confirmation", Token.hostSeller,
                ["confirmed_by": "Dana (CISO)", "confirmed_at": confirmedAt, "channel": "email"])
            r = try await ok(.POST, "/advance", Token.hostSeller)
            #expect(r["stage_key"] as? String == "close_register_review")

            // Stage 5
            try await advanceRefused(["outcome", "registration", "review_lesson"])
            _ = try await ok(
                .PUT, "/outcome", Token.hostSeller,
                [
                    "result": "won", "final_amount": ["amount": "130000", "currency": "EUR"],
                    "close_date": LocalDate(Date()).description,
                ])
            _ = try await ok(
                .POST, "/registration", Token.hostSeller,
                ["registration_id": "REG-1", "attribution": "partner_sourced", "sourced_by": "partner"])
            // Submitted by Quarry: it counts once Halyard accepts it.
            try await advanceRefused(["registration", "review_lesson"])
            r = try await ok(.POST, "/registration/acceptance", Token.partnerAdmin)
            #expect(r.path("registration", "state") as? String == "accepted")
            try await advanceRefused(["review_lesson"])
            _ = try await ok(
                .PUT, "/review", Token.partnerSeller,
                [
                    "held_on": "2026-11-25", "attendees": ["Ana", "Cy"],
                    "lessons": [["stage_key": "door_opener", "text": "Book the meeting in the intro e-mail."]],
                ])
            r = try await ok(.POST, "/advance", Token.hostSeller)
            #expect(r.path("deal", "completed_at") != nil)
            #expect(r.path("deal", "status") as? String == "won")
            let passages = try #require(r.path("deal", "passages") as? [[String: Any]])
            #expect(passages.map { $0["exit"] as? String } == Array(repeating: "passed", count: 5))

            let timeline = try await app.call(.GET, d + "/timeline")
            let events = try #require(timeline.json as? [[String: Any]])
            #expect(events.first?["kind"] as? String == "deal_opened")
            #expect(events.last?["kind"] as? String == "completed")
            #expect(events.map { $0["sequence"] as? Int } == Array(1...events.count).map { $0 })
            #expect(events.contains { $0["kind"] as? String == "registered" && $0["after"] != nil })
            // Nothing more can change on a completed deal.
            let late = try await app.call(
                .PUT, d + "/icp-fit", token: Token.hostSeller, body: jsonString(["fit": "none"]))
            #expect(late.status == .conflict)
        }
    }

    @Test(
        "admins override a closed gate with a reason; the stage is marked skipped; others may not",
        arguments: TestDatabase.all)
    func override(_ engine: TestDatabase) async throws {
        try await withTestApp(engine) { app in
            let (partnership, account) = try await freshAccount(app)
            let created = try await app.call(
                .POST, "/api/v1/deals", token: Token.hostSeller,
                body: jsonString([
                    "partnership_id": partnership.id.uuidString, "joint_account_id": account.id.uuidString,
                    "title": "Override me",
                ]))
            let id = try #require(created.path("deal", "id") as? String)
            let seller = try await app.call(
                .POST, "/api/v1/deals/\(id)/advance", token: Token.hostSeller,
                body: jsonString(["override_reason": "Customer asked us to hurry"]))
            #expect(seller.status == .forbidden)
            let noReason = try await app.call(
                .POST, "/api/v1/deals/\(id)/advance", body: jsonString(["override_reason": " "]))
            #expect(noReason.status == .unprocessableEntity)
            #expect(noReason["field"] as? String == "override_reason")
            // Halyard's fit and commitment are missing too: Quarry's admin asks, Halyard's confirms.
            let asked = try await app.call(
                .POST, "/api/v1/deals/\(id)/advance",
                body: jsonString(["override_reason": "Exec sponsor already engaged"]))
            #expect(asked.status == .ok)
            #expect(asked["stage_key"] as? String == "target_account_selection")
            let admin = try await app.call(
                .POST, "/api/v1/deals/\(id)/advance", token: Token.partnerAdmin,
                body: jsonString(["override_reason": "Halyard agrees: the sponsor wants it"]))
            #expect(admin.status == .ok)
            #expect(admin["stage_key"] as? String == "door_opener")
            let passage = try #require((admin.path("deal", "passages") as? [[String: Any]])?.first)
            #expect(passage["exit"] as? String == "skipped")
            #expect((passage["unmet_at_exit"] as? [String])?.count == 4)
            let back = try await app.call(.POST, "/api/v1/deals/\(id)/move-back", body: jsonString(["reason": ""]))
            #expect(back.status == .unprocessableEntity)
            let back2 = try await app.call(
                .POST, "/api/v1/deals/\(id)/move-back", body: jsonString(["reason": "Fit was never checked"]))
            #expect(back2["stage_key"] as? String == "target_account_selection")
            let viewer = try await app.call(
                .PUT, "/api/v1/deals/\(id)/icp-fit", token: Token.hostViewer, body: jsonString(["fit": "strong"]))
            #expect(viewer.status == .forbidden)
        }
    }

    @Test(
        "a second open registration for the same account in the same partnership is refused",
        arguments: TestDatabase.all)
    func duplicateRegistration(_ engine: TestDatabase) async throws {
        try await withTestApp(engine) { app in
            let (partnership, account) = try await freshAccount(app)
            var ids: [String] = []
            for title in ["First", "Second"] {
                // The second open deal on the account says why it is another opportunity.
                let r = try await app.call(
                    .POST, "/api/v1/deals",
                    body: jsonString([
                        "partnership_id": partnership.id.uuidString, "joint_account_id": account.id.uuidString,
                        "title": title, "parallel_reason": "Another project, budgeted apart",
                    ]))
                ids.append(try #require(r.path("deal", "id") as? String))
            }
            let first = try await app.call(
                .POST, "/api/v1/deals/\(ids[0])/registration",
                body: jsonString([
                    "registration_id": "REG-A", "attribution": "partner_influenced", "sourced_by": "host",
                ]))
            #expect(first.status == .ok)
            // Once Halyard accepted it, the deal's registration is not submitted again.
            let accepted = try await app.call(
                .POST, "/api/v1/deals/\(ids[0])/registration/acceptance", token: Token.partnerAdmin)
            #expect(accepted.status == .ok)
            let again = try await app.call(
                .POST, "/api/v1/deals/\(ids[0])/registration",
                body: jsonString([
                    "registration_id": "REG-A2", "attribution": "partner_influenced", "sourced_by": "host",
                ]))
            #expect(again.status == .conflict)
            let dup = try await app.call(
                .POST, "/api/v1/deals/\(ids[1])/registration",
                body: jsonString([
                    "registration_id": "REG-B", "attribution": "partner_sourced", "sourced_by": "partner",
                ]))
            #expect(dup.status == .conflict)
            #expect((dup["detail"] as? String)?.contains("REG-A") == true)
            // Nothing of the refused registration was kept.
            let second = try await app.call(.GET, "/api/v1/deals/\(ids[1])")
            #expect(second.path("deal", "evidence", "close", "registration") == nil)
            #expect(second.path("deal", "version") as? Int == 1)
        }
    }

    @Test(
        "concurrent changes to one deal: each either wins or gets 409, and no update is lost",
        arguments: TestDatabase.all)
    func concurrentChanges(_ engine: TestDatabase) async throws {
        try await withTestApp(engine) { app in
            let (partnership, account) = try await freshAccount(app)
            let created = try await app.call(
                .POST, "/api/v1/deals",
                body: jsonString([
                    "partnership_id": partnership.id.uuidString, "joint_account_id": account.id.uuidString,
                    "title": "Race",
                ]))
            let id = try #require(created.path("deal", "id") as? String)
            let statuses = try await withThrowingTaskGroup(of: HTTPStatus.self) { group in
                for i in 0..<12 {
                    group.addTask {
                        try await app.call(.PATCH, "/api/v1/deals/\(id)", body: jsonString(["title": "Race \(i)"]))
                            .status
                    }
                }
                var all: [HTTPStatus] = []
                for try await s in group { all.append(s) }
                return all
            }
            // On SQLite, under the whole suite's load on two cores, a writer that waited through every
            // retry answers 503 (busy, Retry-After): refused whole, like a 409, so nothing is lost.
            var refusedWhole: Set<UInt> = [HTTPStatus.conflict.code]
            if case .sqlite = engine { refusedWhole.insert(HTTPStatus.serviceUnavailable.code) }
            #expect(statuses.allSatisfy { $0 == .ok || refusedWhole.contains($0.code) }, "\(statuses)")
            let wins = statuses.filter { $0 == .ok }.count
            #expect(wins >= 1)
            let deal = try await app.call(.GET, "/api/v1/deals/\(id)")
            #expect(deal.path("deal", "version") as? Int == 1 + wins)
            let timeline = try await app.call(.GET, "/api/v1/deals/\(id)/timeline")
            #expect((timeline.json as? [Any])?.count == 1 + wins)
            // A stale If-Match is refused before anything is written.
            let stale = try await app.call(
                .PATCH, "/api/v1/deals/\(id)", body: jsonString(["title": "Stale"]), headers: ["If-Match": "\"1\""])
            #expect(stale.status == .preconditionFailed)
        }
    }

    @Test("the store refuses a save from a stale version", arguments: TestDatabase.all)
    func staleSave(_ engine: TestDatabase) async throws {
        try await withTestApp(engine) { app in
            let (partnership, account) = try await freshAccount(app)
            let created = try await app.call(
                .POST, "/api/v1/deals",
                body: jsonString([
                    "partnership_id": partnership.id.uuidString, "joint_account_id": account.id.uuidString,
                    "title": "Stale",
                ]))
            let id = UUID(uuidString: try #require(created.path("deal", "id") as? String))!
            let deal = try #require(try await app.store.deal(id))
            let actor = Actor(
                personID: deal.createdBy, organizationID: deal.hostOrganizationID, role: .admin, name: "T")
            let change = DealChange(kind: "details_updated", summary: "t", before: nil, after: nil)
            _ = try await app.store.save(
                deal, stageKey: "target_account_selection", expectedVersion: 1, changes: [change], actor: actor,
                at: Date())
            await #expect(throws: StoreError.self) {
                _ = try await app.store.save(
                    deal, stageKey: "target_account_selection", expectedVersion: 1, changes: [change], actor: actor,
                    at: Date())
            }
            #expect(try await app.store.timeline(of: id).count == 2)
        }
    }
}
