import CoSellDomain
import CoSellMatching
import CoSellPersistence
import CoSellWorkflows
import FluentSQL
import Foundation

/// Both companies' CRM accounts, ideal customer profiles and sharing, with the overlaps mapping finds
/// between them, written into the store under test (in memory: the overlaps as mapping would store them).
///
/// Quarry Data (the fixture's first organization) x Halyard Security:
/// - Northwind Logistics: Quarry prospect x Halyard customer, both strong fits (partner opens the door);
/// - Acme Software: customer x customer, Halyard's profile does not fit it (shared customer);
/// - Globex Retail: open opportunity x prospect, no fit on Halyard's side (joint prospect);
/// - Solo Freight (Quarry only) and Harbor Mills (Halyard only, a prospect).
/// Halyard shares its customers as overlapping accounts, its prospects as all accounts, and hides its
/// open opportunities; Quarry shares only its customers, as overlapping accounts.
struct MappingSeed {
    typealias Row = (name: String, domain: String, industry: String, employees: Int, population: String)

    static let quarryRows: [Row] = [
        ("Northwind Logistics", "northwind.example", "Logistics", 4_000, "prospect"),
        ("Acme Software", "acmesoft.example", "Software", 900, "customer"),
        ("Globex Retail", "globex.example", "Retail", 300, "open_opportunity"),
        ("Solo Freight", "solofreight.example", "Logistics", 2_000, "customer"),
    ]
    static let halyardRows: [Row] = [
        ("Northwind Logistics", "northwind.example", "Logistics", 4_000, "customer"),
        ("Acme Software", "acmesoft.example", "Software", 900, "customer"),
        ("Globex Retail", "globex.example", "Retail", 300, "prospect"),
        ("Harbor Mills", "harbormills.example", "Manufacturing", 1_200, "prospect"),
    ]
    static let quarryProfile = IdealCustomerProfile(
        industries: ["Logistics", "Software"], employeeRange: 500...10_000, countries: ["US"])
    static let halyardProfile = IdealCustomerProfile(industries: ["Logistics"], employeeRange: 1_000...50_000)

    static func write(_ f: WorkflowFixture, _ probe: Probe) async throws {
        let ps = f.partnership
        let sharing: [(UUID, String, SharingLevel)] = [
            (f.halyard.id, "customer", .overlappingAccounts), (f.halyard.id, "prospect", .allAccounts),
            (f.quarry.id, "customer", .overlappingAccounts),
        ]
        switch probe {
        case .memory(let s):
            func accounts(_ rows: [Row], _ org: UUID) -> [CRMAccount] {
                rows.enumerated().map { i, r in
                    CRMAccount(
                        id: UUID(), organizationID: org, crmID: "C-\(i)", name: r.name, website: r.domain,
                        domain: r.domain, country: "US", industry: r.industry, employees: r.employees,
                        population: r.population, updatedAt: f.now)
                }
            }
            let q = accounts(quarryRows, f.quarry.id)
            let h = accounts(halyardRows, f.halyard.id)
            s.seed { state in
                for a in q + h { state.crmAccounts[a.id] = a }
                state.overlaps = (0..<3).map { i in
                    StoredOverlap(
                        id: UUID(), partnershipID: ps.id, accounts: [q[i], h[i]], relation: "same_account",
                        method: "domain+name", score: 1)
                }
                state.profiles = [f.quarry.id: quarryProfile, f.halyard.id: halyardProfile]
                for (org, pop, level) in sharing {
                    state.sharing[InMemoryStore.sharingKey(ps.id, org, pop)] = level
                }
            }
        case .fluent(let s):
            for (org, rows) in [(f.quarry.id, quarryRows), (f.halyard.id, halyardRows)] {
                let table = try AccountTable.from(
                    rows: rows.enumerated().map { i, r in
                        [
                            .id: "C-\(i)", .name: r.name, .website: r.domain, .country: "US", .industry: r.industry,
                            .employees: String(r.employees), .population: r.population,
                        ]
                    }, fileName: "crm.csv")
                let importID = UUID()
                try await s.startImport(
                    id: importID, organizationID: org, fileName: "crm.csv", createdBy: nil, at: f.now)
                _ = try await s.importAccounts(table, organizationID: org, importID: importID, at: f.now)
            }
            try await s.refreshOverlaps(of: ps, at: f.now)
            try await s.saveSettings(.init(idealCustomerProfile: quarryProfile), of: f.quarry.id, at: f.now)
            try await s.saveSettings(.init(idealCustomerProfile: halyardProfile), of: f.halyard.id, at: f.now)
            for (org, pop, level) in sharing {
                try await s.setSharing(level, population: pop, organizationID: org, partnershipID: ps.id, at: f.now)
            }
        }
    }

    /// Removes every playbook, so that opening a deal fails after its joint account was written.
    static func removePlaybooks(_ probe: Probe) async throws {
        switch probe {
        case .memory(let s): s.seed { $0.playbooks = [] }
        case .fluent(let s):
            guard let sql = s.db as? any SQLDatabase else { return }
            try await sql.raw("DELETE FROM playbooks").run()
        }
    }
}

extension Probe {
    /// The names of a partnership's joint accounts, in order.
    func jointAccountNames(_ partnershipID: UUID) async throws -> [String] {
        switch self {
        case .memory(let s):
            return s.state.accounts.values.filter { $0.partnershipID == partnershipID }.map(\.name).sorted()
        case .fluent(let s):
            return try await s.jointAccounts(of: partnershipID, limit: 1_000, offset: 0).items.map(\.name).sorted()
        }
    }
}
