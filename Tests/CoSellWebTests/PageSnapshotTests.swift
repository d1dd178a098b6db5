import CoSellDomain
import CoSellTestSupport
import Foundation
import Testing

@testable import CoSellPersistence
@testable import CoSellWeb

/// Every page rendered from a fixed view model and compared with the HTML kept in `Snapshots/`.
/// Record again after an intended change with `COSELL_RECORD_SNAPSHOTS=1 swift test --filter PageSnapshot`
/// and review the diff.
@Suite("Page snapshots")
struct PageSnapshotTests {
    static let now = Date(timeIntervalSince1970: 1_795_000_000)  // 2026-11-18
    static let ws = DemoWorkspace.make(now: now)
    static let chrome = PageChrome(
        title: "Page", section: .deals, personName: "Daniel Reyes", organizationName: "Quarry Data", isAdmin: false,
        csrf: "csrf-fixed")

    static func check(_ name: String, _ node: Node, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let html = node.render()
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Snapshots")
        let file = folder.appendingPathComponent(name + ".html")
        // One element per line keeps the stored snapshots readable and their diffs small.
        let readable = html.replacingOccurrences(of: "><", with: ">\n<") + "\n"
        if ProcessInfo.processInfo.environment["COSELL_RECORD_SNAPSHOTS"] == "1" {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try readable.write(to: file, atomically: true, encoding: .utf8)
            Issue.record(
                "Recorded \(file.lastPathComponent); run again without COSELL_RECORD_SNAPSHOTS.",
                sourceLocation: sourceLocation)
            return
        }
        guard let stored = try? String(contentsOf: file, encoding: .utf8) else {
            Issue.record(
                "No snapshot \(file.path); record it with COSELL_RECORD_SNAPSHOTS=1.", sourceLocation: sourceLocation)
            return
        }
        if stored != readable {
            let a = stored.split(separator: "\n", omittingEmptySubsequences: false)
            let b = readable.split(separator: "\n", omittingEmptySubsequences: false)
            let i = Array(zip(a, b)).firstIndex { $0.0 != $0.1 } ?? min(a.count, b.count)
            Issue.record(
                "\(name) differs at line \(i + 1):\n  stored:   \(i < a.count ? String(a[i]) : "<end>")\n  rendered: \(i < b.count ? String(b[i]) : "<end>")",
                sourceLocation: sourceLocation)
        }
    }

    static func deal(_ title: String) -> Deal { ws.deals.first { $0.deal.title.hasPrefix(title) }!.deal }

    static func dealModel(
        _ d: Deal, form: DealPageModel.FormState? = nil, lessons: [DealPageModel.LessonItem] = []
    )
        -> DealPageModel
    {
        // The companies as the deal has them: Halyard Security hosts some of the demo's deals.
        let names = SidePair(
            host: ws.organizations.first { $0.id == d.hostOrganizationID }?.name,
            partner: ws.organizations.first { $0.id == d.partnerOrganizationID }?.name)
        // Read by Quarry Data's partner manager (the forms of the host's managers are drawn).
        var m = DealPageModel(
            chrome: chrome, deal: d, playbook: ws.playbook, partnershipName: ws.partnership.name,
            companies: names, viewerSide: d.side(of: ws.organizations[0].id) ?? .host, canWrite: true,
            isAdmin: false, people: ws.people.sorted { $0.name < $1.name },
            gates: ws.playbook.stages.map {
                Gate.evaluate(d, stage: $0, in: ws.playbook, names: names)
            },
            diagnosis: DealDiagnostics.diagnose(d, playbook: ws.playbook, now: now),
            timeline: [
                DealEvent(
                    id: UUID(uuidString: "00000000-0000-4000-8000-0000000000e1")!, dealID: d.id, sequence: 1,
                    at: d.createdAt,
                    actorID: d.createdBy, actorName: "Daniel Reyes", kind: "deal_opened",
                    summary: "Daniel Reyes opened the deal.",
                    before: nil, after: nil)
            ], lessons: lessons, form: form, localeIdentifier: "en-US", today: LocalDate(now))
        m.viewerRole = .partnerManager
        return m
    }

