import CoSellApp
import CoSellDomain
import CoSellMatching
import CoSellPersistence
import CoSellTestSupport
import Foundation
import Testing
import Vapor

@testable import CoSellWeb

/// The targets page (`/partnerships/{id}/targets`): search, filters and pages of 50 over more than 100
/// targets, the count explained by relation, and fits that say why they are unknown.
@Suite("Targets page")
struct PageTargetsTests {
    static let first = [
        "Alder", "Birch", "Cedar", "Dogwood", "Elm", "Fir", "Ginkgo", "Hazel", "Ivy", "Juniper", "Larch",
    ]
    static let second = [
        "Freight", "Health", "Software", "Retail", "Energy", "Bank", "Labs", "Foods", "Media", "Mills",
    ]
    static let family = [
        "Quokka", "Wombat", "Numbat", "Bilby", "Dingo", "Emu", "Koala", "Wallaby", "Possum", "Dunnart", "Quoll",
        "Echidna",
    ]

    /// Both demo companies' CRMs replaced by 111 accounts each found in both (one of them "Zürich
    /// Reinsurance"), plus 12 of Halyard's on Quarry's domains under other names (same family), mapped.
    static func seed(_ app: Application) async throws -> (partnership: Partnership, sameAccount: Int, family: Int) {
        let ps = try #require(try await app.store.partnerships(of: DemoIDs.host).first)
        let names = first.flatMap { a in second.map { "\(a) \($0)" } } + ["Zürich Reinsurance"]
        func domain(_ name: String) -> String {
            name.folding(options: [.diacriticInsensitive, .caseInsensitive], locale: nil)
                .replacingOccurrences(of: " ", with: "") + ".example"
        }
        for (k, org) in ps.organizationIDs.enumerated() {
            var rows: [[AccountField: String]] = names.enumerated().map { i, name in
                [
                    .id: "T-\(i)", .name: k == 0 ? name : name.uppercased() + " INC", .website: domain(name),
                    .country: "US", .industry: i % 2 == 0 ? "Software" : "Mining", .employees: "2000",
                    .population: k == 0 && i % 3 == 0 ? "prospect" : "customer",
                ]
            }
            if k == 1 {
                for (j, f) in family.enumerated() {
                    rows.append([
                        .id: "F-\(j)", .name: "\(f) Holdings", .website: domain(names[j * 7]), .country: "US",
                        .industry: "Software", .employees: "5000", .population: "customer",
                    ])
                }
            }
            let table = try AccountTable.from(rows: rows, fileName: "crm.csv")
            let importID = UUID()
            try await app.store.startImport(
                id: importID, organizationID: org, fileName: "crm.csv", createdBy: nil, at: Date())
            _ = try await app.store.importAccounts(table, organizationID: org, importID: importID, at: Date())
        }
        _ = try await app.store.refreshOverlaps(of: ps, at: Date())
        // The targets are the overlaps whose Halyard account is in a population Halyard shares (not prospects).
        let partner = ps.organizationIDs[1]
        let visible = try await app.store.overlaps(of: ps).filter {
            $0.accounts.first { $0.organizationID == partner }?.population != "prospect"
        }
        return (
            ps, visible.filter { $0.relation == "same_account" }.count,
            visible.filter { $0.relation == "same_family" }.count
        )
    }

    static func count(_ html: String, _ s: String) -> Int { html.components(separatedBy: s).count - 1 }

