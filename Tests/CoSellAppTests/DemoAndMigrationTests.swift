import CoSellApp
import CoSellDomain
import CoSellPersistence
import Fluent
import Foundation
import Testing
import Vapor

@Suite("Demo workspace and migrations")
struct DemoAndMigrationTests {
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

    @Test("every migration reverts and applies again", arguments: TestDatabase.all)
    func revertAndMigrate(_ engine: TestDatabase) async throws {
        try await withTestApp(engine, demo: false) { app in
            try await app.autoRevert()
            #expect(try await CoSellStore(db: app.db).appliedMigrations() == 0)
            try await CoSellApp.prepare(app)
            #expect(try await CoSellStore(db: app.db).appliedMigrations() == CoSellMigrations.schemaVersion)
        }
    }
}
