import Foundation
import Testing

@testable import CoSellDomain

/// Named accounts per account executive: the plan's setting, a company's list, each account's progress.
@Suite("Named accounts per account executive")
struct NamedAccountsTests {
    static let sofia = Person(
        id: Fixture.id(300), organizationID: Fixture.hostOrg.id, name: "Sofia Alvarez", email: "sofia@host.example",
        role: .seller)
    static let sellers = Dictionary(
        uniqueKeysWithValues: [Fixture.hostSeller, sofia, Fixture.hostManager].map { ($0.id, $0) })
    static let accounts = (0..<6).map { Fixture.id(400 + $0) }
    var accounts: [UUID] { Self.accounts }

    static func problem(_ entries: [(UUID, UUID)], limit: Int = 3) -> NamedAccountProblem? {
        NamedAccounts.problem(
            entries.map { (personID: $0.0, accountID: $0.1) }, sellers: sellers, accountIDs: Set(accounts),
            limit: limit)
    }

    // MARK: the plan's setting

    @Test func thePlanHoldsThreePerAccountExecutiveByDefaultAndOneToTen() {
        #expect(Fixture.partnership.plan?.namedAccountsPerSeller == 3)
        #expect(CoSellPlan.defaultNamedAccountsPerSeller == 3)
        #expect(CoSellPlan.namedAccountsPerSellerRange == 1...10)
        #expect(!CoSellPlan.namedAccountsPerSellerRange.contains(0))
        #expect(!CoSellPlan.namedAccountsPerSellerRange.contains(11))
    }

    @Test func aPlanStoredBeforeTheSettingDecodesWithThree() throws {
        var plan = try #require(Fixture.partnership.plan)
        plan.namedAccountsPerSeller = 7
        let data = try JSONEncoder().encode(plan)
        var object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(object["namedAccountsPerSeller"] as? Int == 7)
        #expect(try JSONDecoder().decode(CoSellPlan.self, from: data).namedAccountsPerSeller == 7)
        object["namedAccountsPerSeller"] = nil
        let old = try JSONSerialization.data(withJSONObject: object)
        #expect(try JSONDecoder().decode(CoSellPlan.self, from: old).namedAccountsPerSeller == 3)
    }

    // MARK: a company's list

    @Test func threeAccountsPerPersonHoldAndAFourthIsRefusedNamingThePersonAndTheLimit() throws {
        let three = accounts.prefix(3).map { (Self.sofia.id, $0) }
        #expect(Self.problem(three) == nil)
        #expect(Self.problem(three + accounts.prefix(3).map { (Fixture.hostSeller.id, $0) }) == nil)
        let four = accounts.prefix(4).map { (Self.sofia.id, $0) }
        let p = try #require(Self.problem(four))
        #expect(p.index == 3)
        #expect(p.field == "person_id")
        #expect(p.message == "at most 3 named accounts per account executive in this partnership; Sofia Alvarez has 4")
    }

    @Test func theLimitIsThePlansSetting() throws {
        let five = accounts.prefix(5).map { (Self.sofia.id, $0) }
        #expect(Self.problem(five, limit: 5) == nil)
        let p = try #require(Self.problem(five, limit: 4))
        #expect(p.index == 4)
        #expect(p.message.hasPrefix("at most 4 named accounts per account executive"))
        let one = try #require(Self.problem(Array(five.prefix(2)), limit: 1))
        #expect(one.index == 1)
        #expect(one.message == "at most 1 named account per account executive in this partnership; Sofia Alvarez has 2")
    }

    @Test func theEntryPastTheLimitIsNamedWhereverThePersonsEntriesAre() throws {
        let mixed = [
            (Self.sofia.id, accounts[0]), (Fixture.hostSeller.id, accounts[0]), (Self.sofia.id, accounts[1]),
            (Self.sofia.id, accounts[2]), (Fixture.hostSeller.id, accounts[1]), (Self.sofia.id, accounts[3]),
        ]
        let p = try #require(Self.problem(mixed))
        #expect(p.index == 5)
        #expect(p.field == "person_id")
    }

