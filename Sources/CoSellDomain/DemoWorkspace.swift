import Foundation

/// The workspace `cosell serve` loads on first start: two B2B SaaS companies, a user of every role in
/// each, their partnership and co-sell plan, twenty joint accounts, the standard playbook, and joint
/// deals in every stage, among them one stalled by each of the specification's five pitfalls.
///
/// Every deal is built through `DealEngine.open` and `DealEngine.apply` with back-dated clocks, so its
/// timeline, stage entry dates and stall signals are the engine's own. Pure and deterministic: the same
/// `now` gives the same workspace, ids included.
public struct DemoWorkspace: Sendable, Equatable {
    public var organizations: [Organization]
    public var people: [Person]
    public var partnership: Partnership
    public var jointAccounts: [JointAccount]
    public var playbook: Playbook
    public var deals: [DemoDeal]
    /// What each company recorded about how its account executives are credited for co-sell deals.
    public var compensationPlans: [CompensationPlan]
    /// The partnership's discovery calls (one, confirmed viable by both partner managers).
    public var discoveryCalls: [DiscoveryCall] = []
    /// The weekly reviews recorded: last week's and the one before, with decisions done, open and late.
    public var reviewRecords: [ReviewRecord] = []
    /// The partnership's one-page joint value proposition, published (approved by both partner managers).
    public var valuePropositions: [ValueProposition] = []

    public init(
        organizations: [Organization], people: [Person], partnership: Partnership,
        jointAccounts: [JointAccount], playbook: Playbook, deals: [DemoDeal],
        compensationPlans: [CompensationPlan] = []
    ) {
        self.organizations = organizations
        self.people = people
        self.partnership = partnership
        self.jointAccounts = jointAccounts
        self.playbook = playbook
        self.deals = deals
        self.compensationPlans = compensationPlans
    }

    /// Builds the demo as it stands at `now`: every date in it lies before `now`, except meetings and
    /// due dates still to come.
    public static func make(now: Date) -> DemoWorkspace {
        DemoFactory(now: now).build()
    }
}

/// A demo deal with every change that produced it, oldest first.
public struct DemoDeal: Sendable, Equatable {
    public var deal: Deal
    public var changes: [DemoChange]
    /// The pitfall this deal was built to show, when it was built to show one.
    public var illustrates: Pitfall?
    /// What the deal shows, in a sentence, for the demo's guide.
    public var story: String

    public init(deal: Deal, changes: [DemoChange], illustrates: Pitfall? = nil, story: String = "") {
        self.deal = deal
        self.changes = changes
        self.illustrates = illustrates
        self.story = story
    }
}

/// One timeline entry of a demo deal: the change, when it happened and who made it.
public struct DemoChange: Sendable, Equatable {
    public var change: DealChange
    public var at: Date
    public var actor: Actor

    public init(change: DealChange, at: Date, actor: Actor) {
        self.change = change
        self.at = at
        self.actor = actor
    }
}

// MARK: - Building the demo

/// Hands out `00000000-0000-4000-8000-000000000001`, `...002`, ... in order: fixed ids for a fixed script.
private final class DemoIDs: @unchecked Sendable {
    private let lock = NSLock()
    private var counter = 0

    func next() -> UUID {
        lock.lock()
        defer { lock.unlock() }
        counter += 1
        let hex = String(counter, radix: 16)
        let padded = String(repeating: "0", count: max(0, 12 - hex.count)) + hex
        return UUID(uuidString: "00000000-0000-4000-8000-" + padded)!
    }
}

/// The people of one company, by role.
private struct Team {
    var organization: Organization
    var admin: Person
    var partnerManager: Person
    var sellers: [Person]
    var viewer: Person

    var everyone: [Person] { [admin, partnerManager] + sellers + [viewer] }
}

/// A person at the customer.
private struct Contact {
    var name: String
    var title: String
    var email: String
}

/// What the demo knows about the customer side of one deal.
private struct Customer {
    /// The economic buyer, who confirms the path to a decision.
    var buyer: Contact
    /// The champion, who attends the first conversation and owns the customer's milestones.
    var champion: Contact
    var need: String
    var timeline: String
}

/// The calendar of the demo: whole days before or after the UTC day of `now`.
private struct DemoClock {
    let today: Date

    init(now: Date) {
        var utc = Calendar(identifier: .gregorian)
        utc.timeZone = TimeZone(identifier: "UTC")!
        today = utc.startOfDay(for: now)
    }

    /// `day` days from today (negative: in the past) at `hour:minute` UTC.
    func at(_ day: Int, _ hour: Int, _ minute: Int = 0) -> Date {
        today.addingTimeInterval(Double(day) * 86_400 + Double(hour) * 3_600 + Double(minute) * 60)
    }

    func date(_ day: Int) -> LocalDate { LocalDate(at(day, 12)) }
}

private struct DemoFactory {
    let now: Date
    let clock: DemoClock
    let ids = DemoIDs()

    init(now: Date) {
        self.now = now
        self.clock = DemoClock(now: now)
    }

    func build() -> DemoWorkspace {
        let founded = clock.at(-240, 9)
        let quarry = Organization(
            id: ids.next(), name: "Quarry Data", domain: "quarrydata.example", createdAt: founded)
        let halyard = Organization(
            id: ids.next(), name: "Halyard Security", domain: "halyardsecurity.example",
            createdAt: founded.addingTimeInterval(3_600))

        func person(_ org: Organization, _ name: String, _ role: Role, _ title: String) -> Person {
            let local = name.lowercased().replacingOccurrences(of: "'", with: "")
                .split(separator: " ").joined(separator: ".")
            return Person(
                id: ids.next(), organizationID: org.id, name: name,
                email: "\(local)@\(org.domain ?? "example.com")", role: role, title: title)
        }
        let q = Team(
            organization: quarry,
            admin: person(quarry, "Maya Okafor", .admin, "VP Revenue Operations"),
            partnerManager: person(quarry, "Daniel Reyes", .partnerManager, "Director, Cloud Alliances"),
            sellers: [
                person(quarry, "Priya Natarajan", .seller, "Enterprise Account Executive"),
                person(quarry, "Liam O'Connor", .seller, "Strategic Account Executive, EMEA"),
            ],
            viewer: person(quarry, "Grace Kim", .viewer, "Sales Finance Analyst"))
        let h = Team(
            organization: halyard,
            admin: person(halyard, "Sofia Lindqvist", .admin, "Chief Revenue Officer"),
            partnerManager: person(halyard, "Marcus Chen", .partnerManager, "Senior Partner Manager"),
            sellers: [
                person(halyard, "Aisha Bello", .seller, "Regional Sales Director, Financial Services"),
                person(halyard, "Jonas Weber", .seller, "Account Executive, DACH & Nordics"),
            ],
            viewer: person(halyard, "Elena Petrova", .viewer, "Channel Marketing Manager"))
        let people = q.everyone + h.everyone

        let playbook = Playbook.standard(id: ids.next(), createdAt: clock.at(-200, 10))
        let partnershipID = ids.next()
        let accounts = makeAccounts(
            partnershipID: partnershipID, quarry: quarry.id, halyard: halyard.id)
        func account(_ name: String) -> JointAccount { accounts.first { $0.name == name }! }

        let plan = CoSellPlan(
            segments: [
                "North American financial services and insurance, 1,000-25,000 employees",
                "EMEA healthcare and life sciences, 500+ employees",
                "Regulated enterprises moving analytics to AWS or Azure",
            ],
            namedAccountIDs: ["Meridian Health Partners", "Copperline Bank", "Northgate Retail Group"]
                .map { account($0).id },
            owners: [
                PlanOwner(organizationID: quarry.id, personID: q.partnerManager.id),
                PlanOwner(organizationID: halyard.id, personID: h.partnerManager.id),
            ],
            reviewWeekday: .tuesday,
            // Registrations hold for 60 days here, so the demo shows one that lapsed.
            registrationValidityDays: 60)
        let partnership = Partnership(
            id: partnershipID, name: "Quarry Data × Halyard Security",
            organizationIDs: [quarry.id, halyard.id], status: .active, plan: plan,
            createdAt: clock.at(-180, 15))

        let cast = Cast(
            playbook: playbook, people: Dictionary(uniqueKeysWithValues: people.map { ($0.id, $0) }),
            partnership: partnership, ids: ids, clock: clock, quarry: q, halyard: h)
        let deals = DemoDeals(cast: cast, account: account).all()

        // Quarry Data pays for both kinds of co-sell deal; Halyard Security for sourced deals only, so
        // the adoption report flags its account executives' influenced deals that earned them nothing.
        let compensation = [
            CompensationPlan(
                partnershipID: partnershipID, organizationID: quarry.id, credits: .both,
                note: "Co-sell deals retire quota at 100%, sourced or influenced.", recordedBy: q.partnerManager.id,
                recordedAt: clock.at(-170, 11)),
            CompensationPlan(
                partnershipID: partnershipID, organizationID: halyard.id, credits: .sourced,
                note: "A 2% bonus on partner-sourced bookings; influenced deals earn the usual commission.",
                recordedBy: h.partnerManager.id, recordedAt: clock.at(-165, 16)),
        ]
        var ws = DemoWorkspace(
            organizations: [quarry, halyard], people: people, partnership: partnership,
            jointAccounts: accounts, playbook: playbook, deals: deals, compensationPlans: compensation)
        // Made after the deals, so that their fixed ids stay as they were.
        ws.discoveryCalls = [discoveryCall(partnership, q, h, account)]
        ws.reviewRecords = reviewRecords(partnership, q, h)
        ws.valuePropositions = [ws.demoValueProposition(today: clock.today)]
        return ws
    }

