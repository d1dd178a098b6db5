import CoSellDomain
import CoSellPersistence
import CoSellWorkflows
import Foundation
import Testing

/// Named accounts per account executive, on every store: who sets what, the limit, sharing, progress.
@Suite("Named account workflows")
struct NamedAccountWorkflowsTests {
    let f = WorkflowFixture()

    var sofia: Person {
        Person(
            id: UUID(uuidString: "5F000000-0000-4000-8000-000000000001")!, organizationID: f.quarry.id,
            name: "Sofia Alvarez", email: "sofia@quarrydata.example", role: .seller)
    }
    var aisha: Person {
        Person(
            id: UUID(uuidString: "5F000000-0000-4000-8000-000000000002")!, organizationID: f.halyard.id,
            name: "Aisha Bello", email: "aisha@halyardsecurity.example", role: .seller)
    }
    var grace: Person {
        Person(
            id: UUID(uuidString: "5F000000-0000-4000-8000-000000000003")!, organizationID: f.quarry.id,
            name: "Grace Kim", email: "grace@quarrydata.example", role: .viewer)
    }

    /// More people and four more joint accounts (one a customer of Halyard Security, on the overlap).
    func seed(_ probe: Probe, plan: CoSellPlan? = nil) async throws -> [JointAccount] {
        let accounts = (1...4).map { i in
            JointAccount(
                id: UUID(), partnershipID: f.partnership.id, name: "Account \(i)", domain: nil, country: nil,
                industry: nil, employees: nil, origin: i == 4 ? .overlap : .added, reason: i == 4 ? nil : "Both",
                populations: i == 4
                    ? [
                        AccountPopulation(organizationID: f.quarry.id, population: "prospect"),
                        AccountPopulation(organizationID: f.halyard.id, population: "customer"),
                    ] : [], createdAt: f.now)
        }
        switch probe {
        case .memory(let s):
            s.seed { st in
                for p in [sofia, aisha, grace] { st.people[p.id] = p }
                for a in accounts { st.accounts[a.id] = a }
                if let plan { st.partnerships[f.partnership.id]?.plan = plan }
            }
        case .fluent(let s):
            for p in [sofia, aisha, grace] { try await s.insert(p, at: f.now) }
            for a in accounts { try await s.insert(a) }
            if let plan { try await s.updatePlan(plan, of: f.partnership.id) }
        }
        return [f.account] + accounts
    }

    var plan: CoSellPlan {
        CoSellPlan(
            segments: [], namedAccountIDs: [],
            owners: [
                PlanOwner(organizationID: f.quarry.id, personID: f.daniel.id),
                PlanOwner(organizationID: f.halyard.id, personID: f.marcus.id),
            ], reviewWeekday: .tuesday)
    }

    static func choices(_ person: Person, _ accounts: [JointAccount]) -> [NamedAccountWorkflows.Choice] {
        accounts.map { .init(personID: person.id, accountID: $0.id) }
    }

    /// The stored list of one company, as (person, account) pairs in order.
    func stored(_ w: Workflows, _ org: UUID) async throws -> [[UUID]] {
        try await w.store.namedAccounts(of: f.partnership.id).filter { $0.organizationID == org }.map {
            [$0.personID, $0.accountID]
        }
    }

    static func invalidField<T>(_ work: () async throws -> T) async -> (String, String)? {
        do {
            _ = try await work()
        } catch let e as WorkflowError {
            if case .invalid(let field, let message) = e { return (field, message) }
            Issue.record("\(e)")
        } catch {
            Issue.record("\(error)")
        }
        return nil
    }

