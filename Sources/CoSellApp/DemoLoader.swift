import CoSellDomain
import CoSellPersistence
import CoSellWeb
import Fluent
import Foundation

/// Demo credentials: well-known tokens, loaded only into a demo workspace.
public struct DemoToken: Sendable {
    public var token: String
    public var personEmail: String
    public var label: String
}

public enum DemoLoader {
    /// One token per person of the demo workspace, named after their company and role.
    /// The first person of each role in each company gets one.
    public static func tokens(for ws: DemoWorkspace) -> [DemoToken] {
        var seen = Set<String>()
        return ws.people.compactMap { p in
            let org = ws.organizations.first { $0.id == p.organizationID }
            let side = p.organizationID == ws.organizations.first?.id ? "host" : "partner"
            let token = "cosell_demo_\(side)_\(p.role.rawValue)"
            guard seen.insert(token).inserted else { return nil }
            return DemoToken(
                token: token, personEmail: p.email,
                label: "\(p.name), \(p.role.rawValue.replacingOccurrences(of: "_", with: " ")) at \(org?.name ?? "?")")
        }
    }

    /// Writes the whole workspace in one transaction.
    /// The demo's deals run on the standard playbook, stored under `standardPlaybookID`.
    public static func load(_ original: DemoWorkspace, into db: any Database, standardPlaybookID: UUID) async throws {
        var ws = original
        ws.playbook.id = standardPlaybookID
        for i in ws.deals.indices { ws.deals[i].deal.playbookID = standardPlaybookID }
        try await db.transaction { [ws] tx in
            let store = CoSellStore(db: tx)
            for o in ws.organizations { try await store.insert(o) }
            for p in ws.people { try await store.insert(p, at: ws.partnership.createdAt) }
            for t in tokens(for: ws) {
                guard let person = ws.people.first(where: { $0.email == t.personEmail }) else { continue }
                try await store.insertToken(
                    id: UUID(), personID: person.id, name: "demo", hash: APITokens.hash(t.token),
                    scope: TokenScope.readWrite.rawValue, at: ws.partnership.createdAt)
            }
            try await store.insert(ws.partnership)
            for a in ws.jointAccounts { try await store.insert(a) }
            if try await store.playbook(ws.playbook.id, version: ws.playbook.version) == nil {
                try await store.insert(ws.playbook)
            }
            for demo in ws.deals {
                try await store.importDeal(
                    demo.deal, stageKey: ws.playbook.stages[demo.deal.stageIndex].key,
                    events: demo.changes.map { ($0.change, $0.actor, $0.at) })
            }
        }
    }
}