    /// The two weekly reviews before this week's: two weeks ago one decision stayed open (carried
    /// into this week's review, late); last week one was done and two are open, one of them late.
    /// Their owners see them as next actions.
    func reviewRecords(_ partnership: Partnership, _ q: Team, _ h: Team) -> [ReviewRecord] {
        let thisWeek = ISOWeek(containing: now)
        let last = thisWeek.previous
        let before = last.previous
        func decision(
            _ text: String, _ owner: Person, due: LocalDate, status: ReviewDecision.Status = .open
        )
            -> ReviewDecision
        {
            ReviewDecision(
                id: ids.next(), text: text, ownerID: owner.id, ownerName: owner.name, dueOn: due, status: status)
        }
        let tuesday = { (w: ISOWeek) in w.start.addingTimeInterval(86_400 + 15 * 3_600) }
        let earlier = ReviewRecord(
            partnershipID: partnership.id, week: before,
            attendees: [q.partnerManager.name, h.partnerManager.name, q.sellers[0].name, h.sellers[0].name],
            decisions: [
                decision(
                    "Send Halyard Security the list of Quarry Data's healthcare references", q.partnerManager,
                    due: LocalDate(before.end.addingTimeInterval(2 * 86_400)))
            ], recordedBy: q.partnerManager.id, recordedByName: q.partnerManager.name, recordedAt: tuesday(before),
            updatedAt: tuesday(before))
        var done = decision(
            "Ask Copperline Bank's CISO for a joint workshop date", h.sellers[0],
            due: LocalDate(last.end.addingTimeInterval(-2 * 86_400)), status: .done)
        done.checkedAt = tuesday(last).addingTimeInterval(2 * 86_400)
        done.checkedByID = h.partnerManager.id
        done.checkedByName = h.partnerManager.name
        done.checkedInWeek = last
        let lastRecord = ReviewRecord(
            partnershipID: partnership.id, week: last,
            attendees: [q.partnerManager.name, h.partnerManager.name, q.sellers[0].name, h.sellers[0].name],
            decisions: [
                done,
                decision(
                    "Agree the proof-of-value success criteria for Meridian Health Partners with both sellers",
                    h.partnerManager, due: clock.date(-1)),
                decision(
                    "Book the first meeting at Northgate Retail Group through Halyard Security's CISO contact",
                    q.sellers[0], due: clock.date(3)),
            ], recordedBy: h.partnerManager.id, recordedByName: h.partnerManager.name, recordedAt: tuesday(last),
            updatedAt: tuesday(last))
        return [earlier, lastRecord]
    }

    /// The partner discovery call that started the partnership, confirmed viable by both partner
    /// managers; its next move falls due today, so Daniel Reyes's home page asks for it.
    func discoveryCall(
        _ partnership: Partnership, _ q: Team, _ h: Team, _ account: (String) -> JointAccount
    ) -> DiscoveryCall {
        let content = DiscoveryCall.Content(
            heldOn: clock.date(-176),
            attendeeIDs: [q.partnerManager.id, q.sellers[0].id, h.partnerManager.id, h.sellers[0].id],
            useCase: .init(
                customer: "Regulated mid-size banks, insurers and health systems moving analytics to the cloud",
                problem:
                    "Their security teams block analytics projects until sensitive data is classified and access to it is monitored; projects wait months for approval.",
                contributions: [
                    .init(
                        organizationID: q.organization.id,
                        text: "The governed analytics platform: one catalog of the customer's data with lineage."),
                    .init(
                        organizationID: h.organization.id,
                        text:
                            "Data security posture: classification of sensitive data and monitoring of who reads it, approved by the customer's security team."
                    ),
                ]),
            accountIDs: ["Meridian Health Partners", "Copperline Bank", "Northgate Retail Group"].map {
                account($0).id
            },
            nextMove: .init(
                text: "Review the three named accounts with both sellers and pick the first joint deal",
                ownerID: q.partnerManager.id, dueOn: clock.date(0)),
            verdict: .viable, reason: nil)
        let id = ids.next()
        return DiscoveryCall(
            id: id, partnershipID: partnership.id, content: content,
            confirmations: [
                .init(
                    organizationID: h.organization.id, personID: h.partnerManager.id, personName: h.partnerManager.name,
                    at: clock.at(-175, 16)),
                .init(
                    organizationID: q.organization.id, personID: q.partnerManager.id, personName: q.partnerManager.name,
                    at: clock.at(-175, 17)),
            ], version: 3, recordedBy: q.partnerManager.id, createdAt: clock.at(-176, 18),
            updatedAt: clock.at(-175, 17))
    }

