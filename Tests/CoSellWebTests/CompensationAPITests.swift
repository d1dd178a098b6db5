import CoSellDomain
import CoSellPersistence
import CoSellTestSupport
import Foundation
import Testing
import Vapor

@testable import CoSellWeb

/// "Confirm the comp plan rewards the motion": each company records it per partnership, the adoption
/// report shows it and flags a plan that rewards no co-sell deal.
@Suite("Compensation over the API and on the reports page")
struct CompensationAPITests {
    func plan(_ line: [String: Any], _ key: String) -> Any? { (line["plan"] as? [String: Any])?[key] }

    func lines(_ app: Application, _ ps: String, token: String = Token.hostAdmin) async throws -> [[String: Any]] {
        try #require(
            try await app.call(.GET, "/api/v1/partnerships/\(ps)/compensation", token: token).json as? [[String: Any]])
    }

    @Test(
        "a partner manager records their company's line; bad input is refused naming the field and changes nothing",
        arguments: TestDatabase.all)
    func record(_ engine: TestDatabase) async throws {
        try await withTestApp(engine) { app in
            let ps = try #require(
                ((try await app.call(.GET, "/api/v1/partnerships")).json as? [[String: Any]])?.first?["id"] as? String)
            let before = try await lines(app, ps)
            #expect(before.count == 2)
            #expect(before[0]["organization_id"] as? String == DemoIDs.host.uuidString)
            #expect(before[0]["flag"] is NSNull || before[0]["flag"] == nil)
            #expect(plan(before[0], "credits") as? String == "both")
            #expect(before[1]["flag"] as? String == "misses_registered_deals")
            #expect((before[1]["uncredited_deals"] as? Int ?? 0) > 0)

            for (body, field) in [
                (#"{"credits": "sometimes"}"#, "credits"), (#"{"note": "x"}"#, "credits"),
                ("{\"credits\": \"both\", \"note\": \"\(String(repeating: "n", count: 501))\"}", "note"),
            ] {
                let r = try await app.call(
                    .PUT, "/api/v1/partnerships/\(ps)/compensation", token: Token.hostPartnerManager, body: body)
                #expect(r.status == .unprocessableEntity, "\(body)")
                #expect(r.contentType.hasPrefix("application/problem+json"))
                #expect(r["field"] as? String == field)
            }
            let seller = try await app.call(
                .PUT, "/api/v1/partnerships/\(ps)/compensation", token: Token.hostSeller,
                body: #"{"credits": "neither"}"#)
            #expect(seller.status == .forbidden)
            #expect(try await lines(app, ps).map { plan($0, "credits") as? String } == ["both", "sourced"])

            let saved = try await app.call(
                .PUT, "/api/v1/partnerships/\(ps)/compensation", token: Token.hostPartnerManager,
                body: #"{"credits": "neither", "note": "  Under review for next year.  "}"#)
            #expect(saved.status == .ok)
            let after = try await lines(app, ps)
            #expect(after[0]["flag"] as? String == "credits_neither")
            #expect(plan(after[0], "note") as? String == "Under review for next year.")
            // The other company's line is its own.
            #expect(plan(after[1], "credits") as? String == "sourced")
            // Halyard reads the same lines.
            #expect(try await lines(app, ps, token: Token.partnerAdmin)[0]["flag"] as? String == "credits_neither")
            // The adoption report carries them beside its figures.
            let adoption = try await app.call(.GET, "/api/v1/partnerships/\(ps)/reports/adoption")
            let comp = try #require(adoption["compensation"] as? [[String: Any]])
            #expect(comp.first?["flag"] as? String == "credits_neither")
            // Audited for Quarry Data.
            let audit = try await app.call(.GET, "/api/v1/audit?limit=20")
            let details = ((audit["items"] as? [[String: Any]]) ?? []).compactMap { $0["detail"] as? String }
            #expect(details.contains { $0.contains("Quarry Data's account executives are credited for neither") })
        }
    }

    @Test("the reports page shows each company's line; a partner manager saves theirs, a seller has no form")
    func page() async throws {
        try await withTestApp(.sqlite) { app in
            let ps = try #require(
                ((try await app.call(.GET, "/api/v1/partnerships")).json as? [[String: Any]])?.first?["id"] as? String)
            let daniel = PageClient(app)
            _ = try await daniel.signIn(People.hostPM)
            let page = try await daniel.get("/partnerships/\(ps)/reports")
            #expect(page.status == .ok)
            #expect(page.html.contains("Does the comp plan reward co-selling?"))
            #expect(page.html.contains("Halyard Security"))
            #expect(page.html.contains("registered deal was partner-influenced, which Halyard Security"))
            #expect(page.html.contains("id=\"compensation-form\""))
            let saved = try await daniel.post("/partnerships/\(ps)/reports/compensation", ["credits": "influenced"])
            #expect(saved.status == .seeOther)
            let again = try await daniel.get("/partnerships/\(ps)/reports")
            #expect(again.html.contains("Account executives are credited for partner-influenced deals only."))
            let refused = try await daniel.post("/partnerships/\(ps)/reports/compensation", ["credits": ""])
            #expect(refused.status == .unprocessableEntity)
            let still = try await daniel.get("/partnerships/\(ps)/reports")
            #expect(still.html.contains("Account executives are credited for partner-influenced deals only."))

            let priya = PageClient(app)
            _ = try await priya.signIn(People.hostSeller)
            let sellers = try await priya.get("/partnerships/\(ps)/reports")
            #expect(sellers.html.contains("Does the comp plan reward co-selling?"))
            #expect(!sellers.html.contains("id=\"compensation-form\""))
            let forbidden = try await priya.post("/partnerships/\(ps)/reports/compensation", ["credits": "both"])
            #expect(forbidden.status == .forbidden)
        }
    }
}
