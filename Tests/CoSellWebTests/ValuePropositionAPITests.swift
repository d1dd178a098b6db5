import CoSellApp
import CoSellDomain
import CoSellPersistence
import CoSellTestSupport
import Foundation
import Testing
import Vapor

@testable import CoSellWeb

/// The one-page joint value proposition over the API and in the pages: the demo's published
/// version, a new draft approved by each company in turn, every refusal named, and the links from
/// the deal pages and the named-account list.
@Suite("Joint value proposition over the API and in the pages")
struct ValuePropositionAPITests {
    static let hostPM = "cosell_demo_host_partner_manager"
    static let partnerPM = "cosell_demo_partner_partner_manager"

    static func json(_ v: Any) throws -> String {
        String(decoding: try JSONSerialization.data(withJSONObject: v), as: UTF8.self)
    }

    /// A write body from a version as the API shows it (its extra fields are ignored on the way in).
    static func body(from version: [String: Any], naming number: Int) -> [String: Any] {
        var b = version
        for k in ["word_count", "written_by", "written_by_name", "written_by_company", "written_at", "approvals"] {
            b[k] = nil
        }
        b["version"] = number
        return b
    }

    @Test(
        "the demo's published version; a draft approved by each company replaces it; refusals named",
        arguments: TestDatabase.all)
    func lifecycle(_ engine: TestDatabase) async throws {
        try await withTestApp(engine) { app in
            let ps = try #require(
                ((try await app.call(.GET, "/api/v1/partnerships")).json as? [[String: Any]])?.first?["id"] as? String)
            let path = "/api/v1/partnerships/\(ps)/value-proposition"
            // The demo's: version 2, approved by both partner managers; a viewer reads it.
            let demo = try await app.call(.GET, path, token: Token.hostViewer)
            #expect(demo.status == .ok)
            #expect(demo["version"] as? Int == 2)
            #expect(demo["draft"] == nil)
            let published = try #require(demo["published"] as? [String: Any])
            #expect(
                Set((published["approvals"] as? [[String: Any]])?.compactMap { $0["person_name"] as? String } ?? [])
                    == ["Daniel Reyes", "Marcus Chen"])
            #expect((published["proof_points"] as? [Any])?.count == 3)
            #expect((published["word_count"] as? Int).map { $0 <= ValuePropositions.maxWords } == true)
            #expect((published["waiting_on"] as? [Any])?.isEmpty == true)
            #expect(
                (published["contacts"] as? [[String: Any]])?.compactMap { $0["name"] as? String }
                    == ["Daniel Reyes", "Marcus Chen"])

            var good = Self.body(from: published, naming: 2)
            good["why_together"] = "Together the CISO approves the platform once; alone, neither gets past the review."
            // Sellers and viewers read only.
            for token in [Token.hostSeller, Token.hostViewer] {
                let r = try await app.call(.PUT, path, token: token, body: Self.json(good))
                #expect(r.status == .forbidden, "\(token)")
            }
            // Refusals name the field and write nothing.
            var proofs = try #require(good["proof_points"] as? [[String: Any]])
            proofs[1]["figure"] = "  "
            var twoProofs = proofs
            twoProofs.removeLast()
            var contacts = try #require(good["contacts"] as? [[String: Any]])
            contacts[1]["person_id"] = contacts[0]["person_id"]
            for (field, body) in [
                ("proof_points[1].figure", good.merging(["proof_points": proofs]) { $1 }),
                ("proof_points", good.merging(["proof_points": twoProofs]) { $1 }),
                ("contacts[1].person_id", good.merging(["contacts": contacts]) { $1 }),
                ("joint_solution", good.merging(["joint_solution": "One.\n\nTwo."]) { $1 }),
                ("do_not_say", good.merging(["do_not_say": [String]()]) { $1 }),
                ("segment", good.filter { $0.key != "segment" }),
                ("version", good.filter { $0.key != "version" }),
            ] {
                let r = try await app.call(.PUT, path, token: Self.partnerPM, body: Self.json(body))
                #expect(r.status == .unprocessableEntity, "\(field): \(r.status)")
                #expect(r["field"] as? String == field)
                #expect(r.contentType.hasPrefix("application/problem+json"))
            }
            // A stale version is a conflict.
            let stale = try await app.call(
                .PUT, path, token: Self.partnerPM, body: Self.json(good.merging(["version": 1]) { $1 }))
            #expect(stale.status == .conflict)
            #expect((try await app.call(.GET, path))["version"] as? Int == 2)

            // Halyard's partner manager writes version 3; version 2 stays published.
            let written = try await app.call(.PUT, path, token: Self.partnerPM, body: Self.json(good))
            #expect(written.status == .ok)
            #expect(written["version"] as? Int == 3)
            #expect((written["published"] as? [String: Any])?["version"] as? Int == 2)
            let draft = try #require(written["draft"] as? [String: Any])
            #expect(draft["written_by_company"] as? String == "Halyard Security")
            #expect(
                Set((draft["waiting_on"] as? [[String: Any]])?.compactMap { $0["company"] as? String } ?? [])
                    == ["Quarry Data", "Halyard Security"])

            // Approval: sellers may not; a stale or published version is a conflict; each company once.
            let v3 = try Self.json(["version": 3])
            #expect(
                try await app.call(.POST, path + "/approval", token: Token.hostSeller, body: v3).status == .forbidden)
            let old = try Self.json(["version": 2])
            #expect(try await app.call(.POST, path + "/approval", token: Self.hostPM, body: old).status == .conflict)
            let missing = try await app.call(.POST, path + "/approval", token: Self.hostPM, body: "{}")
            #expect(missing.status == .unprocessableEntity && missing["field"] as? String == "version")
            let quarry = try await app.call(.POST, path + "/approval", token: Self.hostPM, body: v3)
            #expect(quarry.status == .ok)
            #expect((quarry["published"] as? [String: Any])?["version"] as? Int == 2)
            #expect(
                ((quarry["draft"] as? [String: Any])?["waiting_on"] as? [[String: Any]])?.first?["company"] as? String
                    == "Halyard Security")
            #expect(try await app.call(.POST, path + "/approval", token: Token.hostAdmin, body: v3).status == .conflict)
            let halyard = try await app.call(.POST, path + "/approval", token: Self.partnerPM, body: v3)
            #expect(halyard.status == .ok)
            #expect(halyard["draft"] == nil)
            let now = try #require(halyard["published"] as? [String: Any])
            #expect(now["version"] as? Int == 3)
            #expect((now["why_together"] as? String)?.hasPrefix("Together the CISO approves") == true)
            #expect(
                (now["approvals"] as? [[String: Any]])?.compactMap { $0["person_name"] as? String }
                    == ["Daniel Reyes", "Marcus Chen"])
            let kinds =
                ((try await app.call(.GET, "/api/v1/audit?limit=200"))["items"] as? [[String: Any]])?.compactMap {
                    $0["kind"] as? String
                } ?? []
            #expect(kinds.contains("value_proposition_written") && kinds.contains("value_proposition_approved"))
            #expect(kinds.contains("value_proposition_published"))
        }
    }

    @Test(
        "the page reads the published version; links from deals and named accounts; a refused form keeps the input",
        arguments: TestDatabase.all)
    func pages(_ engine: TestDatabase) async throws {
        try await withTestApp(engine) { app in
            let ps = try #require(try await app.store.partnerships(of: DemoIDs.host).first)
            let path = "/partnerships/\(ps.id.uuidString)/value-proposition"
            let seller = PageClient(app)
            _ = try await seller.signIn(People.hostSeller)
            let read = try await seller.get(path)
            #expect(read.status == .ok)
            #expect(read.html.contains("id=\"vp-published\""))
            #expect(read.html.contains("Security sign-off in 3 weeks, not 5 months"))
            #expect(read.html.contains("Approved by Marcus Chen (Halyard Security) and Daniel Reyes (Quarry Data)"))
            #expect(!read.html.contains("id=\"vp-form\""), "a seller reads only")
            // Every deal page and the named-account list link to it.
            let dealID = try #require(
                (try await app.call(.GET, "/api/v1/deals", token: Token.hostSeller)).path("items", "0", "deal", "id")
                    as? String)
            let dealPage = try await seller.get("/deals/\(dealID)")
            #expect(dealPage.html.contains("href=\"\(path)\""))
            #expect(dealPage.html.contains("Read the joint value proposition (version 2"))
            #expect(try await seller.get("/partnerships/\(ps.id.uuidString)/named-accounts").html.contains(path))

            let daniel = PageClient(app)
            _ = try await daniel.signIn(People.hostPM)
            let mine = try await daniel.get(path)
            #expect(mine.html.contains("id=\"vp-form\""))
            #expect(!mine.html.contains("id=\"vp-approve\""), "nothing waits for approval")
            var form = ValuePropositionPage.values(
                try #require(try await app.store.valueProposition(of: ps.id)?.published?.content), version: 2,
                organizationIDs: ps.organizationIDs)
            form["proof_points_1_figure"] = " "
            form["segment"] = "Regional banks in the Midwest"
            let refused = try await daniel.post(path, form)
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.html.contains("Proof point 2&#39;s figure is empty"))
            #expect(refused.html.contains("value=\"Regional banks in the Midwest\""))
            #expect(try await app.store.valueProposition(of: ps.id)?.latestVersion == 2)

            form["proof_points_1_figure"] = "18% fewer escapes"
            let saved = try await daniel.post(path, form)
            #expect(saved.status == .seeOther)
            let after = try await daniel.get(path)
            #expect(after.html.contains("Version 3 waits for approval"))
            #expect(after.html.contains("Halyard Security: waiting for a partner manager"))
            #expect(after.html.contains("id=\"vp-approve\""))
            let approved = try await daniel.post(path + "/approval", ["version": "3"])
            #expect(approved.status == .seeOther)
            #expect(try await daniel.get(path).html.contains("Quarry Data: approved by Daniel Reyes"))
            // The seller still reads version 2 until Halyard approves.
            #expect(try await seller.get(path).html.contains("version 2"))
            let marcus = PageClient(app)
            _ = try await marcus.signIn(People.partnerPM)
            // His home page asks him to approve it.
            let home = try await marcus.get("/")
            #expect(home.html.contains("Approve the value proposition with Quarry Data"))
            #expect(home.html.contains("href=\"\(path)\""))
            let toApprove = try await marcus.get(path)
            #expect(toApprove.html.contains("Approve version 3 for Halyard Security"))
            #expect(try await marcus.post(path + "/approval", ["version": "3"]).status == .seeOther)
            let now = try await seller.get(path)
            #expect(now.html.contains("Regional banks in the Midwest"))
            #expect(try await seller.get("/deals/\(dealID)").html.contains("(version 3"))
        }
    }
}