    func makeAccounts(partnershipID: UUID, quarry: UUID, halyard: UUID) -> [JointAccount] {
        // name, domain, country, industry, employees, Quarry's population, Halyard's population
        let overlap: [(String, String, String, String, Int, String, String)] = [
            (
                "Meridian Health Partners", "meridianhealth.example", "US", "Healthcare providers", 12_400,
                "prospect", "customer"
            ),
            (
                "Copperline Bank", "copperlinebank.example", "US", "Banking", 8_600, "open_opportunity",
                "customer"
            ),
            (
                "Northgate Retail Group", "northgateretail.example", "US", "Retail", 22_000, "customer",
                "prospect"
            ),
            (
                "Alder & Finch Insurance", "alderfinch.example", "GB", "Insurance", 4_200, "prospect",
                "customer"
            ),
            (
                "Kestrel Logistics", "kestrel-logistics.example", "DE", "Logistics", 6_800, "customer",
                "open_opportunity"
            ),
            (
                "Brightwater Pharmaceuticals", "brightwaterpharma.example", "CH", "Pharmaceuticals", 3_100,
                "open_opportunity", "prospect"
            ),
            (
                "Summit Ridge Credit Union", "summitridgecu.example", "US", "Credit unions", 1_450,
                "prospect", "customer"
            ),
            (
                "Harborview Capital Markets", "harborviewcm.example", "US", "Capital markets", 2_300,
                "open_opportunity", "open_opportunity"
            ),
            (
                "Lumen Grid Energy", "lumengrid.example", "NL", "Energy and utilities", 5_400, "customer",
                "prospect"
            ),
            (
                "Vantage Point Telecom", "vantagepointtel.example", "US", "Telecommunications", 9_100,
                "open_opportunity", "prospect"
            ),
            (
                "Cobalt Ridge Software", "cobaltridge.example", "US", "Software", 850, "prospect",
                "customer"
            ),
            (
                "Orchard Street Health Plans", "orchardhealthplans.example", "US", "Health insurance",
                3_700, "customer", "prospect"
            ),
            (
                "Saltmarsh Biotech", "saltmarshbio.example", "GB", "Biotechnology", 640, "prospect",
                "open_opportunity"
            ),
            (
                "Pinecrest Wealth Management", "pinecrestwealth.example", "CA", "Wealth management", 1_900,
                "customer", "prospect"
            ),
            (
                "Ironbridge Manufacturing", "ironbridgemfg.example", "US", "Industrial manufacturing",
                7_300, "customer", "open_opportunity"
            ),
            (
                "Tessellate Payments", "tessellatepay.example", "IE", "Payments", 1_100, "prospect",
                "customer"
            ),
            (
                "Redwood Clinical Labs", "redwoodclinical.example", "US", "Diagnostics", 2_800,
                "open_opportunity", "customer"
            ),
            (
                "Skerry Shipping", "skerryshipping.example", "NO", "Maritime shipping", 3_300, "prospect",
                "prospect"
            ),
        ]
        var accounts = overlap.enumerated().map { i, a in
            JointAccount(
                id: ids.next(), partnershipID: partnershipID, name: a.0, domain: a.1, country: a.2,
                industry: a.3, employees: a.4, origin: .overlap, reason: nil,
                populations: [
                    AccountPopulation(organizationID: quarry, population: a.5),
                    AccountPopulation(organizationID: halyard, population: a.6),
                ],
                createdAt: clock.at(-175, 14, i), address: Self.demoAddress(i, country: a.2))
        }
        accounts.append(
            JointAccount(
                id: ids.next(), partnershipID: partnershipID, name: "Quillon Analytics",
                domain: "quillon.example", country: "US", industry: "Software", employees: 420,
                origin: .added,
                reason:
                    "Quillon's new CIO sat on Halyard's customer advisory board and asked both teams for a joint briefing; the company is in neither CRM yet.",
                populations: [AccountPopulation(organizationID: halyard, population: "prospect")],
                createdAt: clock.at(-3, 16), address: Self.demoAddress(overlap.count, country: "US")))
        accounts.append(
            JointAccount(
                id: ids.next(), partnershipID: partnershipID, name: "Marlow County Health System",
                domain: "marlowhealth.example", country: "US", industry: "Public healthcare",
                employees: 5_200,
                origin: .added,
                reason:
                    "A public RFP for a governed analytics platform with a cloud-security requirement; neither company can answer it alone.",
                populations: [], createdAt: clock.at(-12, 11),
                address: Self.demoAddress(overlap.count + 1, country: "US")))
        return accounts
    }

    /// A made-up postal address in the account's country, so that the demo deals can be exported to
    /// the co-sell programs (which require one).
    static func demoAddress(_ i: Int, country: String) -> CustomerAddress {
        let streets = ["Harbor Street", "Mill Road", "Station Avenue", "Quarry Lane", "Market Square", "Elm Court"]
        let street = "\(100 + i * 7) \(streets[i % streets.count])"
        let us = [
            ("Austin", "TX", "78701"), ("Boston", "MA", "02110"), ("Chicago", "IL", "60601"),
            ("Denver", "CO", "80202"), ("Seattle", "WA", "98101"), ("Atlanta", "GA", "30303"),
        ]
        let places: [String: (String, String?, String)] = [
            "GB": ("Cambridge", nil, "CB2 1TN"), "DE": ("Hamburg", nil, "20457"), "CH": ("Basel", nil, "4051"),
            "NL": ("Rotterdam", nil, "3011 AD"), "CA": ("Toronto", "ON", "M5H 2N2"), "IE": ("Dublin", nil, "D02 X285"),
            "NO": ("Bergen", nil, "5003"),
        ]
        let (city, state, postal) =
            country == "US"
            ? {
                let u = us[i % us.count]; return (u.0, Optional(u.1), u.2)
            }() : places[country] ?? ("Capital City", nil, "1000")
        return CustomerAddress(line1: street, city: city, state: state, postalCode: postal)
    }
}

/// Everything a deal script needs besides its own deal.
private struct Cast {
    var playbook: Playbook
    var people: [UUID: Person]
    var partnership: Partnership
    var ids: DemoIDs
    var clock: DemoClock
    var quarry: Team
    var halyard: Team
}

private func usd(_ whole: Int64) -> Money {
    Money(minorUnits: whole * 100, currency: Currency(code: "USD")!)
}
private func eur(_ whole: Int64) -> Money {
    Money(minorUnits: whole * 100, currency: Currency(code: "EUR")!)
}
private func gbp(_ whole: Int64) -> Money {
    Money(minorUnits: whole * 100, currency: Currency(code: "GBP")!)
}

/// Plays one deal forward through the engine, keeping every change with its time and actor.
private struct DealScript {
    let cast: Cast
    let host: Team
    let partner: Team
    let hostSeller: Person
    let partnerSeller: Person
    let customer: Customer
    var deal: Deal
    var changes: [DemoChange] = []

    var clock: DemoClock { cast.clock }

    /// Opens the deal on `day` at 09:00, opened by the host's partner manager, and assigns the first
    /// stage's moves.
    init(
        cast: Cast, account: JointAccount, hostedBy host: Team, sellers: (host: Int, partner: Int),
        title: String, amount: Money, expectedClose: Int, customer: Customer, openedOn day: Int
    ) {
        let partner = host.organization.id == cast.quarry.organization.id ? cast.halyard : cast.quarry
        self.cast = cast
        self.host = host
        self.partner = partner
        self.hostSeller = host.sellers[sellers.host]
        self.partnerSeller = partner.sellers[sellers.partner]
        self.customer = customer
        let at = cast.clock.at(day, 9)
        let opener = host.partnerManager
        let context = DealContext(
            playbook: cast.playbook, people: cast.people, now: at,
            makeID: { [ids = cast.ids] in ids.next() })
        do {
            let (deal, change) = try DealEngine.open(
                id: cast.ids.next(), partnership: cast.partnership, account: account, title: title,
                hostOrganizationID: host.organization.id, reason: nil, amount: amount,
                expectedCloseDate: cast.clock.date(expectedClose), actor: Actor(opener), context: context)
            self.deal = deal
            self.changes = [DemoChange(change: change, at: at, actor: Actor(opener))]
        } catch {
            preconditionFailure(
                "Demo workspace: opening the deal on \(account.name) was refused: \(error.message)")
        }
        assignMoves(by: opener, at: cast.clock.at(day, 9, 20))
    }

    func team(_ side: Side) -> Team { side == .host ? host : partner }
    func seller(_ side: Side) -> Person { side == .host ? hostSeller : partnerSeller }
    var doorOpenerSide: Side? { deal.evidence.doorOpener.doorOpener?.side }