    @Test("the deal page at each stage, with a refused advance, a form error and lessons")
    func dealPages() throws {
        let stages = Dictionary(grouping: Self.ws.deals.map(\.deal), by: \.stageIndex)
        for i in 0..<5 {
            let d = try #require(stages[i]?.sorted { $0.title < $1.title }.first)
            try Self.check("deal-stage-\(i + 1)", DealPageView.render(Self.dealModel(d)))
        }
        let first = try #require(stages[0]?.first)
        try Self.check(
            "deal-advance-refused",
            DealPageView.render(
                Self.dealModel(
                    first,
                    form: .init(
                        action: "advance", values: [:], errors: [:],
                        message: "The exit criterion of Target account selection is not met.",
                        unmet: ["Nobody at Halyard Security has committed to working the account."]))))
        let second = try #require(stages[1]?.first)
        try Self.check(
            "deal-form-error",
            DealPageView.render(
                Self.dealModel(
                    second,
                    form: .init(
                        action: "first-meeting",
                        values: ["attendee_name_1": "Dana Cole", "attendee_title_1": "CTO"],
                        errors: ["attendee_party_1": "Choose the company Dana Cole comes from, or the customer."],
                        message: "Fix the marked field below."),
                    lessons: [
                        .init(
                            id: UUID(uuidString: "00000000-0000-4000-8000-0000000000f1")!,
                            text: "Name the door-opener in the first week.", fromDeal: "Copperline",
                            capturedOn: "Oct 2, 2026",
                            appliedCount: 2, appliedHere: false)
                    ])))
    }

