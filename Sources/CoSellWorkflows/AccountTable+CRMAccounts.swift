import CoSellDomain
import CoSellMatching
import Foundation

extension AccountTable {
    /// Stored CRM accounts as a table the matcher reads, in the given order (both stores match
    /// a partnership's two lists this way).
    public static func of(_ accounts: [CRMAccount]) throws -> AccountTable {
        try AccountTable.from(count: accounts.count) { i, field in AccountTable.value(of: accounts[i], field) }
    }

    /// The value of `field` the matcher reads from a stored account (no address: matching does not use it).
    static func value(of account: CRMAccount, _ field: AccountField) -> String? {
        switch field {
        case .id: return account.crmID
        case .name: return account.name
        case .population: return account.population
        case .website: return account.website ?? account.domain
        case .country: return account.country
        case .industry: return account.industry
        case .employees: return account.employees.map { String($0) }
        case .street, .city, .state, .postalCode: return nil
        }
    }
}

/// One organization's active accounts as matching reads them: a table sorted by name, then CRM id
/// (`AccountTable.sortByNameThenID`), and the id of the account behind each of its rows.
///
/// Made one account at a time, it never holds the list as `CRMAccount` values: at a million accounts
/// those took about 500 MB, the table takes about 200 MB and the ids 16 MB.
public struct AccountsForMatching: Sendable {
    public let table: AccountTable
    /// `ids[i]`: the account of table row `i`.
    public let ids: [UUID]

    /// Builds the table from `count` accounts, `account(i)` called once for each, in order.
    public static func make(count: Int, account: (Int) -> CRMAccount) throws -> AccountsForMatching {
        var ids: [UUID] = []
        ids.reserveCapacity(count)
        var current: CRMAccount? = nil
        var at = -1
        let table = try AccountTable.from(count: count) { i, field in
            if i != at {
                let a = account(i)
                (current, at) = (a, i)
                ids.append(a.id)
            }
            return current.flatMap { AccountTable.value(of: $0, field) }
        }
        let order = table.sortByNameThenID()
        guard table.count != ids.count else { return AccountsForMatching(table: table, ids: order.map { ids[$0] }) }
        // A stored account the table left out (a blank name): rows found by CRM id instead.
        var crmIDs: [String: UUID] = [:]
        for i in 0..<count {
            let a = account(i)
            if crmIDs[a.crmID] == nil { crmIDs[a.crmID] = a.id }
        }
        var rowIDs: [UUID] = []
        rowIDs.reserveCapacity(table.count)
        for row in 0..<table.count {
            // Every row was made from one of the accounts.
            guard let id = crmIDs[table.id(at: row)] else {
                throw WorkflowError.conflict("The account list changed while it was read for matching.")
            }
            rowIDs.append(id)
        }
        return AccountsForMatching(table: table, ids: rowIDs)
    }
}
