import CoSellApp
import CoSellDomain
import CoSellTestSupport
import Foundation
import Testing
import Vapor

@testable import CoSellPersistence
@testable import CoSellWeb

/// The named accounts page and the top of a seller's home page.
@Suite("Pages: named accounts per account executive")
struct PageNamedAccountsTests {
    static func demo(_ app: Application) async throws -> (Partnership, Person, [JointAccount]) {
        let ps = try #require(try await app.store.partnerships(of: DemoIDs.host).first)
        let priya = try #require(
            try await app.store.people(inOrganizations: [DemoIDs.host]).first { $0.name == "Priya Natarajan" })
        let accounts = try await app.store.jointAccounts(of: ps.id, limit: 200, offset: 0).items
        return (ps, priya, accounts)
    }

    static func form(_ accounts: [JointAccount]) -> [String: String] {
        Dictionary(uniqueKeysWithValues: accounts.map { ("account_\($0.id.uuidString)", "on") })
    }

    @Test(
        "a partner manager sees both companies' tables and names three accounts; a fourth is refused",
        arguments: TestDatabase.all)
    func partnerManagerAssigns(_ db: TestDatabase) async throws {
        try await withTestApp(db) { app in
            let (ps, priya, accounts) = try await Self.demo(app)
            let c = PageClient(app)
            _ = try await c.signIn(People.hostPM)
            let page = try await c.get(SiteRoute.namedAccounts(ps.id).href)
            #expect(page.status == .ok)
            #expect(page.html.contains("Quarry Data&#39;s account executives"))
            #expect(page.html.contains("Halyard Security"))
            #expect(page.html.contains("id=\"na-yours\""))
            #expect(page.html.contains("id=\"na-theirs\""))
            #expect(page.html.contains("Aisha Bello"))
            #expect(page.html.contains("Choose Priya Natarajan"))
            #expect(page.html.contains("Choose Liam O"))
            #expect(PageSmallScreenTests.tableProblems(page.html, page: "named accounts").problems.isEmpty)
            // The partnership page links to it.
            #expect(
                try await c.get(SiteRoute.partnership(ps.id).href).html.contains(SiteRoute.namedAccounts(ps.id).href))

            let three = Array(accounts.suffix(3))
            let saved = try await c.post(
                SiteRoute.namedAccountsOfPerson(ps.id, person: priya.id).href, Self.form(three))
            #expect(saved.status == .seeOther)
            #expect(saved.location?.contains("notice=") == true)
            let stored = try await app.store.namedAccounts(ofPerson: priya.id)
            #expect(Set(stored.map(\.accountID)) == Set(three.map(\.id)))

            _ = try await c.get(SiteRoute.namedAccounts(ps.id).href)
            let four = Array(accounts.suffix(4))
            let refused = try await c.post(
                SiteRoute.namedAccountsOfPerson(ps.id, person: priya.id).href, Self.form(four))
            #expect(refused.status == .unprocessableEntity)
            #expect(
                refused.html.contains(
                    "at most 3 named accounts per account executive in this partnership; Priya Natarajan has 4"))
            #expect(refused.html.contains("Nothing was saved"))
            #expect(Set(try await app.store.namedAccounts(ofPerson: priya.id).map(\.accountID)) == Set(three.map(\.id)))
        }
    }

    @Test("a seller's home page starts with their named accounts", arguments: TestDatabase.all)
    func sellerHome(_ db: TestDatabase) async throws {
        try await withTestApp(db) { app in
            let (_, priya, accounts) = try await Self.demo(app)
            let names = try await app.store.namedAccounts(ofPerson: priya.id).compactMap { n in
                accounts.first { $0.id == n.accountID }?.name
            }
            #expect(names.count == 3)
            let c = PageClient(app)
            _ = try await c.signIn(People.hostSeller)
            let home = try await c.get("/")
            #expect(home.status == .ok)
            let top = try #require(home.html.range(of: "Your named accounts"))
            let waiting = try #require(home.html.range(of: "Waiting on you"))
            #expect(top.lowerBound < waiting.lowerBound)
            for name in names {
                let escaped = name.replacingOccurrences(of: "&", with: "&amp;")
                let at = try #require(home.html.range(of: escaped), "\(name)")
                #expect(at.lowerBound < waiting.lowerBound, "\(name)")
            }
            #expect(home.html.contains("no deal yet"))
            // A partner manager's home has no such section.
            let pm = PageClient(app)
            _ = try await pm.signIn(People.hostPM)
            #expect(!(try await pm.get("/")).html.contains("Your named accounts"))
        }
    }

    @Test("a viewer reads without forms; a partner manager changes the limit", arguments: TestDatabase.all)
    func viewerAndLimit(_ db: TestDatabase) async throws {
        try await withTestApp(db) { app in
            let (ps, priya, accounts) = try await Self.demo(app)
            let viewer = PageClient(app)
            _ = try await viewer.signIn(People.hostViewer)
            let page = try await viewer.get(SiteRoute.namedAccounts(ps.id).href)
            #expect(page.status == .ok)
            #expect(!page.html.contains("Choose Priya"))
            let refused = try await viewer.post(
                SiteRoute.namedAccountsOfPerson(ps.id, person: priya.id).href, Self.form([accounts[0]]))
            #expect(refused.status == .forbidden)
            #expect(try await app.store.namedAccounts(ofPerson: priya.id).count == 3)

            let c = PageClient(app)
            _ = try await c.signIn(People.hostPM)
            _ = try await c.get(SiteRoute.namedAccounts(ps.id).href)
            let bad = try await c.post(SiteRoute.namedAccountsLimit(ps.id).href, ["named_accounts_per_seller": "11"])
            #expect(bad.status == .unprocessableEntity)
            _ = try await c.get(SiteRoute.namedAccounts(ps.id).href)
            let ok = try await c.post(SiteRoute.namedAccountsLimit(ps.id).href, ["named_accounts_per_seller": "5"])
            #expect(ok.status == .seeOther)
            #expect(try await app.store.partnership(ps.id)?.plan?.namedAccountsPerSeller == 5)
        }
    }
}