    @Test("sign-in, home, board, partnerships, import, playbooks, audit and error pages")
    func otherPages() throws {
        try Self.check(
            "sign-in",
            SignInView.render(
                SignInModel(
                    email: "daniel@quarry.example", next: "/deals", error: "The e-mail or the password is wrong.",
                    csrf: "fixed")))
        let d = Self.deal("Kestrel")
        try Self.check(
            "home",
            HomeView.render(
                HomeModel(
                    chrome: Self.chrome, firstName: "Daniel", companyName: "Quarry Data",
                    mine: .init([
                        .init(
                            dealID: d.id, dealTitle: d.title, stageName: "The door-opener move",
                            title: "Name the door-opener: which company makes the introduction, how, and who owns it",
                            company: "Quarry Data or Halyard Security", owner: "Daniel Reyes", due: "Oct 31, 2026",
                            overdue: true)
                    ]),
                    myCompany: .init(
                        [
                            .init(
                                dealID: d.id, dealTitle: d.title, stageName: "Joint discovery",
                                title: "Quarry Data: approve the account brief", company: "Quarry Data", owner: nil,
                                due: nil, overdue: false,
                                waitsFor: "Complete the brief: the need, the buying process and the stakeholders")
                        ], total: 27),
                    partnerNames: "Halyard Security",
                    partners: .init([]),
                    awaitingReview: [
                        .init(
                            dealID: d.id, title: d.title, stageName: "Close, register and review",
                            detail: "Won on Oct 2, 2026. Hold the thirty-minute review and capture a lesson.")
                    ],
                    stalled: [
                        .init(
                            dealID: d.id, title: d.title, stageName: "The door-opener move", cause: "No door-opener",
                            explanation: "No door-opener is named.")
                    ])))
        try Self.check(
            "board",
            BoardView.render(
                BoardModel(
                    chrome: Self.chrome,
                    columns: [
                        .init(
                            stageName: "Target account selection", count: 3, total: "$820,000.00",
                            cards: [
                                .init(
                                    dealID: d.id, title: d.title, account: d.accountName, amount: "€380,000.00",
                                    owners: [("Quarry Data", "Daniel Reyes"), ("Halyard Security", "no owner yet")],
                                    gateMet: 1,
                                    gateTotal: 3, stalled: true, pitfall: "No door-opener", status: nil)
                            ])
                    ],
                    partnerships: [.init(value: Self.ws.partnership.id.uuidString, label: Self.ws.partnership.name)],
                    owners: [.init(value: "00000000-0000-4000-8000-000000000003", label: "Daniel Reyes (Quarry Data)")],
                    filter: ["status": "open"])))
        try Self.check(
            "partnerships",
            PartnershipViews.list(
                PartnershipListModel(
                    chrome: Self.chrome,
                    items: [
                        .init(
                            id: Self.ws.partnership.id, name: Self.ws.partnership.name, partner: "Halyard Security",
                            status: "active", plan: "Reviews on Tuesdays; 3 segment(s).")
                    ], canImport: true, canInvite: true, mailConfigured: false)))
        try Self.check(
            "partnership",
            PartnershipViews.detail(
                PartnershipModel(
                    chrome: Self.chrome, id: Self.ws.partnership.id, name: Self.ws.partnership.name,
                    partner: "Halyard Security",
                    status: "active", segments: ["EMEA healthcare"], owners: ["Daniel Reyes for Quarry Data"],
                    cadence: "Weekly deal review on Tuesday", namedAccounts: 2,
                    sharing: [.init(population: "customer", yours: "overlapping_accounts", theirs: "counts")],
                    canEditSharing: true, matrixPopulations: ["customer", "prospect"],
                    matrix: [("customer", [2, nil]), ("prospect", [0, nil])],
                    targets: [
                        .init(
                            overlapID: UUID(uuidString: "00000000-0000-4000-8000-0000000000a1")!,
                            account: "Zephyr Freight",
                            partnersAccount: "Zephyr Freight Inc.", yourPopulation: "customer",
                            partnerPopulation: "customer",
                            yourFit: "strong", partnerFit: "partial", play: "shared_customer", doorOpener: "either",
                            hasJointAccount: false, openDealID: nil)
                    ], targetsTotal: 1_072, canStartDeals: true, active: true,
                    counts: TargetCounts(sameAccount: 914, sameFamily: 158, localeIdentifier: "en-US"),
                    profiles: ProfileState(yours: true, partners: false))))
        try Self.check(
            "targets",
            TargetViews.render(
                TargetsPageModel(
                    chrome: Self.chrome, partnershipID: Self.ws.partnership.id,
                    partnershipName: Self.ws.partnership.name,
                    partner: "Halyard Security",
                    query: TargetQuery(q: "zürich", relation: .same_family, offset: 50),
                    targets: [
                        .init(
                            overlapID: UUID(uuidString: "00000000-0000-4000-8000-0000000000a2")!,
                            account: "Zürich Reinsurance", partnersAccount: "Zurich Re Holdings",
                            yourPopulation: "prospect", partnerPopulation: "customer", yourFit: "no profile yet",
                            partnerFit: "strong", play: "partner_opens_door", doorOpener: "Halyard Security",
                            hasJointAccount: false, openDealID: nil, relation: "same_family"),
                        .init(
                            overlapID: UUID(uuidString: "00000000-0000-4000-8000-0000000000a3")!,
                            account: "Zürich Freight", partnersAccount: "ZURICH FREIGHT",
                            yourPopulation: "customer", partnerPopulation: "customer", yourFit: "no profile yet",
                            partnerFit: "none", play: "shared_customer", doorOpener: "either",
                            hasJointAccount: true,
                            openDealID: UUID(uuidString: "00000000-0000-4000-8000-0000000000d1")!,
                            relation: "same_family"),
                    ], matched: 52, offset: 50, limit: 50,
                    counts: TargetCounts(sameAccount: 914, sameFamily: 158, localeIdentifier: "en-US"),
                    profiles: ProfileState(yours: false, partners: true), canStartDeals: true, active: true)))
        try Self.check(
            "import-upload",
            ImportViews.upload(ImportUploadModel(chrome: Self.chrome, error: "Choose a CSV file to upload.")))
        try Self.check(
            "import-preview",
            ImportViews.preview(
                ImportPreviewModel(
                    chrome: Self.chrome, uploadID: UUID(uuidString: "00000000-0000-4000-8000-0000000000b1")!,
                    fileName: "accounts.csv", format: "hubspot",
                    header: ["Record ID", "Company name", "Lifecycle Stage"],
                    mapping: [
                        ("id", "Record ID"), ("name", "Company name"), ("population", "Lifecycle Stage"),
                        ("country", nil),
                    ],
                    rows: 120, skipped: 2, error: nil)))
        let job = AccountImport(
            id: UUID(uuidString: "00000000-0000-4000-8000-0000000000c1")!, organizationID: Self.ws.organizations[0].id,
            fileName: "accounts.csv", format: "hubspot", status: "succeeded", totalRows: 120, added: 100, updated: 10,
            unchanged: 8, retired: 4, skipped: 2, duplicatePairs: 1, message: nil, startedAt: Self.now,
            finishedAt: Self.now)
        try Self.check(
            "import-result", ImportViews.result(ImportResultModel(chrome: Self.chrome, job: job, percent: 100)))
        var running = job
        running.status = "running"
        try Self.check(
            "import-running", ImportViews.result(ImportResultModel(chrome: Self.chrome, job: running, percent: 40)))
        try Self.check(
            "playbooks",
            PlaybookViews.list(
                PlaybookListModel(
                    chrome: Self.chrome,
                    items: [.init(id: Self.ws.playbook.id, name: Self.ws.playbook.name, owner: "Standard", version: 1)])
            ))
        try Self.check(
            "playbook",
            PlaybookViews.show(
                PlaybookModel(
                    chrome: Self.chrome, playbook: Self.ws.playbook, owner: "Standard playbook", versions: [1],
                    canEdit: false, canCopy: true)))
        try Self.check(
            "playbook-edit",
            PlaybookViews.edit(
                PlaybookEditModel(
                    chrome: Self.chrome, playbook: Self.ws.playbook, values: ["stage_0_stall_limit_days": "0"],
                    errors: ["stage_0_stall_limit_days": "Enter a whole number of days from 1 to 365."],
                    message: "Nothing was saved: fix the marked fields.")))
        try Self.check(
            "audit",
            AuditView.render(
                AuditModel(
                    chrome: Self.chrome,
                    rows: [
                        .init(
                            at: "Nov 18, 2026 at 9:00 AM UTC", kind: "sign_in", actor: "Maya Okafor",
                            detail: "Maya Okafor signed in.", address: "127.0.0.1")
                    ],
                    total: 1, offset: 0, limit: 100)))
        try Self.check(
            "not-found", ErrorPage.render(Self.chrome, status: 404, problem: Problem.notFound("deal")))
    }

