import CoSellDomain
import CoSellMatching

extension AccountTable {
    /// Stored CRM accounts as a table the matcher reads, in the given order (both stores match
    /// a partnership's two lists this way).
    public static func of(_ accounts: [CRMAccount]) throws -> AccountTable {
        try AccountTable.from(
            rows: accounts.map { acc in
                var row: [AccountField: String] = [.id: acc.crmID, .name: acc.name, .population: acc.population]
                if let w = acc.website ?? acc.domain { row[.website] = w }
                if let c = acc.country { row[.country] = c }
                if let i = acc.industry { row[.industry] = i }
                if let e = acc.employees { row[.employees] = String(e) }
                return row
            })
    }
}
