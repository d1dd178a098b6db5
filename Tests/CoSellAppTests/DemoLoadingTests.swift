import CoSellApp
import CoSellDomain
import CoSellTestSupport
import Foundation
import Testing
import Vapor

@Suite("Demo workspace")
struct DemoLoadingTests {
    @Test(
        "the demo has deals in every stage and one stalled by each pitfall, through the API",
        arguments: TestDatabase.all)
    func demoThroughAPI(_ engine: TestDatabase) async throws {
        try await withTestApp(engine) { app in
            let list = try await app.call(.GET, "/api/v1/deals?limit=200", token: Token.partnerAdmin)
            let items = try #require(list["items"] as? [[String: Any]])
            let stages = Set(items.compactMap { $0["stage_key"] as? String })
            #expect(stages == Set(CriterionKind.allCases.map(\.rawValue)))
            var causes = Set<String>()
            for item in items {
                let id = try #require((item["deal"] as? [String: Any])?["id"] as? String)
                let d = try await app.call(.GET, "/api/v1/deals/\(id)/diagnosis", token: Token.partnerAdmin)
                if let cause = d.path("likely_cause", "pitfall") as? String { causes.insert(cause) }
            }
            #expect(causes == Set(Pitfall.allCases.map(\.rawValue)))
        }
    }

    @Test("the demo loads once: a second start leaves the data as it is", arguments: TestDatabase.all)
    func demoLoadsOnce(_ engine: TestDatabase) async throws {
        try await withTestApp(engine) { app in
            let before = try await app.call(.GET, "/api/v1/deals")
            #expect(try await CoSellApp.loadDemoIfEmpty(app) == false)
            let after = try await app.call(.GET, "/api/v1/deals")
            #expect(before["total"] as? Int == after["total"] as? Int)
        }
    }
}