    @Test("the revenue report, its refused filter, and the exchange-rate page with a refused upload")
    func revenuePages() throws {
        let usd = Currency(code: "USD")!
        let eur = Currency(code: "EUR")!
        let halyard = UUID(uuidString: "00000000-0000-4000-8000-0000000000a2")!
        let kite = UUID(uuidString: "00000000-0000-4000-8000-0000000000a3")!
        func id(_ n: Int) -> UUID { UUID(uuidString: String(format: "00000000-0000-4000-8000-%012d", n))! }
        let report = PartnerRevenueReport(
            reportingCurrency: usd,
            rows: [
                .init(
                    partnerOrganizationID: halyard, quarter: "2026-Q2", attribution: .partnerSourced,
                    sourcedBy: .partner, deals: 2, amount: Money(minorUnits: 42_000_000, currency: usd)),
                .init(
                    partnerOrganizationID: halyard, quarter: "2026-Q2", attribution: .partnerInfluenced,
                    sourcedBy: .host, deals: 1, amount: Money(minorUnits: 9_050_000, currency: usd)),
                .init(
                    partnerOrganizationID: halyard, quarter: "2026-Q3", attribution: .partnerInfluenced,
                    sourcedBy: .host, deals: 1, amount: Money(minorUnits: 12_500_000, currency: usd)),
                .init(
                    partnerOrganizationID: kite, quarter: "2026-Q3", attribution: .partnerSourced,
                    sourcedBy: .partner, deals: 1, amount: Money(minorUnits: 7_000_000, currency: usd)),
            ], total: Money(minorUnits: 70_550_000, currency: usd),
            unconverted: [
                .init(
                    dealID: id(901), partnerOrganizationID: halyard, quarter: "2026-Q1", attribution: .partnerSourced,
                    sourcedBy: .partner, closeDate: LocalDate("2026-02-27")!,
                    amount: Money(minorUnits: 3_000_000, currency: Currency(code: "CHF")!), reason: .noRate)
            ],
            unattributed: [
                .init(
                    dealID: id(902), partnershipID: Self.ws.partnership.id, partnerOrganizationID: kite,
                    title: "Orchard renewal", quarter: "2026-Q3", closeDate: LocalDate("2026-08-14")!,
                    amount: Money(minorUnits: 5_000_000, currency: eur),
                    amountInReportingCurrency: Money(minorUnits: 5_420_000, currency: usd))
            ])
        let view = RevenueView(
            from: LocalDate("2026-01-01"), to: nil, ratesUploadedAt: Self.now, report: report,
            organizations: [.init(id: halyard, name: "Halyard Security"), .init(id: kite, name: "Kite Analytics")],
            dealTitles: [id(901): "Zurich data residency"])
        let model = RevenuePageModel(
            chrome: Self.chrome, currency: "USD", from: "2026-01-01", to: "", errors: [:],
            tableCurrencies: ["EUR", "USD"],
            report: RevenuePageController.model(view, DisplayFormat(localeIdentifier: "en-US")), isAdmin: true)
        try Self.check("revenue", RevenuePage.render(model))
        var refused = model
        refused.currency = "XYZ"
        refused.errors = ["currency": "currency must be an active ISO 4217 currency code such as EUR."]
        refused.report = nil
        try Self.check("revenue-refused", RevenuePage.render(refused))
        try Self.check(
            "exchange-rates",
            ExchangeRatesPage.render(
                ExchangeRatesPageModel(
                    chrome: Self.chrome,
                    tables: [
                        .init(
                            reportingCurrency: "USD", uploadedAt: "Nov 18, 2026 at 9:00 AM UTC", entries: 116,
                            currencies: "EUR, GBP", firstDate: "Oct 14, 2025", lastDate: "Nov 17, 2026")
                    ], canUpload: true, reportingCurrency: "EUR",
                    csv: "date,currency,rate_to_reporting\n2026-13-02,USD,0.91",
                    errors: ["csv": "Line 2: \"2026-13-02\" is not a date as YYYY-MM-DD. Nothing was changed."],
                    message: "Nothing was changed: fix the marked field.")))
    }