    /// Applies one command through the engine; the demo's script is fixed, so a refusal is a bug in it.
    mutating func run(_ command: DealCommand, by person: Person, at: Date) {
        if let last = changes.last?.at, at < last {
            preconditionFailure(
                "Demo workspace: \(deal.accountName): a change at \(at) comes before \(last).")
        }
        let context = DealContext(
            playbook: cast.playbook, people: cast.people, now: at,
            makeID: { [ids = cast.ids] in ids.next() },
            companyNames: SidePair(host: host.organization.name, partner: partner.organization.name),
            registrationValidityDays: cast.partnership.plan?.registrationValidityDays
                ?? CoSellPlan.defaultRegistrationValidityDays)
        do {
            let (next, made) = try DealEngine.apply(
                command, to: deal, by: Actor(person), context: context)
            deal = next
            changes += made.map { DemoChange(change: $0, at: at, actor: Actor(person)) }
        } catch {
            preconditionFailure(
                "Demo workspace: \(deal.accountName): \(command) was refused: \(error.message)")
        }
    }

    /// Who usually owns a move: its side's person of the template's default role. A move of both sides
    /// goes to the host, except booking the first meeting, which goes to the door-opener. The door-opener's
    /// moves wait until the door-opener is named.
    func defaultOwner(of move: DealMove) -> Person? {
        let role =
            cast.playbook.stages.first { $0.key == move.stageKey }?.moves.first {
                $0.key == move.templateKey
            }?
            .defaultOwnerRole ?? .seller
        let side: Side
        switch move.side {
        case .host: side = .host
        case .partner: side = .partner
        case .both: side = move.templateKey == "book_first_meeting" ? (doorOpenerSide ?? .host) : .host
        case .doorOpener:
            guard let opener = doorOpenerSide else { return nil }
            side = opener
        }
        switch role {
        case .admin: return team(side).admin
        case .partnerManager: return team(side).partnerManager
        case .seller, .viewer: return seller(side)
        }
    }

    /// Hands every move of the current stage not yet done to its default owner (the one who entered
    /// the stage owns its moves until then).
    mutating func assignMoves(by person: Person, at: Date) {
        let stageKey = cast.playbook.stages[deal.stageIndex].key
        for move in deal.moves where move.stageKey == stageKey && move.doneAt == nil {
            guard let owner = defaultOwner(of: move), move.ownerID != owner.id else { continue }
            run(
                .updateMove(moveID: move.id, ownerID: owner.id, dueOn: nil, done: nil), by: person, at: at)
        }
    }

    /// Marks the move made from template `key` done, by its owner, unless recording its evidence already did.
    mutating func done(_ key: String, at: Date) {
        guard deal.moves.contains(where: { $0.templateKey == key }) else {
            preconditionFailure("Demo workspace: \(deal.accountName) has no move \(key).")
        }
        guard let move = deal.moves.first(where: { $0.templateKey == key && $0.doneAt == nil }) else { return }
        let by = move.ownerID.flatMap { cast.people[$0] } ?? host.partnerManager
        run(.updateMove(moveID: move.id, ownerID: nil, dueOn: nil, done: true), by: by, at: at)
    }

    /// Advances with the gate open, by the host's partner manager, and assigns the new stage's moves.
    mutating func advance(on day: Int, hour: Int = 10) {
        run(.advance(overrideReason: nil), by: host.partnerManager, at: clock.at(day, hour))
        assignMoves(by: host.partnerManager, at: clock.at(day, hour, 15))
    }

    // MARK: stage 1

    /// Both sides record their fit and commit, from `day` to `day + 3`.
    mutating func selectTarget(
        from day: Int, hostFit: Fit = .strong, hostNote: String, partnerFit: Fit = .strong,
        partnerNote: String
    ) {
        run(.recordIcpFit(fit: hostFit, note: hostNote), by: hostSeller, at: clock.at(day + 1, 10, 30))
        done("host_icp_fit", at: clock.at(day + 1, 10, 35))
        done("pick_from_overlap", at: clock.at(day + 1, 16))
        run(
            .recordIcpFit(fit: partnerFit, note: partnerNote), by: partnerSeller,
            at: clock.at(day + 2, 11))
        done("partner_icp_fit", at: clock.at(day + 2, 11, 5))
        run(.commit, by: host.partnerManager, at: clock.at(day + 3, 9, 30))
        run(.commit, by: partner.partnerManager, at: clock.at(day + 3, 14))
    }

    // MARK: stage 2

    mutating func nameDoorOpener(_ side: Side, _ kind: DoorOpenerKind, at: Date) {
        run(
            .nameDoorOpener(side: side, kind: kind, ownerID: seller(side).id), by: host.partnerManager,
            at: at)
        done("name_door_opener", at: at.addingTimeInterval(300))
        assignMoves(by: host.partnerManager, at: at.addingTimeInterval(600))
    }

    var meetingAttendees: [Attendee] {
        [
            Attendee(
                name: hostSeller.name, party: .host, title: hostSeller.title, email: hostSeller.email),
            Attendee(
                name: partnerSeller.name, party: .partner, title: partnerSeller.title,
                email: partnerSeller.email),
            Attendee(
                name: customer.champion.name, party: .customer, title: customer.champion.title,
                email: customer.champion.email),
            Attendee(
                name: customer.buyer.name, party: .customer, title: customer.buyer.title,
                email: customer.buyer.email),
        ]
    }

    /// The door-opener is named on `day + 1`, makes the introduction on `day + 3` and books the first
    /// joint conversation on `day + 5` for `meetingDay`.
    mutating func openDoor(
        from day: Int, by side: Side, _ kind: DoorOpenerKind, meetingOn meetingDay: Int
    ) {
        nameDoorOpener(side, kind, at: clock.at(day + 1, 10))
        done("make_introduction", at: clock.at(day + 3, 15))
        run(
            .bookFirstMeeting(scheduledFor: clock.at(meetingDay, 15), attendees: meetingAttendees),
            by: seller(side), at: clock.at(day + 5, 11))
        done("book_first_meeting", at: clock.at(day + 5, 11, 5))
    }

    // MARK: stage 3

    var buyingProcess: BuyingProcess {
        BuyingProcess(
            steps: [
                "Technical validation with the data platform team",
                "Security architecture and privacy review",
                "Business case to the CFO",
                "Procurement, MSA and DPA redlines",
            ],
            decisionMakers: [
                "\(customer.buyer.name), \(customer.buyer.title)", "Chief Financial Officer",
            ],
            timeline: customer.timeline)
    }

    var stakeholders: [Stakeholder] {
        [
            Stakeholder(name: customer.buyer.name, title: customer.buyer.title, role: "Economic buyer"),
            Stakeholder(name: customer.champion.name, title: customer.champion.title, role: "Champion"),
            Stakeholder(
                name: "Procurement lead", title: "Strategic Sourcing Manager", role: "Procurement"),
        ]
    }

    /// One joint discovery call on `day + 4`, one brief on `day + 6`, approved by the host on `day + 7`
    /// and the partner on `day + 8` (when `approve`).
    mutating func discover(from day: Int, approve: Bool = true) {
        done("joint_discovery_call", at: clock.at(day + 4, 16))
        run(
            .writeBrief(
                briefID: nil, customerNeed: customer.need, buyingProcess: buyingProcess,
                stakeholders: stakeholders),
            by: hostSeller, at: clock.at(day + 6, 11))
        done("write_brief", at: clock.at(day + 6, 11, 5))
        guard approve, let brief = deal.evidence.jointDiscovery.activeBriefs.last else { return }
        run(.approveBrief(briefID: brief.id), by: hostSeller, at: clock.at(day + 7, 10))
        run(.approveBrief(briefID: brief.id), by: partnerSeller, at: clock.at(day + 8, 9, 30))
    }

    // MARK: stage 4

