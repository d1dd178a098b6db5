import CoSellDomain
import Foundation

/// Deterministic UUIDs for a context's `makeID`: 00000000-0000-0000-0000-<n>, counting up from `start`.
final class IDSequence: @unchecked Sendable {
    private let lock = NSLock()
    private var next: Int

    init(start: Int = 1_000) { next = start }

    func make() -> UUID {
        lock.lock()
        defer { lock.unlock() }
        let n = next
        next += 1
        return Fixture.id(n)
    }
}

/// A standard playbook, two organizations (and an outsider), people of each with every role, their
/// partnership, a joint account, and deals at any stage with chosen evidence. Fixed dates, fixed ids.
enum Fixture {
    static func id(_ n: Int) -> UUID {
        UUID(uuidString: String(format: "00000000-0000-0000-0000-%012d", n))!
    }

    /// 2026-01-05T09:00:00Z, the day the partnership and the playbook were made.
    static let t0 = Date(timeIntervalSince1970: 1_767_603_600)
    static func day(_ n: Int) -> Date { t0.addingTimeInterval(Double(n) * 86_400) }
    /// "Now" for most tests: sixty days after `t0`.
    static let now = day(60)

    static let playbook = Playbook.standard(id: id(1), createdAt: t0)
    static func stageIndex(_ kind: CriterionKind) -> Int {
        CriterionKind.allCases.firstIndex(of: kind)!
    }
    static func stage(_ kind: CriterionKind) -> Stage { playbook.stages[stageIndex(kind)] }

    static let hostOrg = Organization(
        id: id(10), name: "Northwind Analytics", domain: "northwind.example", createdAt: t0)
    static let partnerOrg = Organization(
        id: id(20), name: "Contoso Cloud", domain: "contoso.example", createdAt: t0)
    static let outsiderOrg = Organization(
        id: id(30), name: "Initech", domain: "initech.example", createdAt: t0)

    static let hostAdmin = Person(
        id: id(11), organizationID: hostOrg.id, name: "Hana Admin", email: "hana@northwind.example",
        role: .admin)
    static let hostManager = Person(
        id: id(12), organizationID: hostOrg.id, name: "Hugo Manager", email: "hugo@northwind.example",
        role: .partnerManager)
    static let hostSeller = Person(
        id: id(13), organizationID: hostOrg.id, name: "Hilde Seller", email: "hilde@northwind.example",
        role: .seller)
    static let hostViewer = Person(
        id: id(14), organizationID: hostOrg.id, name: "Harry Viewer", email: "harry@northwind.example",
        role: .viewer)
    static let partnerAdmin = Person(
        id: id(21), organizationID: partnerOrg.id, name: "Paula Admin", email: "paula@contoso.example",
        role: .admin)
    static let partnerManager = Person(
        id: id(22), organizationID: partnerOrg.id, name: "Pedro Manager",
        email: "pedro@contoso.example",
        role: .partnerManager)
    static let partnerSeller = Person(
        id: id(23), organizationID: partnerOrg.id, name: "Priya Seller", email: "priya@contoso.example",
        role: .seller)
    static let partnerViewer = Person(
        id: id(24), organizationID: partnerOrg.id, name: "Piet Viewer", email: "piet@contoso.example",
        role: .viewer)
    static let outsider = Person(
        id: id(31), organizationID: outsiderOrg.id, name: "Olga Outsider",
        email: "olga@initech.example", role: .admin)

    static let everyone = [
        hostAdmin, hostManager, hostSeller, hostViewer, partnerAdmin, partnerManager, partnerSeller,
        partnerViewer,
        outsider,
    ]
    static let people = Dictionary(uniqueKeysWithValues: everyone.map { ($0.id, $0) })

    static let partnership = Partnership(
        id: id(40), name: "Northwind + Contoso", organizationIDs: [hostOrg.id, partnerOrg.id],
        plan: CoSellPlan(
            segments: ["EMEA retail, 500-5000 employees"], namedAccountIDs: [id(50)],
            owners: [
                PlanOwner(organizationID: hostOrg.id, personID: hostManager.id),
                PlanOwner(organizationID: partnerOrg.id, personID: partnerManager.id),
            ],
            reviewWeekday: .tuesday),
        createdAt: t0)

    /// On the overlap: a customer of the partner, a prospect of the host.
    static let account = JointAccount(
        id: id(50), partnershipID: partnership.id, name: "Globex Retail", domain: "globex.example",
        country: "DE",
        industry: "Retail", employees: 2_400, origin: .overlap, reason: nil,
        populations: [
            AccountPopulation(organizationID: hostOrg.id, population: "prospect"),
            AccountPopulation(organizationID: partnerOrg.id, population: "customer"),
        ],
        createdAt: t0)

