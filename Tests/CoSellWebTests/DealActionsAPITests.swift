import CoSellDomain
import CoSellTestSupport
import CoSellWeb
import Foundation
import Testing
import Vapor

@Suite("Deal actions API: what the gate waits on, and on whom")
struct DealActionsAPITests {
    @Test(
        "a new deal's actions name the companies, and each company's part waits on that company only",
        arguments: TestDatabase.all)
    func newDealActions(_ engine: TestDatabase) async throws {
        try await withTestApp(engine) { app in
            let (partnership, account) = try await freshAccount(app)
            let created = try await app.call(
                .POST, "/api/v1/deals", token: Token.hostAdmin,
                body: jsonString([
                    "partnership_id": partnership.id.uuidString, "joint_account_id": account.id.uuidString,
                    "title": "Actions deal",
                ]))
            #expect(created.status == .created)
            let id = try #require(created.path("deal", "id") as? String)
            let path = "/api/v1/deals/\(id)/actions"

            func items(_ token: String) async throws -> [[String: Any]] {
                let r = try await app.call(.GET, path, token: token)
                #expect(r.status == .ok)
                return try #require(r["items"] as? [[String: Any]])
            }
            let host = try await items(Token.hostAdmin)
            let gate = try await app.call(.GET, "/api/v1/deals/\(id)/gate", token: Token.hostAdmin)
            let unmet = ((gate["parts"] as? [[String: Any]]) ?? []).filter { $0["met"] as? Bool == false }.compactMap {
                $0["key"] as? String
            }
            #expect(!unmet.isEmpty)
            #expect(
                host.compactMap { $0["part"] as? String } == unmet, "one action per unmet part, in the gate's order")

            let names = Set(
                host.flatMap { ($0["companies"] as? [[String: Any]]) ?? [] }.compactMap { $0["name"] as? String })
            #expect(names == ["Quarry Data", "Halyard Security"])

            func action(_ list: [[String: Any]], _ part: String) throws -> [String: Any] {
                try #require(list.first { $0["part"] as? String == part })
            }
            // The partner's commitment waits on the partner's admin, not on the host's.
            #expect(try action(host, "partner_commitment")["waits_on_you"] as? Bool == false)
            #expect(try action(host, "host_commitment")["waits_on_you"] as? Bool == true)
            let partner = try await items(Token.partnerAdmin)
            #expect(try action(partner, "partner_commitment")["waits_on_you"] as? Bool == true)
            #expect(try action(partner, "host_commitment")["waits_on_you"] as? Bool == false)
            #expect(
                (try action(partner, "partner_commitment")["title"] as? String)?.hasPrefix("Halyard Security") == true)

            // Across deals: the partner's commitment is on the partner admin's list, on the host's
            // "partner" list, and not on the host admin's own.
            func mine(_ token: String, _ waitingOn: String? = nil) async throws -> [String] {
                let r = try await app.call(
                    .GET, "/api/v1/me/actions?limit=200" + (waitingOn.map { "&waiting_on=\($0)" } ?? ""), token: token)
                #expect(r.status == .ok)
                return ((r["items"] as? [[String: Any]]) ?? []).filter { $0["deal_id"] as? String == id }.compactMap {
                    $0["part"] as? String
                }
            }
            #expect(try await mine(Token.partnerAdmin).contains("partner_commitment"))
            #expect(try await !mine(Token.partnerAdmin).contains("host_commitment"))
            #expect(try await mine(Token.hostAdmin).contains("host_commitment"))
            #expect(try await !mine(Token.hostAdmin).contains("partner_commitment"))
            #expect(try await mine(Token.hostAdmin, "partner").contains("partner_commitment"))
            #expect(try await !mine(Token.hostAdmin, "my_company").contains("partner_commitment"))
            let wrong = try await app.call(.GET, "/api/v1/me/actions?waiting_on=everyone", token: Token.hostAdmin)
            #expect(wrong.status == .unprocessableEntity)
            #expect(wrong["field"] as? String == "waiting_on")

            // Once the partner commits, its action is gone for both companies.
            let committed = try await app.call(.POST, "/api/v1/deals/\(id)/commitment", token: Token.partnerAdmin)
            #expect(committed.status == .ok)
            #expect(try await items(Token.hostAdmin).allSatisfy { $0["part"] as? String != "partner_commitment" })
            #expect(try await !mine(Token.partnerAdmin).contains("partner_commitment"))
            #expect(try await !mine(Token.hostAdmin, "partner").contains("partner_commitment"))
        }
    }

    @Test("another organization's deal is not found, whoever asks", arguments: TestDatabase.all)
    func unknownOrForeignDeal(_ engine: TestDatabase) async throws {
        try await withTestApp(engine) { app in
            let r = try await app.call(.GET, "/api/v1/deals/\(UUID().uuidString)/actions", token: Token.hostAdmin)
            #expect(r.status == .notFound)
            #expect(r.contentType.hasPrefix("application/problem+json"))
            let bad = try await app.call(.GET, "/api/v1/deals/not-a-uuid/actions", token: Token.hostAdmin)
            #expect(bad.status == .notFound)
            let anonymous = try await app.call(.GET, "/api/v1/deals/\(UUID().uuidString)/actions", token: nil)
            #expect(anonymous.status == .unauthorized)
        }
    }
}
