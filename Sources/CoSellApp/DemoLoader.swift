import CoSellDomain
import CoSellMatching
import CoSellPersistence
import CoSellWeb
import CoSellWorkflows
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
    /// The password of every demo person (demo workspaces only).
    public static let password = "cosell-demo-password"

    public static func load(
        _ original: DemoWorkspace, into db: any Database, standardPlaybookID: UUID, passwordHash: String? = nil
    ) async throws {
        var ws = original
        ws.playbook.id = standardPlaybookID
        for i in ws.deals.indices { ws.deals[i].deal.playbookID = standardPlaybookID }
        try await db.transaction { [ws] tx in
            let store = CoSellStore(db: tx)
            for o in ws.organizations { try await store.insert(o) }
            for p in ws.people {
                try await store.insert(p, at: ws.partnership.createdAt)
                if let passwordHash {
                    try await store.setPassword(hash: passwordHash, for: p.id, at: ws.partnership.createdAt)
                }
            }
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
            try await loadAccountMapping(ws, store: store)
            for demo in ws.deals {
                try await store.importDeal(
                    demo.deal, stageKey: ws.playbook.stages[demo.deal.stageIndex].key,
                    events: demo.changes.map { ($0.change, $0.actor, $0.at) })
            }
            try await loadExchangeRates(ws, store: store)
        }
    }
}

extension DemoLoader {
    /// Each company's CRM accounts (the joint accounts found in both, plus accounts only one has), their
    /// ideal customer profiles and sharing, and the overlaps account mapping finds between them.
    static func loadAccountMapping(_ ws: DemoWorkspace, store: CoSellStore) async throws {
        let orgs = ws.partnership.organizationIDs
        let at = ws.partnership.createdAt
        let legalForms = [" Inc", "", " LLC", "", " Ltd", " GmbH", "", " Corp"]
        for (k, org) in orgs.enumerated() {
            let prefix = k == 0 ? "QD" : "HS"
            var rows: [[AccountField: String]] = []
            for (i, a) in ws.jointAccounts.enumerated() {
                guard let pop = a.populations.first(where: { $0.organizationID == org })?.population else { continue }
                // The two CRMs spell names and websites differently, as real exports do.
                let name = k == 0 ? a.name + legalForms[i % legalForms.count] : a.name.uppercased()
                let website = k == 0 ? "https://www.\(a.domain ?? "")/" : (a.domain ?? "")
                var row: [AccountField: String] = [
                    .id: "\(prefix)-\(1000 + i)", .name: name, .website: website, .country: a.country ?? "",
                    .industry: a.industry ?? "", .employees: a.employees.map(String.init) ?? "", .population: pop,
                ]
                // Each export carries the billing address; Quarry Data's misses a few, which Halyard's fills.
                if let address = a.address, k == 1 || i % 5 != 4 {
                    row[.street] = address.line1
                    row[.city] = address.city
                    row[.state] = address.state
                    row[.postalCode] = address.postalCode
                }
                rows.append(row)
            }
            let onlyHere =
                k == 0
                ? [
                    ("Fenwick Outdoor", "fenwick.example", "Retail", 800, "prospect"),
                    ("Tidewater Freight", "tidewater.example", "Logistics", 2_400, "customer"),
                    ("Solano Biotech", "solanobio.example", "Pharmaceuticals", 650, "open_opportunity"),
                    ("Greyfield Insurance", "greyfield.example", "Insurance", 3_900, "prospect"),
                ]
                : [
                    ("Nimbus Travel", "nimbustravel.example", "Travel", 1_100, "customer"),
                    ("Redwood Credit", "redwoodcredit.example", "Financial services", 900, "prospect"),
                    ("Aster Telecom", "astertel.example", "Telecommunications", 7_000, "customer"),
                    ("Pioneer Foods", "pioneerfoods.example", "Food and beverage", 2_000, "open_opportunity"),
                ]
            for (j, o) in onlyHere.enumerated() {
                rows.append([
                    .id: "\(prefix)-\(2000 + j)", .name: o.0, .website: o.1, .country: "US", .industry: o.2,
                    .employees: String(o.3), .population: o.4,
                ])
            }
            let table = try AccountTable.from(rows: rows, fileName: "demo-\(prefix.lowercased()).csv")
            let importID = UUID()
            try await store.startImport(
                id: importID, organizationID: org, fileName: "demo-\(prefix.lowercased()).csv", createdBy: nil, at: at)
            _ = try await store.importAccounts(table, organizationID: org, importID: importID, at: at)
            try await store.setSharing(
                .overlappingAccounts, population: "customer", organizationID: org, partnershipID: ws.partnership.id,
                at: at)
            try await store.setSharing(
                .overlappingAccounts, population: "open_opportunity", organizationID: org,
                partnershipID: ws.partnership.id, at: at)
            try await store.setSharing(
                .counts, population: "prospect", organizationID: org, partnershipID: ws.partnership.id, at: at)
        }
        try await store.saveSettings(
            OrganizationSettings(
                idealCustomerProfile: IdealCustomerProfile(
                    industries: [
                        "Financial services", "Banking", "Healthcare", "Pharmaceuticals", "Retail", "Software",
                    ],
                    employeeRange: 500...20_000, countries: ["US", "GB", "DE"])),
            of: orgs[0], at: at)
        try await store.saveSettings(
            OrganizationSettings(
                idealCustomerProfile: IdealCustomerProfile(
                    industries: ["Financial services", "Banking", "Healthcare", "Insurance", "Logistics", "Software"],
                    employeeRange: 1_000...50_000, countries: [])),
            of: orgs[1], at: at)
        try await store.refreshOverlaps(of: ws.partnership, at: at)
        // Overlaps of accounts that already have joint deals point at those joint accounts.
        for o in try await store.overlaps(of: ws.partnership) {
            if let joint = ws.jointAccounts.first(where: { $0.domain != nil && $0.domain == o.accounts[0].domain }) {
                try await store.linkOverlap(o.id, to: joint.id)
            }
        }
    }
}

extension DemoLoader {
    /// Adds `count` more deals to a demo workspace, copies of the demo's deals (every stage, every
    /// pitfall) on accounts of their own: the data the page benchmarks run against.
    public static func addGeneratedDeals(
        _ count: Int, workspace: DemoWorkspace, into db: any Database, standardPlaybookID: UUID
    ) async throws {
        let templates = workspace.deals
        let batch = 500
        var done = 0
        while done < count {
            let n = min(batch, count - done)
            let start = done
            try await db.transaction { tx in
                let store = CoSellStore(db: tx)
                for i in start..<(start + n) {
                    let template = templates[i % templates.count]
                    var deal = template.deal
                    let source = workspace.jointAccounts.first { $0.id == deal.jointAccountID }
                    var account = source ?? workspace.jointAccounts[0]
                    account.id = UUID()
                    account.name = "\(account.name) \(i + 1)"
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