    func milestones(decisionDay: Int) -> [Milestone] {
        [
            Milestone(
                title: "Reference architecture and security review pack", ownerParty: .host,
                ownerName: hostSeller.name, dueOn: clock.date(decisionDay - 21)),
            Milestone(
                title: "Joint pilot sign-off and findings readout", ownerParty: .partner,
                ownerName: partnerSeller.name, dueOn: clock.date(decisionDay - 14)),
            Milestone(
                title: "Business case approved by the CFO", ownerParty: .customer,
                ownerName: customer.buyer.name, dueOn: clock.date(decisionDay - 7)),
            Milestone(
                title: "Procurement signs the order form", ownerParty: .customer,
                ownerName: customer.champion.name, dueOn: clock.date(decisionDay)),
        ]
    }

    /// The proof on `day + 10`, one shared close plan on `day + 13`, the customer's confirmation on
    /// `day + 16` (when `confirm`).
    mutating func pursue(
        from day: Int, _ proof: ProofKind, _ summary: String, decisionOn decisionDay: Int,
        confirm: Bool = true
    ) {
        run(.recordProof(kind: proof, summary: summary), by: hostSeller, at: clock.at(day + 10, 17))
        done("deliver_proof", at: clock.at(day + 10, 17, 5))
        run(
            .writeClosePlan(
                planID: nil, milestones: milestones(decisionDay: decisionDay),
                decisionDate: clock.date(decisionDay)),
            by: hostSeller, at: clock.at(day + 13, 11))
        guard confirm else { return }
        run(
            .recordCustomerConfirmation(
                confirmedBy: customer.buyer.name, confirmedAt: clock.at(day + 16, 9), channel: .email,
                note: "Confirmed the milestones and the decision date in writing after the pilot readout."),
            by: hostSeller, at: clock.at(day + 16, 14))
        done("close_plan", at: clock.at(day + 16, 14, 5))
    }

    // MARK: stage 5

    /// What the other company does with a submitted registration in the demo.
    enum Decision {
        case accept(onDay: Int)
        case reject(onDay: Int, String)
        /// Left waiting for the other company.
        case none
    }

    /// Logs the win on `day` and registers it the next day; the other company accepts it that
    /// afternoon unless told otherwise.
    mutating func win(
        on day: Int, registrationID: String, _ attribution: Attribution, decision: Decision? = nil
    ) {
        let amount = deal.amount!
        run(
            .recordOutcome(
                result: .won, finalAmount: amount, closeDate: clock.date(day), lossReason: nil),
            by: hostSeller, at: clock.at(day, 17))
        done("log_outcome", at: clock.at(day, 17, 5))
        register(registrationID, attribution, on: day + 1, decision: .none)
        done("register", at: clock.at(day + 1, 10, 5))
        decide(decision ?? .accept(onDay: day + 1), attribution)
    }

    /// Submits the registration on `day` at 10:00: a partner-sourced one by the partner's partner
    /// manager (the partner claims the deal), an influenced one by the host's; the other company's
    /// partner manager decides as `decision` says, at 16:00.
    mutating func register(
        _ registrationID: String, _ attribution: Attribution, on day: Int, at hour: Int = 10, decision: Decision
    ) {
        let submitter: Side = attribution == .partnerSourced ? .partner : .host
        run(
            .register(
                registrationID: registrationID, attribution: attribution,
                sourcedBy: attribution == .partnerSourced ? .partner : .host),
            by: team(submitter).partnerManager, at: clock.at(day, hour))
        decide(decision, attribution)
    }

    /// The other company's partner manager accepts or rejects the registration at 16:00 of the day.
    mutating func decide(_ decision: Decision, _ attribution: Attribution) {
        let submitter: Side = attribution == .partnerSourced ? .partner : .host
        let decider = team(submitter.other).partnerManager
        switch decision {
        case .accept(let d): run(.acceptRegistration, by: decider, at: clock.at(d, 16))
        case .reject(let d, let reason): run(.rejectRegistration(reason: reason), by: decider, at: clock.at(d, 16))
        case .none: break
        }
    }

    func finish(illustrating pitfall: Pitfall? = nil, _ story: String) -> DemoDeal {
        var deal = deal
        deal.version = changes.count
        return DemoDeal(deal: deal, changes: changes, illustrates: pitfall, story: story)
    }
}

/// The demo's joint deals, each a short script.
private struct DemoDeals {
    let cast: Cast
    let account: (String) -> JointAccount

    var clock: DemoClock { cast.clock }
    var q: Team { cast.quarry }
    var h: Team { cast.halyard }

    func contact(_ name: String, _ title: String, at account: String) -> Contact {
        let local = name.lowercased().split(separator: " ").joined(separator: ".")
        return Contact(name: name, title: title, email: "\(local)@\(self.account(account).domain!)")
    }

    func all() -> [DemoDeal] {
        [
            northgate(), quillon(), summitRidge(), kestrel(), brightwater(), lumenGrid(), harborview(),
            copperline(), orchardStreet(), cobaltRidge(), vantagePoint(), alderFinch(), ironbridge(),
            meridian(),
        ]
    }

    // MARK: stage 1: target account selection

    func northgate() -> DemoDeal {
        let name = "Northgate Retail Group"
        var s = DealScript(
            cast: cast, account: account(name), hostedBy: q, sellers: (0, 0),
            title: "Northgate: governed customer-360 lakehouse with runtime protection",
            amount: usd(640_000),
            expectedClose: 120,
            customer: Customer(
                buyer: contact("Renee Alvarez", "SVP Data & Analytics", at: name),
                champion: contact("Kwame Mensah", "Director of Data Engineering", at: name),
                need:
                    "Unify loyalty, e-commerce and store data for a customer-360 while meeting PCI DSS in the cloud.",
                timeline: "Budget approved for the next fiscal year; decision expected within two quarters."
            ),
            openedOn: -4)
        s.run(
            .recordIcpFit(
                fit: .strong, note: "Existing Quarry customer expanding to 40 brands; data team of 60."),
            by: s.hostSeller, at: clock.at(-3, 11))
        s.done("host_icp_fit", at: clock.at(-3, 11, 5))
        s.done("pick_from_overlap", at: clock.at(-3, 15))
        s.run(
            .recordIcpFit(
                fit: .strong, note: "Moving 2,000 workloads to AWS; no cloud posture tooling today."),
            by: s.partnerSeller, at: clock.at(-1, 10))
        s.done("partner_icp_fit", at: clock.at(-1, 10, 5))
        s.run(.commit, by: q.partnerManager, at: clock.at(-1, 16))
        return s.finish(
            "Healthy, at target account selection: both fits strong, Quarry committed, Halyard's commitment still to come."
        )
    }

    func quillon() -> DemoDeal {
        let name = "Quillon Analytics"
        var s = DealScript(
            cast: cast, account: account(name), hostedBy: h, sellers: (0, 0),
            title: "Quillon: secure analytics foundation for the new CIO", amount: usd(180_000),
            expectedClose: 150,
            customer: Customer(
                buyer: contact("Hannah Brooks", "Chief Information Officer", at: name),
                champion: contact("Omar Haddad", "Head of Platform", at: name),
                need: "Stand up a governed analytics platform with cloud security from day one.",
                timeline: "Platform choice before the end of next quarter."),
            openedOn: -2)
        s.run(
            .recordIcpFit(
                fit: .strong, note: "The CIO asked for a joint briefing; greenfield cloud estate on Azure."),
            by: s.hostSeller, at: clock.at(-1, 14))
        s.done("host_icp_fit", at: clock.at(-1, 14, 5))
        return s.finish(
            "Healthy, just opened by Halyard on an account added by hand with a reason (not on the overlap)."
        )
    }

    // MARK: stage 2: the door-opener move