    @Test("an admin names three accounts for a seller; a fourth is refused naming the limit", arguments: StoreKind.all)
    func limitOfThree(_ kind: StoreKind) async throws {
        try await f.run(kind) { w, probe in
            let accounts = try await seed(probe)
            let board = try await w.namedAccounts.replace(in: f.partnership.id, by: f.principal(f.daniel)) {
                Self.choices(sofia, Array(accounts.prefix(3)))
            }
            #expect(board.limit == 3)
            #expect(board.yours.rows.map(\.accountName) == ["Northwind Logistics", "Account 1", "Account 2"])
            #expect(board.yours.rows.allSatisfy { $0.personName == "Sofia Alvarez" && $0.progress == .noDeal })
            #expect(board.yours.sellers.map(\.name) == ["Priya Shah", "Sofia Alvarez"])
            #expect(try await probe.auditKinds(f.quarry.id).contains("named_accounts_changed"))
            let before = try await stored(w, f.quarry.id)
            #expect(before.count == 3)

            let refused = await Self.invalidField {
                try await w.namedAccounts.replace(in: f.partnership.id, by: f.principal(f.daniel)) {
                    Self.choices(sofia, Array(accounts.prefix(4)))
                }
            }
            #expect(refused?.0 == "named_accounts[3].person_id")
            #expect(
                refused?.1 == "at most 3 named accounts per account executive in this partnership; Sofia Alvarez has 4")
            #expect(try await stored(w, f.quarry.id) == before)
        }
    }

    @Test("the plan's setting raises or lowers the limit, 1 to 10", arguments: StoreKind.all)
    func planSetting(_ kind: StoreKind) async throws {
        try await f.run(kind) { w, probe in
            let accounts = try await seed(probe)
            await #expect(throws: WorkflowError.conflict("The partnership has no co-sell plan yet: agree one first.")) {
                try await w.namedAccounts.setLimit(in: f.partnership.id, by: f.principal(f.daniel)) { 4 }
            }
            _ = try await w.partnerships.setPlan(in: f.partnership.id, by: f.principal(f.daniel)) { plan }
            for bad in [0, 11] {
                let r = await Self.invalidField {
                    try await w.namedAccounts.setLimit(in: f.partnership.id, by: f.principal(f.daniel)) { bad }
                }
                #expect(r?.0 == "named_accounts_per_seller")
            }
            var wrong = plan
            wrong.namedAccountsPerSeller = 11
            let tooMany = wrong
            let viaPlan = await Self.invalidField {
                try await w.partnerships.setPlan(in: f.partnership.id, by: f.principal(f.daniel)) { tooMany }
            }
            #expect(viaPlan?.0 == "named_accounts_per_seller")
            await #expect(throws: WorkflowError.self) {
                try await w.namedAccounts.setLimit(in: f.partnership.id, by: f.principal(f.priya)) { 4 }
            }
            let ps = try await w.namedAccounts.setLimit(in: f.partnership.id, by: f.principal(f.daniel)) { 4 }
            #expect(ps.plan?.namedAccountsPerSeller == 4)
            #expect(try await w.store.partnership(f.partnership.id)?.plan?.namedAccountsPerSeller == 4)
            let four = try await w.namedAccounts.replace(in: f.partnership.id, by: f.principal(f.daniel)) {
                Self.choices(sofia, Array(accounts.prefix(4)))
            }
            #expect(four.yours.rows.count == 4)
            #expect(four.limit == 4)
            _ = try await w.namedAccounts.setLimit(in: f.partnership.id, by: f.principal(f.daniel)) { 1 }
            let one = await Self.invalidField {
                try await w.namedAccounts.replace(in: f.partnership.id, by: f.principal(f.daniel)) {
                    Self.choices(sofia, Array(accounts.prefix(2)))
                }
            }
            #expect(one?.1 == "at most 1 named account per account executive in this partnership; Sofia Alvarez has 2")
            // The longer list stays until it changes.
            #expect(try await stored(w, f.quarry.id).count == 4)
        }
    }

    @Test(
        "each entry is checked: a seller of the company, a joint account of the partnership, once",
        arguments: StoreKind.all)
    func validation(_ kind: StoreKind) async throws {
        try await f.run(kind) { w, probe in
            let accounts = try await seed(probe)
            let p = f.principal(f.daniel)
            let cases: [([NamedAccountWorkflows.Choice], String)] = [
                ([.init(personID: f.daniel.id, accountID: accounts[0].id)], "named_accounts[0].person_id"),
                (
                    [
                        .init(personID: sofia.id, accountID: accounts[0].id),
                        .init(personID: aisha.id, accountID: accounts[1].id),
                    ], "named_accounts[1].person_id"
                ),
                ([.init(personID: grace.id, accountID: accounts[0].id)], "named_accounts[0].person_id"),
                ([.init(personID: sofia.id, accountID: UUID())], "named_accounts[0].account_id"),
                (
                    Self.choices(sofia, [accounts[1], accounts[2], accounts[1]]), "named_accounts[2].account_id"
                ),
            ]
            for (list, field) in cases {
                let r = await Self.invalidField {
                    try await w.namedAccounts.replace(in: f.partnership.id, by: p) { list }
                }
                #expect(r?.0 == field)
            }
            #expect(try await stored(w, f.quarry.id).isEmpty)
        }
    }

    @Test(
        "who may: partner managers and admins the whole list, a seller their own, viewers read, others 404",
        arguments: StoreKind.all)
    func access(_ kind: StoreKind) async throws {
        try await f.run(kind) { w, probe in
            let accounts = try await seed(probe)
            let id = f.partnership.id
            _ = try await w.namedAccounts.replace(in: id, by: f.principal(f.daniel)) {
                Self.choices(sofia, [accounts[0], accounts[1]])
            }
            // Priya sets her own: Sofia's stay.
            let mine = try await w.namedAccounts.replace(in: id, by: f.principal(f.priya)) {
                Self.choices(f.priya, [accounts[2]])
            }
            #expect(Set(mine.yours.rows.map(\.personName)) == ["Sofia Alvarez", "Priya Shah"])
            #expect(try await stored(w, f.quarry.id).count == 3)
            await #expect(throws: WorkflowError.self) {
                try await w.namedAccounts.replace(in: id, by: f.principal(f.priya)) {
                    Self.choices(sofia, [accounts[3]])
                }
            }
            await #expect(throws: WorkflowError.self) {
                try await w.namedAccounts.replace(for: sofia.id, in: id, by: f.principal(f.priya)) { [accounts[3].id] }
            }
            #expect(try await stored(w, f.quarry.id).count == 3)
            // A viewer and a read-only token read but do not change.
            #expect(try await w.namedAccounts.board(in: id, by: f.principal(grace)).yours.rows.count == 3)
            await #expect(throws: WorkflowError.forbidden("A viewer can read but not change anything.")) {
                try await w.namedAccounts.replace(in: id, by: f.principal(grace)) { [] }
            }
            await #expect(throws: WorkflowError.forbidden("This API token may only read.")) {
                try await w.namedAccounts.replace(in: id, by: f.principal(f.daniel, scope: .read)) { [] }
            }
            // Another company: not found.
            await #expect(throws: WorkflowError.notFound("partnership")) {
                try await w.namedAccounts.board(in: id, by: f.principal(f.olga))
            }
            await #expect(throws: WorkflowError.notFound("partnership")) {
                try await w.namedAccounts.replace(in: id, by: f.principal(f.olga)) { [] }
            }
            // Halyard Security sets its list: Quarry Data's is untouched.
            _ = try await w.namedAccounts.replace(in: id, by: f.principal(f.marcus)) {
                Self.choices(aisha, [accounts[0]])
            }
            #expect(try await stored(w, f.quarry.id).count == 3)
            #expect(try await stored(w, f.halyard.id) == [[aisha.id, accounts[0].id]])
            // An admin's per-person form keeps the others.
            let one = try await w.namedAccounts.replace(for: sofia.id, in: id, by: f.principal(f.daniel)) {
                [accounts[4].id]
            }
            #expect(one.yours.rows.filter { $0.named.personID == sofia.id }.map(\.accountName) == ["Account 4"])
            #expect(one.yours.rows.filter { $0.named.personID == f.priya.id }.count == 1)
        }
    }

    @Test("the other company's named accounts show as far as its sharing allows", arguments: StoreKind.all)
    func sharing(_ kind: StoreKind) async throws {
        try await f.run(kind) { w, probe in
            let accounts = try await seed(probe)
            let id = f.partnership.id
            // Account 4 is a Halyard Security customer; Northwind Logistics was added by hand.
            _ = try await w.namedAccounts.replace(in: id, by: f.principal(f.marcus)) {
                Self.choices(aisha, [accounts[0], accounts[4]])
            }
            let hidden = try await w.namedAccounts.board(in: id, by: f.principal(f.daniel))
            #expect(hidden.theirs?.name == "Halyard Security")
            #expect(hidden.theirs?.rows.map(\.accountName) == ["Northwind Logistics"])
            _ = try await w.partnerships.setSharing(in: id, by: f.principal(f.marcus)) {
                .init(population: "customer", level: .overlappingAccounts)
            }
            let shown = try await w.namedAccounts.board(in: id, by: f.principal(f.daniel))
            #expect(shown.theirs?.rows.map(\.accountName) == ["Northwind Logistics", "Account 4"])
            #expect(shown.theirs?.rows.first?.personName == "Aisha Bello")
            // Halyard Security always sees its own whole list.
            #expect(try await w.namedAccounts.board(in: id, by: f.principal(f.marcus)).yours.rows.count == 2)
        }
    }

    @Test("progress follows the deal; a seller's home list; all or nothing", arguments: StoreKind.all)
    func progress(_ kind: StoreKind) async throws {
        try await f.run(kind) { w, probe in
            let accounts = try await seed(probe)
            let id = f.partnership.id
            _ = try await w.namedAccounts.replace(in: id, by: f.principal(f.daniel)) {
                Self.choices(f.priya, [accounts[0], accounts[1]])
            }
            let deal = try await f.openDeal(w)
            let board = try await w.namedAccounts.board(in: id, by: f.principal(f.daniel))
            let row = try #require(board.yours.rows.first { $0.named.accountID == f.account.id })
            #expect(row.progress.key == "open")
            #expect(row.progress.deal?.dealID == deal.id)
            #expect(row.progress.deal?.stageName == "Target account selection")
            #expect(row.progress.deal?.waiting.isEmpty == false)
            #expect(board.yours.rows.first { $0.named.accountID == accounts[1].id }?.progress == .noDeal)
            // Priya is not on Daniel's deal: she sees the account without it.
            let mine = try await w.namedAccounts.mine(by: f.principal(f.priya))
            #expect(mine.count == 1)
            #expect(mine.first?.rows.map(\.accountName) == ["Northwind Logistics", "Account 1"])
            #expect(mine.first?.rows.first?.progress == .noDeal)
            #expect(try await w.namedAccounts.mine(by: f.principal(sofia)).isEmpty)
            // A failed audit write keeps nothing of the change.
            let failing = Workflows(store: FailingStore(base: w.store), clock: w.clock)
            await #expect(throws: FailingStore.Injected.self) {
                try await failing.namedAccounts.replace(in: id, by: f.principal(f.daniel)) { [] }
            }
            #expect(try await stored(w, f.quarry.id).count == 2)
        }
    }
}
