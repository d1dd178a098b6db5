import CoSellDomain
import CoSellMatching
import Foundation
import Testing

@testable import CoSellWorkflows

@Suite("An organization's accounts as matching reads them")
struct AccountsForMatchingTests {
    let org = UUID()

    func account(_ crmID: String, _ name: String, domain: String? = nil) -> CRMAccount {
        CRMAccount(
            id: UUID(), organizationID: org, crmID: crmID, name: name, domain: domain, country: "DE",
            population: "customer", updatedAt: Date(timeIntervalSince1970: 0))
    }

    /// Each row carries the id of the account it was made from, whatever order the accounts came in;
    /// two orders of one list give the same table.
    @Test func rowsKeepTheirAccountsInEitherOrder() throws {
        let accounts = [
            account("c2", "Beta"), account("c1", "Alpha", domain: "alpha.example"), account("c3", "Alpha"),
            account("c0", "Gamma"),
        ]
        let forward = try AccountsForMatching.make(count: accounts.count) { accounts[$0] }
        let backward = try AccountsForMatching.make(count: accounts.count) { accounts[accounts.count - 1 - $0] }
        let byID = Dictionary(uniqueKeysWithValues: accounts.map { ($0.id, $0) })
        #expect((0..<forward.table.count).map { forward.table.id(at: $0) } == ["c1", "c3", "c2", "c0"])
        for i in 0..<forward.table.count {
            #expect(byID[forward.ids[i]]?.crmID == forward.table.id(at: i))
            #expect(byID[forward.ids[i]]?.name == forward.table.record(at: i).name)
        }
        #expect(forward.ids == backward.ids)
        // The same rows (each keeps the line it was built on, which matching does not read).
        func lineless(_ t: AccountTable) -> [AccountRecord] {
            t.records.map {
                var r = $0
                r.line = 0
                return r
            }
        }
        #expect(lineless(forward.table) == lineless(backward.table))
    }

    /// An account the table leaves out (a blank name) does not shift the others' ids.
    @Test func blankNameLeavesOthersAligned() throws {
        let accounts = [account("c1", "Alpha"), account("c2", "  "), account("c3", "Beta")]
        let list = try AccountsForMatching.make(count: accounts.count) { accounts[$0] }
        #expect(list.table.count == 2)
        #expect(list.ids == [accounts[0].id, accounts[2].id])
    }

    @Test func emptyList() throws {
        let list = try AccountsForMatching.make(count: 0) { _ in account("x", "x") }
        #expect(list.table.count == 0 && list.ids.isEmpty)
    }
}