    @Test("the joint value proposition: published, a draft waiting on Halyard Security, a refused form")
    func valueProposition() throws {
        let quarry = UUID(uuidString: "00000000-0000-4000-8000-0000000000a1")!
        let halyard = UUID(uuidString: "00000000-0000-4000-8000-0000000000a2")!
        let daniel = UUID(uuidString: "00000000-0000-4000-8000-0000000000b1")!
        let marcus = UUID(uuidString: "00000000-0000-4000-8000-0000000000b2")!
        func sheet(_ number: Int, why: String, published: String?) -> ValuePropositionSheet {
            ValuePropositionSheet(
                number: number, segment: "Regulated banks and insurers moving analytics to the cloud",
                roles: ["Chief Data Officer", "CISO"],
                problem: "Analytics projects wait months on the security review.",
                jointSolution: "Quarry Data catalogs the data; Halyard Security classifies and monitors it.",
                proofPoints: [
                    .init(customer: "Meridian Health Partners", outcome: "Readmission model live", figure: "3 weeks"),
                    .init(customer: "Ironbridge Manufacturing", outcome: "Defect prediction", figure: "18% fewer"),
                    .init(customer: "Alder & Finch Insurance", outcome: "Pricing mart", figure: "Daily refresh"),
                ], whyTogether: why,
                contacts: [
                    .init(
                        company: "Quarry Data", name: "Daniel Reyes", title: "Director, Cloud Alliances",
                        email: "daniel.reyes@quarrydata.example"),
                    .init(company: "Halyard Security", name: "Marcus Chen", title: nil, email: nil),
                ],
                plays: [
                    .init(
                        kind: "warm introduction", company: "Halyard Security",
                        text: "Halyard introduces Quarry to the CISO.")
                ], doNotSay: ["Do not call it a bundle."], wordCount: 61,
                written: "Written by Daniel Reyes (Quarry Data) on Nov 13, 2026",
                approvals: published == nil
                    ? [
                        "Quarry Data: approved by Daniel Reyes on Dec 3, 2026",
                        "Halyard Security: waiting for a partner manager's approval",
                    ]
                    : [
                        "Quarry Data: approved by Daniel Reyes on Nov 14, 2026",
                        "Halyard Security: approved by Marcus Chen on Nov 14, 2026",
                    ], published: published)
        }
        var m = ValuePropositionModel(
            chrome: Self.chrome, id: UUID(uuidString: "00000000-0000-4000-8000-00000000000e")!,
            name: "Quarry Data × Halyard Security",
            companies: [
                .init(id: quarry, name: "Quarry Data", people: [.init(id: daniel, label: "Daniel Reyes")]),
                .init(id: halyard, name: "Halyard Security", people: [.init(id: marcus, label: "Marcus Chen")]),
            ],
            published: sheet(
                2, why: "Neither alone gets past the CISO.",
                published:
                    "Approved by Marcus Chen (Halyard Security) and Daniel Reyes (Quarry Data); published Nov 14, 2026"
            ), draft: sheet(3, why: "Together the CISO approves the platform once.", published: nil),
            latestVersion: 3, canWrite: true, canApprove: false, writers: "Daniel Reyes (Quarry Data)",
            values: ["version": "3", "segment": "Regional banks", "proof_points_1_figure": " "])
        m.error = ("proof_points[1].figure", "Proof point 2's figure is empty: write it.")
        try Self.check("value-proposition", ValuePropositionPage.view(m))
        let none = ValuePropositionModel(
            chrome: Self.chrome, id: m.id, name: m.name, companies: m.companies, published: nil, draft: nil,
            latestVersion: 0, canWrite: false, canApprove: false,
            writers: "Daniel Reyes (Quarry Data) or Marcus Chen (Halyard Security)", values: [:])
        try Self.check("value-proposition-none", ValuePropositionPage.view(none))
    }