    func summitRidge() -> DemoDeal {
        let name = "Summit Ridge Credit Union"
        var s = DealScript(
            cast: cast, account: account(name), hostedBy: h, sellers: (0, 0),
            title: "Summit Ridge: member-data platform with cloud posture management",
            amount: usd(210_000),
            expectedClose: 110,
            customer: Customer(
                buyer: contact("Patrick Doyle", "Chief Technology Officer", at: name),
                champion: contact("Mei Tanaka", "VP Information Security", at: name),
                need: "Consolidate member data for fraud analytics without failing the NCUA cyber exam.",
                timeline: "Board approval at the quarterly meeting; go-live before the next exam."),
            openedOn: -16)
        s.selectTarget(
            from: -16, hostNote: "Halyard customer since 2023; expanding to three cloud accounts.",
            partnerNote: "Fraud analytics on a legacy warehouse that is out of support next year.")
        s.advance(on: -12)
        s.openDoor(from: -12, by: .host, .customerReferral, meetingOn: 3)
        return s.finish(
            "Healthy, hosted by Halyard: its own customer, introduced by referral; the first joint conversation is booked."
        )
    }

    func kestrel() -> DemoDeal {
        let name = "Kestrel Logistics"
        var s = DealScript(
            cast: cast, account: account(name), hostedBy: q, sellers: (1, 1),
            title: "Kestrel: real-time shipment analytics on a secured lakehouse", amount: eur(380_000),
            expectedClose: 60,
            customer: Customer(
                buyer: contact("Katrin Vogel", "Chief Digital Officer", at: name),
                champion: contact("Stefan Maier", "Head of Data Platforms", at: name),
                need:
                    "Real-time shipment visibility across 40 depots, with cloud workloads covered by the security team.",
                timeline: "Decision in the second half of the year."),
            openedOn: -40)
        s.selectTarget(
            from: -40, hostNote: "Quarry customer on two business units; wants the rest of the group.",
            partnerNote: "Open Halyard opportunity for CSPM; security team is under NIS2 pressure.")
        s.advance(on: -36)
        // Each side waits for the other to make the introduction: nobody is named, nothing is booked.
        s.run(
            .updateMove(
                moveID: s.deal.moves.first { $0.templateKey == "name_door_opener" }!.id, ownerID: nil,
                dueOn: clock.date(-22), done: nil),
            by: h.partnerManager, at: clock.at(-29, 15))
        return s.finish(
            illustrating: .noDoorOpener,
            "Stalled at the door-opener: Quarry has the customer, Halyard has the open opportunity, and each is waiting for the other to make the introduction."
        )
    }

    // MARK: stage 3: joint discovery

    func brightwater() -> DemoDeal {
        let name = "Brightwater Pharmaceuticals"
        var s = DealScript(
            cast: cast, account: account(name), hostedBy: q, sellers: (1, 1),
            title: "Brightwater: GxP clinical data platform with workload protection",
            amount: eur(520_000),
            expectedClose: 75,
            customer: Customer(
                buyer: contact("Claudia Rossi", "VP Clinical Data Sciences", at: name),
                champion: contact("Luca Brunner", "Head of Research IT", at: name),
                need:
                    "Move clinical trial analytics to the cloud under GxP validation, with protection for patient data.",
                timeline: "Validation plan approved this quarter; contract before trial start."),
            openedOn: -32)
        s.selectTarget(
            from: -32, hostNote: "Open opportunity for clinical analytics; 14 TB of trial data.",
            partnerNote: "Regulated cloud workloads in Azure; a fit for workload protection.")
        s.advance(on: -28)
        s.openDoor(from: -28, by: .host, .warmIntroduction, meetingOn: -19)
        s.advance(on: -18)
        s.discover(from: -18, approve: false)
        return s.finish(
            "Healthy, in joint discovery: one joint call held, one shared brief written, approvals still to come."
        )
    }

    func lumenGrid() -> DemoDeal {
        let name = "Lumen Grid Energy"
        var s = DealScript(
            cast: cast, account: account(name), hostedBy: h, sellers: (1, 1),
            title: "Lumen Grid: OT and smart-meter data with cloud threat detection",
            amount: eur(450_000),
            expectedClose: 90,
            customer: Customer(
                buyer: contact("Pieter de Vries", "Chief Information Security Officer", at: name),
                champion: contact("Anouk Jansen", "Head of Data & AI", at: name),
                need:
                    "Analyse smart-meter data at scale while detecting threats across the new cloud landing zone.",
                timeline: "Tender closes next quarter; award within six weeks of it."),
            openedOn: -30)
        s.selectTarget(
            from: -30, hostNote: "Critical infrastructure under NIS2; cloud landing zone in build.",
            partnerNote: "Quarry customer on metering analytics since 2024.")
        s.advance(on: -26)
        s.openDoor(from: -26, by: .partner, .customerReferral, meetingOn: -17)
        s.advance(on: -16)
        s.discover(from: -16)
        return s.finish(
            "Healthy, hosted by Halyard: Quarry referred it into its own customer; the shared brief is approved by both sides and the gate is open."
        )
    }

    func harborview() -> DemoDeal {
        let name = "Harborview Capital Markets"
        var s = DealScript(
            cast: cast, account: account(name), hostedBy: q, sellers: (0, 0),
            title: "Harborview: trade surveillance data platform", amount: usd(760_000),
            expectedClose: 30,
            customer: Customer(
                buyer: contact("Gregory Walsh", "Chief Data Officer", at: name),
                champion: contact("Nadia Farouk", "Director, Surveillance Technology", at: name),
                need:
                    "Trade surveillance on five years of order data, with the cloud estate passing the regulator's review.",
                timeline: "Regulatory remediation deadline at year end."),
            openedOn: -54)
        s.selectTarget(
            from: -54, hostNote: "Open opportunity; surveillance data is 90 TB and growing.",
            partnerNote: "Open opportunity; the regulator flagged cloud misconfigurations.")
        s.advance(on: -50)
        s.openDoor(from: -50, by: .partner, .warmIntroduction, meetingOn: -42)
        s.advance(on: -41)
        // Two discoveries, not one: each seller runs their own and writes their own brief.
        s.run(
            .writeBrief(
                briefID: nil,
                customerNeed:
                    "Surveillance analytics on order and trade data; replace the on-premises warehouse.",
                buyingProcess: s.buyingProcess, stakeholders: s.stakeholders),
            by: s.hostSeller, at: clock.at(-33, 11))
        let hostBrief = s.deal.evidence.jointDiscovery.activeBriefs.last!.id
        s.run(.approveBrief(briefID: hostBrief), by: s.hostSeller, at: clock.at(-32, 9))
        s.run(
            .writeBrief(
                briefID: nil,
                customerNeed:
                    "Close the cloud misconfiguration findings before the regulator's follow-up visit.",
                buyingProcess: BuyingProcess(
                    steps: ["CISO sign-off", "Risk committee", "Procurement"],
                    decisionMakers: ["Chief Information Security Officer"],
                    timeline: "Before the regulator's follow-up visit."),
                stakeholders: [
                    Stakeholder(name: "Chief Information Security Officer", role: "Economic buyer")
                ]),
            by: s.partnerSeller, at: clock.at(-30, 15))
        let partnerBrief = s.deal.evidence.jointDiscovery.activeBriefs.last!.id
        s.run(.approveBrief(briefID: partnerBrief), by: s.partnerSeller, at: clock.at(-29, 10))
        s.run(
            .addMove(
                stageKey: CriterionKind.jointDiscovery.rawValue,
                description: "Merge the two account briefs into one",
                side: .both, ownerID: q.partnerManager.id, dueOn: clock.date(-12)),
            by: h.partnerManager, at: clock.at(-19, 16))
        return s.finish(
            illustrating: .twoDiscoveriesNotOne,
            "Stalled in joint discovery: each seller ran their own discovery and wrote their own brief; the customer heard two pitches."
        )
    }