    /// Added by hand, not found in both CRMs.
    static let addedAccount = JointAccount(
        id: id(51), partnershipID: partnership.id, name: "Umbrella Logistics",
        domain: "umbrella.example",
        country: "NL", industry: "Logistics", employees: 900, origin: .added, reason: nil,
        populations: [],
        createdAt: t0)

    static func actor(_ p: Person) -> Actor { Actor(p) }

    static func context(now: Date = Fixture.now, ids: IDSequence = IDSequence()) -> DealContext {
        DealContext(playbook: playbook, people: people, now: now, makeID: { ids.make() })
    }

    static func usd(_ amount: String) -> Money {
        try! Money(amount: amount, currency: Currency(code: "USD")!)
    }
    static func date(_ text: String) -> LocalDate { LocalDate(text)! }

    // MARK: complete evidence, one stage at a time

    static let briefID = id(60)
    static let closePlanID = id(70)

    static var targetSelectionEvidence: TargetSelectionEvidence {
        TargetSelectionEvidence(
            icpFit: SidePair(
                host: IcpFitRecord(
                    fit: .strong, note: "Retail, 2,400 staff", recordedBy: hostSeller.id, recordedAt: day(1)),
                partner: IcpFitRecord(
                    fit: .strong, note: nil, recordedBy: partnerSeller.id, recordedAt: day(1))),
            commitments: SidePair(
                host: Signoff(personID: hostManager.id, personName: hostManager.name, at: day(2)),
                partner: Signoff(personID: partnerManager.id, personName: partnerManager.name, at: day(2))))
    }

    static let meetingAttendees = [
        Attendee(name: hostSeller.name, party: .host),
        Attendee(name: partnerSeller.name, party: .partner),
        Attendee(name: "Gina Buyer", party: .customer, title: "CFO"),
    ]

    static var doorOpenerEvidence: DoorOpenerEvidence {
        DoorOpenerEvidence(
            doorOpener: DoorOpenerMove(
                side: .partner, kind: .warmIntroduction, ownerID: partnerSeller.id,
                ownerName: partnerSeller.name,
                namedAt: day(4)),
            firstMeeting: JointMeeting(
                scheduledFor: day(12), attendees: meetingAttendees, bookedBy: partnerSeller.id,
                bookedAt: day(5)))
    }

    static let buyingProcess = BuyingProcess(
        steps: ["Technical evaluation", "Security review", "Board sign-off"],
        decisionMakers: ["Gina Buyer (CFO)"],
        timeline: "Decision by end of Q2")

    static var brief: AccountBrief {
        AccountBrief(
            id: briefID, writtenBy: .host, customerNeed: "Unify store and online inventory data",
            buyingProcess: buyingProcess,
            stakeholders: [Stakeholder(name: "Gina Buyer", title: "CFO", role: "economic buyer")],
            approvals: SidePair(
                host: Signoff(personID: hostSeller.id, personName: hostSeller.name, at: day(15)),
                partner: Signoff(personID: partnerSeller.id, personName: partnerSeller.name, at: day(15))),
            updatedAt: day(14))
    }

    static var jointDiscoveryEvidence: JointDiscoveryEvidence {
        JointDiscoveryEvidence(briefs: [brief])
    }

    static let milestones = [
        Milestone(
            title: "Proof of concept sign-off", ownerParty: .host, ownerName: hostSeller.name,
            dueOn: date("2026-03-15")),
        Milestone(
            title: "Integration plan", ownerParty: .partner, ownerName: partnerSeller.name,
            dueOn: date("2026-03-20")),
        Milestone(
            title: "Security review", ownerParty: .customer, ownerName: "Gina Buyer",
            dueOn: date("2026-03-31")),
    ]

    static var closePlan: ClosePlan {
        ClosePlan(
            id: closePlanID, writtenBy: .host, milestones: milestones, decisionDate: date("2026-04-30"),
            updatedAt: day(30))
    }

    static var jointPursuitEvidence: JointPursuitEvidence {
        JointPursuitEvidence(
            proof: ProofRecord(
                kind: .proofOfConcept, summary: "Four-week proof in two stores", recordedBy: hostSeller.id,
                recordedAt: day(28)),
            closePlans: [closePlan],
            customerConfirmation: CustomerConfirmation(
                confirmedBy: "Gina Buyer", confirmedAt: day(31), channel: .email,
                note: "Board meets 28 April",
                recordedBy: hostSeller.id))
    }

