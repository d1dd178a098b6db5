import CoSellDomain
import CoSellMatching
import FluentKit
import Foundation

extension WorkspaceLoader {
    /// Adds `count` more deals to a demo workspace, copies of the demo's deals (every stage, every
    /// pitfall) on accounts of their own: the data the page benchmarks run against.
    public static func addGeneratedDeals(
        _ count: Int, workspace: DemoWorkspace, into store: CoSellStore, standardPlaybookID: UUID
    ) async throws {
        let templates = workspace.deals
        let batch = 500
        var done = 0
        while done < count {
            let n = min(batch, count - done)
            let start = done
            try await store.transaction { tx in
                let store = CoSellStore(db: tx)
                for i in start..<(start + n) {
                    let template = templates[i % templates.count]
                    var deal = template.deal
                    let source = workspace.jointAccounts.first { $0.id == deal.jointAccountID }
                    var account = source ?? workspace.jointAccounts[0]
                    account.id = UUID()
                    account.name = "\(account.name) \(i + 1)"
                    // A copy is another customer: its own domain, so that its registration is its own.
                    account.domain = account.domain.map { "copy\(i + 1).\($0)" }
                    try await store.insert(account)
                    deal.id = UUID()
                    deal.jointAccountID = account.id
                    deal.accountName = account.name
                    deal.title = "\(template.deal.title) #\(i + 1)"
                    deal.playbookID = standardPlaybookID
                    for m in deal.moves.indices { deal.moves[m].id = UUID() }
                    for b in deal.evidence.jointDiscovery.briefs.indices {
                        deal.evidence.jointDiscovery.briefs[b].id = UUID()
                    }
                    for p in deal.evidence.jointPursuit.closePlans.indices {
                        deal.evidence.jointPursuit.closePlans[p].id = UUID()
                    }
                    if var review = deal.evidence.close.review {
                        for l in review.lessons.indices { review.lessons[l].id = UUID() }
                        deal.evidence.close.review = review
                    }
                    if var reg = deal.evidence.close.registration {
                        reg.registrationID = "\(reg.registrationID)-\(i + 1)"
                        deal.evidence.close.registration = reg
                    }
                    try await store.importDeal(
                        deal, stageKey: workspace.playbook.stages[deal.stageIndex].key,
                        events: template.changes.map { ($0.change, $0.actor, $0.at) })
                }
            }
            done += n
        }
    }
}