    @Test("pages of 50 with Previous and Next, the count explained, search and filters in the query")
    func pagesSearchAndFilters() async throws {
        try await withTestApp(.sqlite) { app in
            let (ps, sameAccount, family) = try await Self.seed(app)
            let total = sameAccount + family
            #expect(total > 100)
            #expect(family >= 10)
            let c = PageClient(app)
            _ = try await c.signIn(People.hostPM)
            let base = "/partnerships/\(ps.id.uuidString)/targets"
            let first = try await c.get(base)
            #expect(first.status == .ok)
            #expect(first.html.contains("id=\"targets\""))
            #expect(first.html.contains("Showing 1–50 of \(total) targets"))
            #expect(
                first.html.contains(
                    "\(total) targets: \(sameAccount) are the same company in both CRMs (the population matrix counts these), \(family) are a different company of the same group"
                ))
            #expect(Self.count(first.html, "class=\"main-action\"") == 50)
            #expect(Self.count(first.html, ">Start a deal</button>") + Self.count(first.html, ">Open deal</a>") == 50)
            #expect(first.html.contains("href=\"\(base)?offset=50\" rel=\"next\">Next</a>"))
            #expect(!first.html.contains("rel=\"prev\""))
            let second = try await c.get(base + "?offset=50")
            #expect(second.html.contains("Showing 51–100 of \(total) targets"))
            #expect(second.html.contains("href=\"\(base)\" rel=\"prev\">Previous</a>"))
            #expect(second.html.contains("href=\"\(base)?offset=100\" rel=\"next\">Next</a>"))
            let last = try await c.get(base + "?offset=100")
            #expect(last.html.contains("Showing 101–\(total) of \(total) targets"))
            #expect(!last.html.contains("rel=\"next\""))
            #expect(Self.count(last.html, "class=\"main-action\"") == total - 100)

            // Search: no case, no accent, either record; the form keeps what was asked.
            let zurich = try await c.get(base + "?q=ZURICH&population=&fit=")
            #expect(zurich.html.contains("Zürich Reinsurance"))
            #expect(zurich.html.contains("Showing 1–1 of 1 target that matches (\(total) in all)"))
            #expect(zurich.html.contains("value=\"ZURICH\""))
            let quokka = try await c.get(base + "?q=quokka")  // only Halyard's record has that name
            #expect(quokka.html.contains("Quokka Holdings"))
            #expect(quokka.html.contains("Showing 1–1 of 1 target that matches"))

            // Filters: the relation, with its badge on every row, and paging links that keep the filter.
            let groups = try await c.get(base + "?relation=same_family")
            #expect(groups.html.contains("Showing 1–\(family) of \(family) targets that match"))
            #expect(Self.count(groups.html, ">same group</span>") == family)
            #expect(!groups.html.contains(">same company</span>"))
            #expect(groups.html.contains("<option value=\"same_family\" selected>"))
            let accounts = try await c.get(base + "?relation=same_account&population=customer")
            #expect(!accounts.html.contains(">same group</span>"))
            #expect(!accounts.html.contains("<small class=\"muted\">prospect</small>"))
            let next = try #require(accounts.html.range(of: "rel=\"next\""))
            #expect(
                accounts.html[..<next.lowerBound].hasSuffix(
                    "?population=customer&amp;relation=same_account&amp;offset=50\" "))
            let prospects = try await c.get(base + "?population=prospect&play=partner_opens_door")
            #expect(prospects.html.contains("Halyard Security opens the door</td>"))
            #expect(!prospects.html.contains("Showing 1–0"))
            let rows = Self.count(prospects.html, "class=\"main-action\"")
            #expect(rows > 0)
            #expect(Self.count(prospects.html, "<small class=\"muted\">prospect</small>") == rows)

            // A value the page does not know is refused, naming the parameter.
            let bogus = try await c.get(base + "?fit=great")
            #expect(bogus.status == .unprocessableEntity)
            #expect(bogus.html.contains("The fit filter &quot;great&quot; is not one of: both_strong"))
            let negative = try await c.get(base + "?offset=-5")
            #expect(negative.status == .unprocessableEntity)
            #expect(negative.html.contains("The offset"))
            #expect(try await c.get(base + "?relation=cousin").status == .unprocessableEntity)

