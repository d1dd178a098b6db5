import CoSellDomain
import CoSellMatching
import FluentKit
import Foundation

/// Writes a prepared workspace (organizations, people, a partnership, its CRM accounts and mapping,
/// deals with their histories, exchange rates) into the store, in one transaction: the demo, and the
/// data the page and report benchmarks run against.
public enum WorkspaceLoader {
    /// Writes the whole workspace in one transaction. Its deals run on the standard playbook, stored
    /// under `standardPlaybookID`; every person gets `passwordHash`, and `tokens` are API tokens by the
    /// hash of their secret.
    public static func load(
        _ original: DemoWorkspace, into store: CoSellStore, standardPlaybookID: UUID, passwordHash: String? = nil,
        tokens: [(personEmail: String, tokenHash: String)] = []
    ) async throws {
        var ws = original
        ws.playbook.id = standardPlaybookID
        for i in ws.deals.indices { ws.deals[i].deal.playbookID = standardPlaybookID }
        try await store.transaction { [ws] tx in
            let store = CoSellStore(db: tx)
            for o in ws.organizations { try await store.insert(o) }
            for p in ws.people {
                try await store.insert(p, at: ws.partnership.createdAt)
                if let passwordHash {
                    try await store.setPassword(hash: passwordHash, for: p.id, at: ws.partnership.createdAt)
                }
            }
            for t in tokens {
                guard let person = ws.people.first(where: { $0.email == t.personEmail }) else { continue }
                try await store.insertToken(
                    id: UUID(), personID: person.id, name: "demo", hash: t.tokenHash, scope: "read_write",
                    at: ws.partnership.createdAt)
            }
            try await store.insert(ws.partnership)
            for a in ws.jointAccounts { try await store.insert(a) }
            if try await store.playbook(ws.playbook.id, version: ws.playbook.version) == nil {
                try await store.insert(ws.playbook)
            }
            try await loadAccountMapping(ws, store: store)
            for plan in ws.compensationPlans { try await store.saveCompensationPlan(plan) }
            for demo in ws.deals {
                try await store.importDeal(
                    demo.deal, stageKey: ws.playbook.stages[demo.deal.stageIndex].key,
                    events: demo.changes.map { ($0.change, $0.actor, $0.at) })
                let named = CustomerContacts.named(in: demo.deal)
                if !named.isEmpty {
                    try await store.keepCustomerContacts(
                        named, on: demo.deal.jointAccountID, at: demo.deal.lastActivityAt)
                }
            }
            try await loadExchangeRates(ws, store: store)
            for call in ws.discoveryCalls { try await store.insertDiscoveryCall(call) }
            for record in ws.reviewRecords { _ = try await store.saveReviewRecord(record) }
            for vp in ws.valuePropositions { try await store.saveValueProposition(vp, expectedRevision: 0) }
            try await loadNamedAccounts(ws, store: store)
        }
    }
}
