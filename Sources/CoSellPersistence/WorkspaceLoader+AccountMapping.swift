import CoSellDomain
import CoSellMatching
import FluentKit
import Foundation

extension WorkspaceLoader {
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