    @Test func onlyAnActiveSellerOfTheCompanyMayBeNamed() throws {
        let manager = try #require(Self.problem([(Fixture.hostManager.id, accounts[0])]))
        #expect(manager.field == "person_id")
        #expect(manager.index == 0)
        let stranger = try #require(
            Self.problem([(Self.sofia.id, accounts[0]), (Fixture.partnerSeller.id, accounts[1])]))
        #expect(stranger.index == 1)
        #expect(stranger.field == "person_id")
        var gone = Self.sofia
        gone.deactivatedAt = Fixture.now
        let deactivated = NamedAccounts.problem(
            [(personID: gone.id, accountID: accounts[0])], sellers: [gone.id: gone], accountIDs: Set(accounts),
            limit: 3)
        #expect(deactivated?.field == "person_id")
    }

    @Test func theAccountMustBeOneOfThePartnershipsAndNamedOncePerPerson() throws {
        let unknown = try #require(Self.problem([(Self.sofia.id, accounts[0]), (Self.sofia.id, Fixture.id(999))]))
        #expect(unknown.index == 1)
        #expect(unknown.field == "account_id")
        let twice = try #require(Self.problem([(Self.sofia.id, accounts[0]), (Self.sofia.id, accounts[0])]))
        #expect(twice.index == 1)
        #expect(twice.field == "account_id")
        #expect(twice.message.contains("Sofia Alvarez"))
        #expect(Self.problem([]) == nil)
    }

    // MARK: progress

    static let names = [Fixture.hostOrg.id: Fixture.hostOrg.name, Fixture.partnerOrg.id: Fixture.partnerOrg.name]

    static func opened(_ n: Int, on day: Int) throws -> Deal {
        try DealEngine.open(
            id: Fixture.id(500 + n), partnership: Fixture.partnership, account: Fixture.account,
            title: "Globex \(n)", hostOrganizationID: Fixture.hostOrg.id, reason: nil, amount: nil,
            expectedCloseDate: nil, actor: Fixture.actor(Fixture.hostManager),
            context: Fixture.context(now: Fixture.day(day))
        ).0
    }

    static func progress(_ deals: [Deal], now: Date) -> NamedAccountProgress {
        NamedAccounts.progress(of: deals, playbook: { _ in Fixture.playbook }, companyNames: names, now: now)
    }

    @Test func withoutADealTheAccountIsNamedOnly() throws {
        #expect(Self.progress([], now: Fixture.now) == .noDeal)
        var abandoned = try Self.opened(1, on: 0)
        abandoned.status = .abandoned
        #expect(Self.progress([abandoned], now: Fixture.day(1)) == .noDeal)
        #expect(NamedAccountProgress.noDeal.key == "no_deal")
        #expect(NamedAccountProgress.noDeal.deal == nil)
    }

    @Test func anOpenDealGivesItsStageAndWhatWaitsOnWhom() throws {
        let deal = try Self.opened(1, on: 10)
        let p = Self.progress([deal], now: Fixture.day(11))
        guard case .open(let state) = p else {
            Issue.record("expected open, got \(p)")
            return
        }
        #expect(p.key == "open")
        #expect(state.dealID == deal.id)
        #expect(state.stageName == Fixture.playbook.stages[deal.stageIndex].name)
        let expected = NextActions.of(
            deal, playbook: Fixture.playbook, companyNames: Self.names, today: LocalDate(Fixture.day(11))
        ).filter { !$0.isBlocked }
        #expect(!state.waiting.isEmpty)
        #expect(state.waiting.map(\.title) == expected.map(\.title))
        #expect(state.waiting.map(\.organizationIDs) == expected.map(\.organizationIDs))
        #expect(state.stall == nil)
    }

    @Test func anIdleDealIsStalledWithTheStallRulesExplanation() throws {
        let deal = try Self.opened(1, on: 0)
        let now = Fixture.day(45)
        #expect(DealDiagnostics.stall(of: deal, playbook: Fixture.playbook, now: now).stalled)
        let p = Self.progress([deal], now: now)
        guard case .stalled(let state) = p else {
            Issue.record("expected stalled, got \(p)")
            return
        }
        #expect(p.key == "stalled")
        #expect(state.stall?.isEmpty == false)
        #expect(
            state.stall
                == DealDiagnostics.stall(of: deal, playbook: Fixture.playbook, now: now).signals.map(\.explanation)
                .joined(separator: " "))
    }

    @Test func theNewestDealInPlayWinsOverClosedOnesAndElseTheLastClosed() throws {
        var won = try Self.opened(1, on: 0)
        won.status = .won
        won.completedAt = Fixture.day(5)
        var lost = try Self.opened(2, on: 1)
        lost.status = .lost
        lost.completedAt = Fixture.day(3)
        let open = try Self.opened(3, on: 20)
        #expect(Self.progress([won, lost, open], now: Fixture.day(21)).deal?.dealID == open.id)
        #expect(Self.progress([won, lost, open], now: Fixture.day(21)).key == "open")
        let closed = Self.progress([lost, won], now: Fixture.day(21))
        #expect(closed.key == "won")
        #expect(closed.deal?.dealID == won.id)
        #expect(closed.deal?.waiting.isEmpty == true)
        lost.completedAt = Fixture.day(8)
        #expect(Self.progress([lost, won], now: Fixture.day(21)).key == "lost")
    }

    // MARK: the demo

    @Test func theDemoNamesThreeAccountsForEveryAccountExecutiveOfBothCompanies() throws {
        let ws = DemoWorkspace.make(now: Fixture.now)
        let named = ws.namedAccounts
        let sellers = ws.people.filter { $0.role == .seller }
        #expect(sellers.count == 4)
        let accountIDs = Set(ws.jointAccounts.map(\.id))
        for org in ws.organizations {
            let theirs = named.filter { $0.organizationID == org.id }
            let people = Dictionary(
                uniqueKeysWithValues: ws.people.filter { $0.organizationID == org.id }.map { ($0.id, $0) })
            #expect(
                NamedAccounts.problem(
                    theirs.map { ($0.personID, $0.accountID) }, sellers: people, accountIDs: accountIDs, limit: 3)
                    == nil)
        }
        for s in sellers { #expect(named.filter { $0.personID == s.id }.count == 3, "\(s.name)") }
        let deals = ws.deals.map(\.deal)
        let progress = named.map { n in
            Self.progressOf(deals.filter { $0.jointAccountID == n.accountID }, ws)
        }
        #expect(progress.contains("no_deal"))
        #expect(progress.contains { $0 == "open" || $0 == "stalled" })
        let stages = Set(
            named.compactMap { n in deals.first { $0.jointAccountID == n.accountID && $0.isInPlay }?.stageIndex })
        #expect(stages.count >= 2)
    }

    static func progressOf(_ deals: [Deal], _ ws: DemoWorkspace) -> String {
        NamedAccounts.progress(of: deals, playbook: { _ in ws.playbook }, companyNames: [:], now: Fixture.now).key
    }
}
