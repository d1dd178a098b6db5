import CoSellApp
import CoSellDomain
import CoSellTestSupport
import Foundation
import Testing
import Vapor

@Suite("Reports over the API")
struct ReportsAPITests {
    @Test("pipeline and adoption of the demo partnership, as JSON and CSV", arguments: TestDatabase.all)
    func reports(_ engine: TestDatabase) async throws {
        try await withTestApp(engine) { app in
            let ps = try #require(
                ((try await app.call(.GET, "/api/v1/partnerships")).json as? [[String: Any]])?.first?["id"] as? String)
            let pipeline = try await app.call(.GET, "/api/v1/partnerships/\(ps)/reports/pipeline")
            #expect(pipeline.status == .ok)
            let stages = try #require(pipeline["stages"] as? [[String: Any]])
            #expect(stages.count == 5)
            // Every open demo deal is counted at its stage.
            let open = try await app.call(.GET, "/api/v1/deals?partnership_id=\(ps)&status=open&limit=200")
            let openCount = stages.compactMap { $0["open_deals"] as? Int }.reduce(0, +)
            #expect(openCount == open["total"] as? Int)
            let csv = try await app.testing().sendRequest(
                .GET, "/api/v1/partnerships/\(ps)/reports/pipeline.csv",
                headers: ["Authorization": "Bearer \(Token.hostAdmin)"])
            #expect(csv.status == .ok)
            #expect(csv.headers.contentType?.subType == "csv")
            #expect(csv.body.string.split(separator: "\n").count == 6)  // header + five stages
            let adoption = try await app.call(.GET, "/api/v1/partnerships/\(ps)/reports/adoption")
            #expect(adoption.status == .ok)
            #expect((adoption["stages"] as? [Any])?.isEmpty == false)
            // A date range: the passages that left their stage in it; a bad or reversed range names its field.
            func passed(_ r: Answer) -> Int {
                ((r["overall"] as? [[String: Any]]) ?? []).compactMap { $0["total"] as? Int }.reduce(0, +)
            }
            let ranged = try await app.call(
                .GET, "/api/v1/partnerships/\(ps)/reports/adoption?from=2000-01-01&to=2000-12-31")
            #expect(ranged.status == .ok)
            #expect(ranged["from"] as? String == "2000-01-01")
            #expect(passed(ranged) == 0)
            #expect(passed(adoption) > 0)
            let reversed = try await app.call(
                .GET, "/api/v1/partnerships/\(ps)/reports/adoption.csv?from=2026-02-01&to=2026-01-01")
            #expect(reversed.status == .unprocessableEntity)
            #expect(reversed["field"] as? String == "to")
            let bad = try await app.call(.GET, "/api/v1/partnerships/\(ps)/reports/adoption?from=yesterday")
            #expect(bad.status == .unprocessableEntity)
            #expect(bad["field"] as? String == "from")
            // A seller's report counts only the deals they are on.
            let sellerReport = try await app.call(
                .GET, "/api/v1/partnerships/\(ps)/reports/pipeline", token: Token.hostSeller)
            let sellerOpen = ((sellerReport["stages"] as? [[String: Any]]) ?? []).compactMap {
                $0["open_deals"] as? Int
            }.reduce(0, +)
            let sellerDeals = try await app.call(
                .GET, "/api/v1/deals?partnership_id=\(ps)&status=open&limit=200", token: Token.hostSeller)
            #expect(sellerOpen == sellerDeals["total"] as? Int)
            #expect(sellerOpen < openCount)
        }
    }
}