            // A deal starts from a row of the second page.
            let action = try #require(
                second.html.range(of: #"/partnerships/[0-9A-F-]+/targets/[0-9A-F-]+/deal"#, options: .regularExpression)
            )
            let started = try await c.post(String(second.html[action]))
            #expect(started.status == .seeOther)
            #expect(started.location?.hasPrefix("/deals/") == true)
        }
    }

    @Test("the partnership page shows the best 10, the count explained and a link to all of them")
    func partnershipPageTopTen() async throws {
        try await withTestApp(.sqlite) { app in
            let (ps, sameAccount, family) = try await Self.seed(app)
            let c = PageClient(app)
            _ = try await c.signIn(People.hostPM)
            let page = try await c.get("/partnerships/\(ps.id.uuidString)")
            #expect(page.status == .ok)
            #expect(page.html.contains("id=\"targets\""))
            #expect(Self.count(page.html, "class=\"main-action\"") == 10)
            #expect(
                page.html.contains(
                    "href=\"/partnerships/\(ps.id.uuidString)/targets\" id=\"all-targets\">All \(sameAccount + family) targets — search and filter</a>"
                ))
            #expect(page.html.contains("\(sameAccount) are the same company in both CRMs"))
        }
    }

    @Test("without a profile, the fit says so, naming the company, and the page links to the profile settings")
    func fitWithoutProfile() async throws {
        try await withTestApp(.sqlite) { app in
            let (ps, _, _) = try await Self.seed(app)
            try await app.store.saveSettings(OrganizationSettings(), of: DemoIDs.host, at: Date())
            let c = PageClient(app)
            _ = try await c.signIn(People.hostPM)
            let mine = try await c.get("/partnerships/\(ps.id.uuidString)/targets")
            #expect(mine.html.contains(">no profile yet</td>"))
            #expect(!mine.html.contains(">unknown</td>"))
            #expect(mine.html.contains("Quarry Data has no ideal customer profile yet"))
            #expect(mine.html.contains("<a href=\"/settings/profile\">Set Quarry Data&#39;s profile</a>"))
            let unknown = try await c.get("/partnerships/\(ps.id.uuidString)/targets?fit=unknown")
            #expect(unknown.html.contains("Showing 1–50 of"))
            let partnership = try await c.get("/partnerships/\(ps.id.uuidString)")
            #expect(partnership.html.contains(">no profile yet</td>"))
            #expect(partnership.html.contains("<a href=\"/settings/profile\">Set Quarry Data&#39;s profile</a>"))
            // Halyard Security reads Quarry Data's side by its name.
            let other = PageClient(app)
            _ = try await other.signIn(People.partnerPM)
            let theirs = try await other.get("/partnerships/\(ps.id.uuidString)/targets")
            #expect(theirs.html.contains(">Quarry Data has no profile yet</td>"))
            #expect(theirs.html.contains("Quarry Data has no ideal customer profile yet: its fit is unknown"))
            // Halyard Security has its profile: no link to set one (the header links to the page for everyone).
            #expect(!theirs.html.contains("&#39;s profile</a>"))
        }
    }

    @Test(
        "the query a link writes is the query the page reads; a blank is no filter; an unknown value names its parameter"
    )
    func queryRoundTrip() throws {
        let q = TargetQuery(
            q: "Zürich & co", population: .prospect, partnerPopulation: .customer, play: .partner_opens_door,
            fit: .both_fit, relation: .same_family, offset: 50)
        let pairs = Dictionary(
            uniqueKeysWithValues: q.queryString.split(separator: "&").map { part -> (String, String) in
                let kv = part.split(separator: "=", maxSplits: 1)
                return (String(kv[0]), String(kv[1]).removingPercentEncoding ?? "")
            })
        #expect(pairs.count == 7)
        #expect(try TargetQuery.parse { pairs[$0] } == q)
        #expect(try TargetQuery.parse { ["q": "  ", "fit": "", "offset": "0"][$0] } == TargetQuery())
        #expect(TargetQuery().queryString.isEmpty)
        for (name, value) in [
            ("population", "partner"), ("partner_population", "x"), ("play", "cold_call"), ("fit", "great"),
            ("relation", "cousin"), ("offset", "-1"), ("offset", "ten"), ("q", String(repeating: "a", count: 201)),
        ] {
            do {
                _ = try TargetQuery.parse { $0 == name ? value : nil }
                Issue.record("\(name)=\(value) was accepted")
            } catch let p as Problem {
                #expect(p.field == name)
                #expect(p.status == 422)
            }
        }
    }

    @Test("a matrix count links to its accounts when the other company shares them, and the targets page lists as many")
    func matrixCellsLink() async throws {
        try await withTestApp(.sqlite) { app in
            let c = PageClient(app)
            _ = try await c.signIn(People.hostPM)
            let list = try await c.get("/partnerships")
            let id = try #require(
                list.html.range(of: #"/partnerships/[0-9A-F-]{36}""#, options: .regularExpression).map {
                    String(list.html[$0].dropFirst("/partnerships/".count).dropLast())
                })
            let page = try await c.get("/partnerships/\(id)")
            // Halyard Security shares its prospects as counts only: that column stays numbers.
            #expect(!page.html.contains("partner_population=prospect"))
            let pattern =
                #"<a href="(/partnerships/[^"]+/targets\?population=[a-z_]+&amp;partner_population=[a-z_]+&amp;relation=same_account)">([0-9]+)</a>"#
            let regex = try Regex(pattern)
            let cells = page.html.matches(of: regex).map { m in
                (
                    String(m.output[1].substring ?? "").replacingOccurrences(of: "&amp;", with: "&"),
                    Int(m.output[2].substring ?? "") ?? -1
                )
            }
            #expect(!cells.isEmpty)
            for (href, count) in cells {
                let targets = try await c.get(href)
                #expect(
                    targets.html.contains("of \(count) \(count == 1 ? "target that matches" : "targets that match")"),
                    "\(href) lists another number than \(count)")
            }
            // Each target says how the mapping found it.
            let all = try await c.get("/partnerships/\(id)/targets")
            #expect(all.html.contains("same web domain and name (score 1.00)"))
        }
    }

    @Test("each way the mapping finds a pair reads as words, a pair found through a company's other records too")
    func matchedByInWords() {
        var t = PartnershipModel.Target(
            overlapID: UUID(), account: "Hoechst AG", partnersAccount: "Hoechst Aktiengesellchaft",
            yourPopulation: "prospect", partnerPopulation: "customer", yourFit: "", partnerFit: "", play: "",
            doorOpener: "", hasJointAccount: false, openDealID: nil)
        let words: [(String, String)] = [
            ("domain+name", "same web domain and name (score 0.93)"),
            ("domain", "same web domain (score 0.93)"),
            ("name", "same name, no shared domain (score 0.93)"),
            ("group", "not compared directly: linked through the company’s other records (score 0.93)"),
        ]
        for (method, expected) in words {
            t.method = method
            t.score = 0.93
            #expect(TargetViews.matchedBy(t) == expected)
        }
        // A name written another way is not called the same name.
        t.method = "name"
        t.partnersAccount = "Hoechst Aktiengesellschaft"
        #expect(TargetViews.matchedBy(t) == "same name, no shared domain (score 0.93)")
        t.partnersAccount = "Hoechst Celanese Corporation"
        #expect(TargetViews.matchedBy(t) == "names written alike, no shared domain (score 0.93)")
        // One list's letters garbled by a spreadsheet: the same name, and the page says why it reads otherwise.
        t.account = "Max-Planck-Gesellschaft zur Förderung der Wissenschaften e.V."
        t.partnersAccount = "Max-Planck-Gesellschaft zur FÃ¶rderung der Wissenschaften e.V."
        #expect(
            TargetViews.matchedBy(t)
                == "same name once letters garbled by an export are read right, no shared domain (score 0.93)")
        t.partnersAccount = "Max-Planck-Gesellschaft zur Förderung der Wissenschaften e.V."
        #expect(TargetViews.matchedBy(t) == "same name, no shared domain (score 0.93)")
        // One name is the other with a code or a department after it: the words more are named.
        t.account = "The Secretary of State for Defence in Her Majesty's Government of the United Kingdom"
        t.partnersAccount =
            "The Secretary of State for Defence in Her Majesty's Government of the United Kingdom CNT GBX COD 07"
        #expect(
            TargetViews.matchedBy(t)
                == "the same name with words more at the end (“cnt gbx cod 07”), no shared domain (score 0.93)")
        swap(&t.account, &t.partnersAccount)
        #expect(
            TargetViews.matchedBy(t)
                == "the same name with words more at the end (“cnt gbx cod 07”), no shared domain (score 0.93)")
        // A family on the names alone: one names a country, and the page says which.
        t.relation = OverlapRelation.same_family.rawValue
        t.account = "American Motors Corporation"
        t.partnersAccount = "American Motors (Canada) Inc."
        #expect(
            TargetViews.matchedBy(t)
                == "one name names “Canada” and the other does not, both with a legal form, no shared domain: "
                + "that country’s company of the group (score 0.93)")
        // The same through the company's other records: not said to share a domain.
        t.method = "group"
        #expect(
            TargetViews.matchedBy(t)
                == "one name names “Canada” and the other does not, both with a legal form, linked through the "
                + "company’s other records: that country’s company of the group (score 0.93)")
        t.method = "domain"
        t.partnersAccount = "American Motors Robotics Inc."
        #expect(TargetViews.matchedBy(t).hasPrefix("same web domain, names that differ in “robotics” on one side only"))
    }
}