    // MARK: stage 4: joint pursuit and proof

    func copperline() -> DemoDeal {
        let name = "Copperline Bank"
        var s = DealScript(
            cast: cast, account: account(name), hostedBy: h, sellers: (0, 0),
            title: "Copperline: secure cloud data platform for risk and finance", amount: usd(890_000),
            expectedClose: 40,
            customer: Customer(
                buyer: contact("Victoria Hale", "Chief Risk Officer", at: name),
                champion: contact("Samuel Ortiz", "VP Cloud Platform", at: name),
                need: "Move credit-risk and finance reporting to a cloud lakehouse the CISO signs off on.",
                timeline: "Decision before the annual budget lock."),
            openedOn: -44)
        s.selectTarget(
            from: -44, hostNote: "Halyard customer; 300 AWS accounts under management.",
            partnerNote: "Quarry has an open opportunity for risk reporting.")
        s.advance(on: -40)
        s.openDoor(from: -40, by: .host, .warmIntroduction, meetingOn: -30)
        s.advance(on: -29)
        s.discover(from: -29)
        s.advance(on: -20)
        s.pursue(
            from: -20, .pilot,
            "Six-week pilot: credit-risk marts on Quarry with Halyard posture checks on every pipeline.",
            decisionOn: 30, confirm: false)
        return s.finish(
            "Healthy, hosted by Halyard: the joint pilot is delivered and one shared close plan is waiting for the customer's confirmation."
        )
    }

    func orchardStreet() -> DemoDeal {
        let name = "Orchard Street Health Plans"
        var s = DealScript(
            cast: cast, account: account(name), hostedBy: q, sellers: (0, 0),
            title: "Orchard Street: claims analytics with HIPAA-grade cloud security",
            amount: usd(575_000),
            expectedClose: -10,
            customer: Customer(
                buyer: contact("Deborah Lin", "Chief Operating Officer", at: name),
                champion: contact("Marcus Webb", "Director of Enterprise Data", at: name),
                need:
                    "Claims and utilisation analytics in the cloud with HIPAA controls the auditors accept.",
                timeline: "Decision before open enrolment."),
            openedOn: -77)
        s.selectTarget(
            from: -77, hostNote: "Quarry customer on pharmacy claims; wants medical claims next.",
            partnerNote: "HIPAA workloads in AWS with no runtime protection.")
        s.advance(on: -73)
        s.openDoor(from: -73, by: .host, .customerReferral, meetingOn: -63)
        s.advance(on: -62)
        // Registered early and accepted the same day: after the partnership's 60 days it lapsed.
        s.register("QD-CS-00397", .partnerInfluenced, on: -62, at: 14, decision: .accept(onDay: -62))
        s.discover(from: -62)
        s.advance(on: -53)
        s.run(
            .recordProof(
                kind: .proofOfConcept,
                summary: "Proof of concept on a de-identified claims sample with runtime protection."),
            by: s.hostSeller, at: clock.at(-43, 17))
        s.done("deliver_proof", at: clock.at(-43, 17, 5))
        // Competing close plans: each company drives its own plan with its own timeline.
        let hostPlan = s.milestones(decisionDay: -15).filter { $0.ownerParty != .partner }
        s.run(
            .writeClosePlan(planID: nil, milestones: hostPlan, decisionDate: clock.date(-15)),
            by: s.hostSeller, at: clock.at(-40, 11))
        let partnerPlan = [
            Milestone(
                title: "Security architecture review with the CISO", ownerParty: .partner,
                ownerName: s.partnerSeller.name, dueOn: clock.date(-30)),
            Milestone(
                title: "Order form for runtime protection", ownerParty: .customer,
                ownerName: s.customer.champion.name, dueOn: clock.date(-20)),
        ]
        s.run(
            .writeClosePlan(planID: nil, milestones: partnerPlan, decisionDate: clock.date(-20)),
            by: s.partnerSeller, at: clock.at(-36, 14))
        s.run(
            .updateDetails(title: nil, amount: nil, expectedCloseDate: clock.date(20)), by: s.hostSeller,
            at: clock.at(-21, 10))
        return s.finish(
            illustrating: .competingClosePlans,
            "Stalled in joint pursuit: Quarry and Halyard each wrote their own close plan with its own dates; the customer got conflicting next steps and the decision slipped. Its registration, accepted two months ago, has lapsed."
        )
    }

    func cobaltRidge() -> DemoDeal {
        let name = "Cobalt Ridge Software"
        var s = DealScript(
            cast: cast, account: account(name), hostedBy: h, sellers: (0, 0),
            title: "Cobalt Ridge: product analytics with cloud posture management", amount: usd(240_000),
            expectedClose: -5,
            customer: Customer(
                buyer: contact("Tyler Grant", "VP Engineering", at: name),
                champion: contact("Ines Carvalho", "Staff Data Engineer", at: name),
                need:
                    "Product usage analytics for a SaaS team of 40 engineers, with SOC 2 evidence for the cloud.",
                timeline: "Whenever the current warehouse contract allows."),
            openedOn: -80)
        s.selectTarget(
            from: -80, hostNote: "Halyard customer since 2022; expanding to GCP.",
            partnerFit: .partial,
            partnerNote:
                "850 employees and 30 TB on an incumbent warehouse under contract until 2027: below Quarry's enterprise profile."
        )
        s.advance(on: -76)
        s.openDoor(from: -76, by: .host, .warmIntroduction, meetingOn: -66)
        s.advance(on: -65)
        s.discover(from: -65)
        s.advance(on: -56)
        s.pursue(
            from: -56, .proposal,
            "Combined proposal: Quarry starter tier with Halyard posture management.",
            decisionOn: 20, confirm: true)
        s.run(
            .updateDetails(title: nil, amount: nil, expectedCloseDate: clock.date(45)), by: s.hostSeller,
            at: clock.at(-24, 10))
        return s.finish(
            illustrating: .pursuingTheWrongAccount,
            "Stalled in joint pursuit, hosted by Halyard: the account fits Halyard's profile but only partly Quarry's, so the pursuit drags."
        )
    }

