import CoSellDomain
import CoSellPersistence
import CoSellWeb
import Foundation
import Vapor

extension Bench {
    /// Times every report request end to end: the first (cold), the median and max of the runs, and the
    /// median after one deal changed.
    func timeRequests(anyDeal: Deal, week: ISOWeek) async throws {
        func call(_ path: String) async throws -> (Int, Int) {
            var headers = HTTPHeaders()
            headers.bearerAuthorization = BearerAuthorization(token: "cosell_demo_host_admin")
            let req = Request(
                application: app, method: .GET, url: URI(string: path), headers: headers, on: app.eventLoopGroup.next())
            let res = try await app.responder.respond(to: req).get()
            return (Int(res.status.code), res.body.data?.count ?? res.body.string?.utf8.count ?? 0)
        }
        let requests: [(String, String)] = [
            ("pipeline report (demo partnership)", "/api/v1/partnerships/\(demo.id)/reports/pipeline"),
            ("pipeline report CSV", "/api/v1/partnerships/\(demo.id)/reports/pipeline.csv"),
            ("adoption report (demo partnership)", "/api/v1/partnerships/\(demo.id)/reports/adoption"),
            ("revenue report (all partnerships, USD)", "/api/v1/reports/revenue?currency=USD"),
            ("revenue report CSV", "/api/v1/reports/revenue.csv?currency=USD"),
            ("weekly review JSON (demo partnership)", "/api/v1/partnerships/\(demo.id)/reviews/\(week)"),
            ("weekly review Markdown", "/api/v1/partnerships/\(demo.id)/reviews/\(week)/markdown"),
            ("lesson library search", "/api/v1/lessons?q=introduction&stage=door_opener"),
            ("lessons for a deal", "/api/v1/deals/\(anyDeal.id)/lessons"),
        ]
        // One deal of the demo partnership saved again (a new version, its facts rewritten): what a
        // colleague's edit does between two requests.
        let admin = try await store.person(forTokenHash: APITokens.hash("cosell_demo_host_admin"), at: Date())!.0
        let actor = Actor(personID: admin.id, organizationID: admin.organizationID, role: admin.role, name: admin.name)
        func changeOneDeal() async throws {
            let d = try await store.deal(anyDeal.id)!
            let key = try await store.playbook(d.playbookID, version: d.playbookVersion)!.stages[d.stageIndex].key
            _ = try await store.save(
                d, stageKey: key, expectedVersion: d.version, changes: [], actor: actor, at: Date())
        }
        func medianOf(_ t: [Double]) -> Double {
            let t = t.sorted()
            return t.count % 2 == 1 ? t[t.count / 2] : (t[t.count / 2 - 1] + t[t.count / 2]) / 2
        }
        let cacheOn = app.factsCache != nil
        print("")
        print(
            "Facts cache: \(cacheOn ? "on (first: emptied before the first request of each row; then every partnership read, as `cosell serve` does before it listens)" : "off (COSELL_FACTS_CACHE=0)")."
        )
        print("")
        print(
            "| Request | Status | Bytes | First, cold (s) | Median (s) | Max (s) | Median after one deal changed (s) |")
        print("|---|---|---|---|---|---|---|")
        for (label, p) in requests {
            var first = 0.0
            var times: [Double] = []
            var afterChange: [Double] = []
            var status = 0
            var bytes = 0
            if cacheOn { app.factsCache = FactsCache() }
            for run in 0...runs {
                let t = clock.now
                (status, bytes) = try await call(p)
                let s = seconds(clock.now - t)
                if run == 0 { first = s } else { times.append(s) }
                // After the cold request, the cache as a running server has it: every partnership read
                // (`cosell serve` does this before it listens).
                if run == 0, cacheOn {
                    _ = try await CoSellStore(db: app.db, factsCache: app.factsCache).warmFactsCache()
                }
            }
            for _ in 0..<runs {
                try await changeOneDeal()
                let t = clock.now
                _ = try await call(p)
                afterChange.append(seconds(clock.now - t))
            }
            print(
                "| \(label) | \(status) | \(bytes) | \(String(format: "%.3f", first)) | \(String(format: "%.3f", medianOf(times))) | \(String(format: "%.3f", times.max()!)) | \(String(format: "%.3f", medianOf(afterChange))) |"
            )
        }
    }
}