    static var closeEvidence: CloseEvidence {
        CloseEvidence(
            outcome: Outcome(
                result: .won, finalAmount: usd("250000.00"), closeDate: date("2026-02-25"), lossReason: nil,
                recordedBy: hostSeller.id, recordedAt: day(50)),
            registration: Registration(
                registrationID: "REG-0001", attribution: .partnerSourced, sourcedBy: .partner,
                registeredBy: partnerManager.id, registeredByName: partnerManager.name, registeredAt: day(51),
                status: .accepted, submittedBy: .partner, decidedBy: hostManager.id, decidedByName: hostManager.name,
                decidedAt: day(52), expiresOn: date("2026-05-31")),
            review: Review(
                heldOn: date("2026-02-27"), attendees: [hostManager.name, partnerManager.name],
                lessons: [
                    Lesson(
                        id: id(80), stageKey: CriterionKind.doorOpener.rawValue,
                        text: "Book the meeting in the intro e-mail.", authorID: hostManager.id,
                        createdAt: day(53))
                ]))
    }

    /// Every stage's evidence complete, for the stages up to and including `last`; later stages empty.
    static func evidence(through last: CriterionKind) -> DealEvidence {
        let n = stageIndex(last)
        var e = DealEvidence()
        if n >= 0 { e.targetSelection = targetSelectionEvidence }
        if n >= 1 { e.doorOpener = doorOpenerEvidence }
        if n >= 2 { e.jointDiscovery = jointDiscoveryEvidence }
        if n >= 3 { e.jointPursuit = jointPursuitEvidence }
        if n >= 4 { e.close = closeEvidence }
        return e
    }

    /// A deal at `stage` on the overlap account, hosted by `hostOrg`. By default the evidence is complete through
    /// `stage` (so its gate is open), earlier stages were passed, and the status follows the logged outcome.
    static func deal(
        at stage: CriterionKind,
        evidence: DealEvidence? = nil,
        status: DealStatus? = nil,
        skipped: Set<CriterionKind> = [],
        daysInStage: Int = 3,
        daysSinceActivity: Int = 1,
        moves: [DealMove] = [],
        now: Date = Fixture.now
    ) -> Deal {
        let index = stageIndex(stage)
        let evidence = evidence ?? self.evidence(through: stage)
        let status = status ?? evidence.close.outcome.map { $0.result == .won ? .won : .lost } ?? .open
        let entered = now.addingTimeInterval(-Double(daysInStage) * 86_400)
        let passages = CriterionKind.allCases.prefix(index).enumerated().map { i, kind in
            StagePassage(
                stageKey: kind.rawValue, enteredAt: day(i * 7), exitedAt: day(i * 7 + 7),
                exit: skipped.contains(kind) ? .skipped : .passed, by: hostAdmin.id,
                reason: skipped.contains(kind) ? "Customer asked to move fast" : nil, unmetAtExit: [])
        }
        return Deal(
            id: id(100), partnershipID: partnership.id, jointAccountID: account.id,
            accountName: account.name,
            accountOnOverlap: true, accountReason: nil, title: "Globex inventory unification",
            hostOrganizationID: hostOrg.id, partnerOrganizationID: partnerOrg.id, playbookID: playbook.id,
            playbookVersion: playbook.version, stageIndex: index, stageEnteredAt: entered,
            lastActivityAt: now.addingTimeInterval(-Double(daysSinceActivity) * 86_400), status: status,
            amount: usd("250000.00"), expectedCloseDate: date("2026-04-30"), moves: moves,
            evidence: evidence,
            passages: passages, createdAt: day(0), createdBy: hostManager.id)
    }

    /// Applies a command at `now` with a fresh deterministic id sequence.
    static func apply(
        _ command: DealCommand, to deal: Deal, by person: Person, now: Date = Fixture.now
    ) throws(DealError) -> (Deal, [DealChange]) {
        try DealEngine.apply(command, to: deal, by: actor(person), context: context(now: now))
    }

    /// The error a refused command throws, or nil when it was accepted.
    static func refusal(
        _ command: DealCommand, to deal: Deal, by person: Person, now: Date = Fixture.now
    ) -> DealError? {
        do {
            _ = try apply(command, to: deal, by: person, now: now)
            return nil
        } catch {
            return error
        }
    }

    /// Parses timeline JSON into a dictionary (nil for nil or non-object JSON).
    static func json(_ text: String?) -> [String: Any]? {
        guard let text, let data = text.data(using: .utf8) else { return nil }
        return (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
    }
}
