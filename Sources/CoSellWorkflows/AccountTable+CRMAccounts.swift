import CoSellDomain
import CoSellMatching

extension AccountTable {
    /// Stored CRM accounts as a table the matcher reads, in the given order (both stores match
    /// a partnership's two lists this way).
    public static func of(_ accounts: [CRMAccount]) throws -> AccountTable {
        try AccountTable.from(count: accounts.count) { i, field in
            let acc = accounts[i]
            switch field {
            case .id: return acc.crmID
            case .name: return acc.name
            case .population: return acc.population
            case .website: return acc.website ?? acc.domain
            case .country: return acc.country
            case .industry: return acc.industry
            case .employees: return acc.employees.map { String($0) }
            case .street, .city, .state, .postalCode: return nil
            }
        }
    }
}