    func vantagePoint() -> DemoDeal {
        let name = "Vantage Point Telecom"
        var s = DealScript(
            cast: cast, account: account(name), hostedBy: q, sellers: (0, 0),
            title: "Vantage Point: network analytics platform RFP", amount: usd(690_000),
            expectedClose: -30,
            customer: Customer(
                buyer: contact("Raymond Cho", "SVP Network Operations", at: name),
                champion: contact("Lauren Fischer", "Director, Network Data", at: name),
                need:
                    "Network telemetry analytics at 5G scale, with the cloud estate hardened before the move.",
                timeline: "RFP award at the end of the quarter."),
            openedOn: -96)
        s.selectTarget(
            from: -96, hostNote: "Open opportunity from the RFP; 2 PB of telemetry.",
            partnerNote: "Cloud migration of network workloads; security is an RFP requirement.")
        s.advance(on: -92)
        s.nameDoorOpener(.partner, .coBrandedOutreach, at: clock.at(-91, 10))
        s.done("make_introduction", at: clock.at(-88, 15))
        // The RFP's quiet period began before a first joint conversation was booked; an admin overrode the gate.
        s.run(
            .advance(
                overrideReason:
                    "The RFP's quiet period forbids vendor meetings; we answer it jointly without a first conversation."
            ),
            by: q.admin, at: clock.at(-78, 9))
        s.assignMoves(by: q.partnerManager, at: clock.at(-78, 9, 15))
        // Without a first conversation the brief cannot be approved: both companies' admins skipped discovery too.
        s.discover(from: -78, approve: false)
        s.run(
            .advance(
                overrideReason:
                    "The quiet period allows no discovery call: the brief stands on the RFP documents."),
            by: q.admin, at: clock.at(-69, 10))
        s.run(
            .advance(overrideReason: "Agreed: Halyard answers the RFP with this brief."), by: h.admin,
            at: clock.at(-69, 14))
        s.assignMoves(by: q.partnerManager, at: clock.at(-69, 14, 15))
        s.pursue(
            from: -69, .proposal, "Joint RFP response: Quarry platform with Halyard cloud security.",
            decisionOn: -33, confirm: false)
        s.run(
            .recordOutcome(
                result: .lost, finalAmount: s.deal.amount!, closeDate: clock.date(-33),
                lossReason:
                    "Vantage Point renewed its incumbent suite; the evaluation committee never met the Halyard team.",
                lossCategory: .noIntroduction),
            by: s.hostSeller, at: clock.at(-33, 16))
        s.run(
            .recordReview(
                heldOn: clock.date(-27),
                attendees: [
                    q.partnerManager.name, h.partnerManager.name, s.hostSeller.name, s.partnerSeller.name,
                ],
                lessons: [
                    LessonDraft(
                        stageKey: CriterionKind.doorOpener.rawValue,
                        text:
                            "Skipping the first joint conversation left Halyard invisible to the committee: book a joint clarification session before an RFP's quiet period starts."
                    ),
                    LessonDraft(
                        stageKey: CriterionKind.jointPursuit.rawValue,
                        text:
                            "We never got the customer to confirm a path to a decision; a written RFP timeline is not a confirmation."
                    ),
                ]),
            by: q.partnerManager, at: clock.at(-27, 15))
        return s.finish(
            illustrating: .noDoorOpener,
            "Lost: an admin overrode the door-opener gate (the stage counts as skipped) and the customer never met both companies; the review captured why."
        )
    }

    // MARK: stage 5: close, register and review

    func alderFinch() -> DemoDeal {
        let name = "Alder & Finch Insurance"
        var s = DealScript(
            cast: cast, account: account(name), hostedBy: h, sellers: (1, 1),
            title: "Alder & Finch: underwriting data platform with cloud security", amount: gbp(410_000),
            expectedClose: -7,
            customer: Customer(
                buyer: contact("Eleanor Hughes", "Chief Underwriting Officer", at: name),
                champion: contact("James Whitfield", "Head of Data Platforms", at: name),
                need:
                    "Underwriting and pricing analytics in the cloud, with the PRA's operational resilience rules met.",
                timeline: "Signature before the renewal season."),
            openedOn: -70)
        s.selectTarget(
            from: -70, hostNote: "Halyard customer; Lloyd's market workloads in Azure.",
            partnerNote: "Pricing models on spreadsheets and an ageing warehouse.")
        s.advance(on: -66)
        s.openDoor(from: -66, by: .host, .customerReferral, meetingOn: -56)
        s.advance(on: -55)
        s.discover(from: -55)
        s.advance(on: -46)
        s.pursue(
            from: -46, .proofOfConcept,
            "Proof of concept: pricing mart on Quarry, secured by Halyard in the customer's tenant.",
            decisionOn: -8)
        s.advance(on: -9)
        s.win(on: -7, registrationID: "HS-PP-01187", .partnerInfluenced, decision: DealScript.Decision.none)
        return s.finish(
            "Healthy, hosted by Halyard: won last week and registered as partner-influenced by Halyard; Quarry has not accepted the registration yet, and the review is due."
        )
    }

    func ironbridge() -> DemoDeal {
        let name = "Ironbridge Manufacturing"
        var s = DealScript(
            cast: cast, account: account(name), hostedBy: q, sellers: (0, 1),
            title: "Ironbridge: factory quality analytics on a secured lakehouse", amount: usd(720_000),
            expectedClose: -47,
            customer: Customer(
                buyer: contact("Carl Jensen", "Chief Operations Officer", at: name),
                champion: contact("Priscilla Nunez", "Director of Manufacturing Systems", at: name),
                need: "Quality analytics across twelve plants, with the OT-to-cloud link secured.",
                timeline: "Capital request approved at the spring board."),
            openedOn: -120)
        s.selectTarget(
            from: -120, hostNote: "Quarry customer in two plants.",
            partnerNote: "OT data moving to the cloud; open Halyard opportunity.")
        s.advance(on: -116)
        s.openDoor(from: -116, by: .host, .warmIntroduction, meetingOn: -106)
        s.advance(on: -105)
        s.discover(from: -105)
        s.advance(on: -96)
        s.pursue(
            from: -96, .pilot,
            "Pilot in two plants: defect prediction on Quarry with Halyard protecting the OT gateway.",
            decisionOn: -50)
        s.advance(on: -52)
        s.win(
            on: -47, registrationID: "QD-CS-00388", .partnerSourced,
            decision: .reject(
                onDay: -45,
                "Quarry had this opportunity open in its CRM before Halyard's introduction: resubmit it as partner-influenced."
            ))
        return s.finish(
            illustrating: .noReview,
            "Won seven weeks ago, but nobody held the review: no lesson was captured for the next deal. Halyard's partner-sourced registration was rejected by Quarry and waits to be resubmitted as influenced."
        )
    }

    func meridian() -> DemoDeal {
        let name = "Meridian Health Partners"
        var s = DealScript(
            cast: cast, account: account(name), hostedBy: q, sellers: (0, 0),
            title: "Meridian: population health analytics with cloud workload protection",
            amount: usd(840_000),
            expectedClose: -24,
            customer: Customer(
                buyer: contact("Angela Moretti", "Chief Medical Information Officer", at: name),
                champion: contact("David Park", "VP Data Platforms", at: name),
                need:
                    "Population-health analytics across 30 hospitals in the cloud, with patient data protected to HIPAA and HITRUST.",
                timeline: "Decision by the end of the fiscal year; go-live for the winter season."),
            openedOn: -95)
        s.selectTarget(
            from: -95, hostNote: "12,400 employees, 40 TB of clinical data, Epic on Azure.",
            partnerNote: "Halyard customer for two years; the CISO sponsors cloud expansion.")
        s.advance(on: -91)
        s.openDoor(from: -91, by: .partner, .warmIntroduction, meetingOn: -82)
        s.advance(on: -81)
        s.discover(from: -81)
        s.advance(on: -72)
        s.pursue(
            from: -72, .proofOfConcept,
            "Proof of concept: readmission-risk model on Quarry, with Halyard protecting the PHI workloads.",
            decisionOn: -24)
        s.advance(on: -40)
        s.win(on: -24, registrationID: "QD-CS-00412", .partnerSourced)
        s.run(
            .recordReview(
                heldOn: clock.date(-16),
                attendees: [
                    q.partnerManager.name, h.partnerManager.name, s.hostSeller.name, s.partnerSeller.name,
                ],
                lessons: [
                    LessonDraft(
                        stageKey: CriterionKind.doorOpener.rawValue,
                        text:
                            "Halyard's warm introduction to the CMIO got the first meeting in nine days: ask Halyard's account team for the intro by name."
                    ),
                    LessonDraft(
                        stageKey: CriterionKind.jointDiscovery.rawValue,
                        text: "Writing the brief together on the discovery call saved a week of back-and-forth."
                    ),
                    LessonDraft(
                        stageKey: CriterionKind.jointPursuit.rawValue,
                        text:
                            "Putting the customer's CFO milestone in the one close plan kept the decision date from slipping."
                    ),
                ]),
            by: q.partnerManager, at: clock.at(-16, 15))
        s.done("review", at: clock.at(-16, 15, 30))
        s.run(.advance(overrideReason: nil), by: q.partnerManager, at: clock.at(-16, 16))
        return s.finish(
            "Won and completed the playbook: registered partner-sourced (Halyard opened the door) and reviewed with three lessons."
        )
    }
}