    @Test("text is escaped, attributes too")
    func escaping() {
        let n = el("p", Attr("title", "a\"b<c")) { "<script>alert('x')</script> & more" }
        #expect(
            n.render()
                == "<p title=\"a&quot;b&lt;c\">&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; more</p>")
    }

    @Test("money and dates follow the reader's locale, in the deal's currency")
    func locale() {
        let eur = Money(minorUnits: 38_000_000, currency: Currency(code: "EUR")!)
        #expect(DisplayFormat(localeIdentifier: "en-US").format(eur) == "€380,000.00")
        let de = DisplayFormat(localeIdentifier: "de-DE").format(eur)
        #expect(de.hasPrefix("380.000,00") && de.hasSuffix("€"))
        #expect(DisplayFormat(localeIdentifier: "en-US").format(LocalDate("2026-11-18")!) == "Nov 18, 2026")
        #expect(DisplayFormat(localeIdentifier: "de-DE").format(LocalDate("2026-11-18")!) == "18.11.2026")
        #expect(DisplayFormat.localeIdentifier(acceptLanguage: "fr-CH, fr;q=0.9, en;q=0.8") == "fr-CH")
        #expect(DisplayFormat.localeIdentifier(acceptLanguage: "*") == "en-US")
        #expect(DisplayFormat.localeIdentifier(acceptLanguage: "<script>") == "en-US")
    }
}
