import CoSellApp
import CoSellDomain
import CoSellPersistence
import CoSellWeb
import Foundation
import Vapor

/// Loads the demo workspace, adds `partnershipCount - 1` generated partnerships and `dealCount` generated
/// deals through the store's bulk import, and prints how long it took.
func generateWorkspace(
    app: Application, store: CoSellStore, clock: ContinuousClock, dealCount: Int, partnershipCount: Int, path: String
) async throws {
    let started = clock.now
    try await CoSellApp.loadDemoIfEmpty(app)
    guard
        let demo = try await store.partnerships(
            of: try await store.person(forTokenHash: APITokens.hash("cosell_demo_host_admin"), at: Date())!.0
                .organizationID
        ).first
    else { throw CoSellSetupError("The demo partnership is missing.") }
    let host = demo.organizationIDs[0]
    var partnerships = [demo]
    for k in 1..<max(1, partnershipCount) {
        let org = Organization(
            id: UUID(), name: "Generated Partner \(k)", domain: "partner\(k).example", createdAt: Date())
        try await store.insert(org)
        let ps = Partnership(
            id: UUID(), name: "Generated partnership \(k)", organizationIDs: [host, org.id], createdAt: Date())
        try await store.insert(ps)
        partnerships.append(ps)
    }
    let playbook = try await store.playbook(API.standardPlaybookID)!
    let people = try await store.people(inOrganizations: demo.organizationIDs).map(\.id)
    var rng = Generator(state: 42)
    let now = Date()
    let batch = 5_000
    var done = 0
    while done < dealCount {
        var accounts: [JointAccount] = []
        var deals: [(deal: Deal, stageKey: String)] = []
        var events: [DealEvent] = []
        for i in done..<min(dealCount, done + batch) {
            // The first partnership holds 40 % of the deals, the others share the rest.
            let p =
                partnerships.count == 1 || i % 10 < 4 ? 0 : 1 + (i / 10) % (partnerships.count - 1)
            let (a, d, e) = generate(
                i, rng: &rng, partnership: partnerships[p], host: host, playbook: playbook, people: people, now: now
            )
            accounts.append(a)
            deals.append((d, playbook.stages[d.stageIndex].key))
            events += e
        }
        try await store.bulkImport(accounts: accounts, deals: deals, events: events)
        done += deals.count
    }
    print(
        "Generated \(dealCount) deals over \(partnerships.count) partnerships in \(String(format: "%.1f", seconds(clock.now - started))) s into \(path)."
    )
}
