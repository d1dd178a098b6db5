// cosell-reportbench: fills a SQLite file with generated joint deals (spread over stages, statuses,
// currencies and partnerships, with their timelines, registrations and lessons) through the store's
// bulk import, then times every report request end to end (routing, authentication, loading from
// SQLite, the pure report code, JSON or CSV encoding) several times and prints median and max.
//
//   cosell-reportbench [--deals N] [--partnerships P] [--runs R] [--db PATH] [--keep]
//                      [--only requests,loading,review]
//
// Defaults: 100000 deals, 4 partnerships (the first, the demo's, holds 40 % of the deals), 7 runs,
// /tmp/cosell-reportbench.sqlite. --keep reuses an existing file instead of generating it again;
// --only runs some of the three parts: the requests, where loading the deals' data goes, where the
// weekly review's time goes (all three by default).
// Build and run in release (see BENCHMARKS.md); timings of a debug build mean little.
import CoSellApp
import CoSellDomain
import CoSellPersistence
import CoSellWeb
import Foundation
import Vapor

let arguments = Array(CommandLine.arguments.dropFirst())
func option(_ name: String, _ fallback: String) -> String {
    guard let i = arguments.firstIndex(of: name), i + 1 < arguments.count else { return fallback }
    return arguments[i + 1]
}
guard let dealCount = Int(option("--deals", "100000")), dealCount > 0,
    let partnershipCount = Int(option("--partnerships", "4")), partnershipCount >= 1,
    let runs = Int(option("--runs", "7")), runs >= 1
else {
    FileHandle.standardError.write(
        Data("cosell-reportbench: --deals, --partnerships and --runs take positive integers\n".utf8))
    exit(2)
}
let path = option("--db", "/tmp/cosell-reportbench.sqlite")
let keep = arguments.contains("--keep") && FileManager.default.fileExists(atPath: path)
let parts = Set(option("--only", "requests,loading,review").split(separator: ",").map(String.init))

var env = Environment(name: "production", arguments: ["cosell-reportbench"])
try LoggingSystem.bootstrap(from: &env)
let app = try await Application.make(env)
app.logger.logLevel = .warning
do {
    if !keep {
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
    }
    try CoSellApp.configure(
        app, CoSellConfig(database: .sqliteFile(path), loadDemo: false, security: SecuritySettings(bcryptCost: 4)))
    try await CoSellApp.prepare(app)
    let store = CoSellStore(db: app.db)
    let clock = ContinuousClock()
    if !keep {
        try await generateWorkspace(
            app: app, store: store, clock: clock, dealCount: dealCount, partnershipCount: partnershipCount, path: path)
    }

    let demo = try await store.partnerships(
        of: try await store.person(forTokenHash: APITokens.hash("cosell_demo_host_admin"), at: Date())!.0.organizationID
    ).first!
    let inDemo = try await store.deals(
        visibleTo: demo.organizationIDs[0], filter: DealFilter(partnershipID: demo.id, limit: 1, offset: 0)
    ).total
    let all = try await store.deals(visibleTo: demo.organizationIDs[0], filter: DealFilter(limit: 1, offset: 0)).total
    let anyDeal = try await store.deals(
        visibleTo: demo.organizationIDs[0],
        filter: DealFilter(partnershipID: demo.id, status: .open, stageKey: "door_opener", limit: 1, offset: 0)
    ).items.first!
    let week = ISOWeek(containing: Date())
    print(
        "The host admin sees \(all) deals; the demo partnership holds \(inDemo). \(runs) runs per request after one warm-up."
    )
    let bench = Bench(app: app, store: store, clock: clock, runs: runs, demo: demo)
    if parts.contains("requests") { try await bench.timeRequests(anyDeal: anyDeal, week: week) }
    if parts.contains("loading") { try await bench.timeLoading() }
    if parts.contains("review") { try await bench.timeReview() }
} catch {
    try? await app.asyncShutdown()
    FileHandle.standardError.write(Data("cosell-reportbench: \(error)\n".utf8))
    exit(1)
}
try await app.asyncShutdown()
