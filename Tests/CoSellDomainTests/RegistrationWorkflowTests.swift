import CoSellDomain
import Foundation
import Testing

/// Issue 14: a registration is submitted by one company and counts only once the other company
/// accepts it; a rejection carries a reason and the submitter may amend and resubmit; an accepted
/// registration holds for the partnership's period, lapses after it, and can be renewed.
@Suite("Registration workflow")
struct RegistrationWorkflowTests {
    /// Won at the last stage, reviewed, not registered.
    static var unregistered: Deal {
        var d = Fixture.deal(at: .closeRegisterReview)
        d.evidence.close.registration = nil
        return d
    }

    static let submit = DealCommand.register(
        registrationID: "HAL-2026-118", attribution: .partnerSourced, sourcedBy: .partner, opportunityID: "006-XYZ")

    static func context(validity: Int = 90, now: Date = Fixture.now) -> DealContext {
        DealContext(
            playbook: Fixture.playbook, people: Fixture.people, now: now, makeID: { UUID() },
            companyNames: SidePair(host: Fixture.hostOrg.name, partner: Fixture.partnerOrg.name),
            registrationValidityDays: validity)
    }

    static func apply(
        _ c: DealCommand, to d: Deal, by p: Person, validity: Int = 90, now: Date = Fixture.now
    ) throws(DealError) -> (Deal, [DealChange]) {
        try DealEngine.apply(c, to: d, by: Fixture.actor(p), context: context(validity: validity, now: now))
    }

    static func refusal(_ c: DealCommand, to d: Deal, by p: Person) -> DealError? {
        do {
            _ = try apply(c, to: d, by: p)
            return nil
        } catch { return error }
    }

    static func registrationPart(_ d: Deal) -> GatePart {
        Gate.evaluateCurrent(
            d, in: Fixture.playbook, names: SidePair(host: Fixture.hostOrg.name, partner: Fixture.partnerOrg.name)
        ).parts.first { $0.key == "registration" }!
    }

    /// Submitted by Halyard's (the partner's) manager.
    static func pending() throws -> Deal { try apply(submit, to: unregistered, by: Fixture.partnerManager).0 }

    @Test("a submission is pending: the gate waits for the other company, and the action waits on its managers")
    func submissionIsPending() throws {
        let (d, changes) = try Self.apply(Self.submit, to: Self.unregistered, by: Fixture.partnerSeller)
        let reg = try #require(d.evidence.close.registration)
        #expect(reg.status == .pending)
        #expect(reg.submittedBy == .partner)
        #expect(reg.decidingSide == .host)
        #expect(reg.opportunityID == "006-XYZ")
        #expect(changes.first?.kind == "registered")
        #expect(changes.first?.summary.contains("waits for \(Fixture.hostOrg.name)'s acceptance") == true)
        let part = Self.registrationPart(d)
        #expect(!part.met)
        #expect(part.missing == "Registration HAL-2026-118 waits for \(Fixture.hostOrg.name)'s acceptance.")
        let actions = NextActions.of(
            d, playbook: Fixture.playbook,
            companyNames: [Fixture.hostOrg.id: Fixture.hostOrg.name, Fixture.partnerOrg.id: Fixture.partnerOrg.name],
            today: LocalDate(Fixture.now))
        let accept = try #require(actions.first { $0.part == "registration_accepted" })
        #expect(accept.operation == "acceptRegistration")
        #expect(accept.organizationIDs == [Fixture.hostOrg.id])
        #expect(accept.title.hasPrefix("\(Fixture.hostOrg.name): accept the registration"))
        #expect(accept.missing == part.missing)
        // Only the deciding company's partner managers and admins are asked.
        #expect(accept.mayAct(Fixture.hostManager, isOnDeal: true))
        #expect(accept.mayAct(Fixture.hostAdmin, isOnDeal: false))
        #expect(!accept.mayAct(Fixture.hostSeller, isOnDeal: true))
        #expect(!accept.mayAct(Fixture.partnerManager, isOnDeal: true))
    }

    @Test("the deciding company's partner manager is told by mail; the submitter's company is not")
    func deciderIsTold() throws {
        let before = Self.unregistered
        let (after, _) = try Self.apply(Self.submit, to: before, by: Fixture.partnerManager)
        let notes = Notifications.afterChange(
            from: before, to: after, playbook: Fixture.playbook, people: Fixture.everyone,
            companyNames: [Fixture.hostOrg.id: Fixture.hostOrg.name, Fixture.partnerOrg.id: Fixture.partnerOrg.name],
            actorID: Fixture.partnerManager.id, today: LocalDate(Fixture.now))
        let told = notes.filter { $0.kind == .actionWaiting }
        #expect(told.map(\.personID) == [Fixture.hostManager.id])
        #expect(told.first?.subject.contains("accept the registration") == true)
    }

    struct DecisionCase: CustomTestStringConvertible, Sendable {
        let name: String
        let person: Person
        let command: DealCommand
        /// nil: accepted; else the refusal's kind ("forbidden", "conflict", "invalid").
        let refused: String?
        var testDescription: String { name }
    }

    static let decisions: [DecisionCase] = [
        .init(
            name: "the deciding company's manager accepts", person: Fixture.hostManager, command: .acceptRegistration,
            refused: nil),
        .init(
            name: "the deciding company's admin accepts", person: Fixture.hostAdmin, command: .acceptRegistration,
            refused: nil),
        .init(
            name: "a seller of the deciding company", person: Fixture.hostSeller, command: .acceptRegistration,
            refused: "forbidden"),
        .init(
            name: "a viewer of the deciding company", person: Fixture.hostViewer, command: .acceptRegistration,
            refused: "forbidden"),
        .init(
            name: "the submitting company's manager", person: Fixture.partnerManager, command: .acceptRegistration,
            refused: "forbidden"),
        .init(
            name: "the submitting company's admin", person: Fixture.partnerAdmin, command: .acceptRegistration,
            refused: "forbidden"),
        .init(name: "an outsider", person: Fixture.outsider, command: .acceptRegistration, refused: "forbidden"),
        .init(
            name: "a rejection with a reason", person: Fixture.hostManager,
            command: .rejectRegistration(reason: "We had this opportunity open before the introduction."), refused: nil),
        .init(
            name: "a rejection without a reason", person: Fixture.hostManager,
            command: .rejectRegistration(reason: " "), refused: "invalid"),
        .init(
            name: "a rejection by the submitter", person: Fixture.partnerManager,
            command: .rejectRegistration(reason: "Changed our mind about it."), refused: "forbidden"),
        .init(
            name: "a renewal of a pending registration", person: Fixture.hostManager, command: .renewRegistration,
            refused: "conflict"),
    ]

    @Test("who may decide on a pending registration", arguments: decisions)
    func whoDecides(_ c: DecisionCase) throws {
        let pending = try Self.pending()
        let error = Self.refusal(c.command, to: pending, by: c.person)
        if let refused = c.refused {
            _ = expectRefusal(error, refused)
        } else {
            #expect(error == nil, "\(String(describing: error))")
        }
    }

    @Test("acceptance: the gate part is met, and the registration holds for the partnership's period")
    func acceptance() throws {
        let (d, changes) = try Self.apply(
            .acceptRegistration, to: try Self.pending(), by: Fixture.hostManager, validity: 30)
        let reg = try #require(d.evidence.close.registration)
        #expect(reg.status == .accepted)
        #expect(reg.decidedBy == Fixture.hostManager.id)
        #expect(reg.expiresOn == LocalDate(Fixture.now.addingTimeInterval(30 * 86_400)))
        #expect(changes.first?.kind == "registration_accepted")
        #expect(Self.registrationPart(d).met)
        // A second decision, or a resubmission of the accepted one, is refused.
        _ = expectRefusal(Self.refusal(.acceptRegistration, to: d, by: Fixture.hostManager), "conflict")
        _ = expectRefusal(
            Self.refusal(.rejectRegistration(reason: "Too late for this"), to: d, by: Fixture.hostManager), "conflict")
        _ = expectRefusal(Self.refusal(Self.submit, to: d, by: Fixture.partnerManager), "conflict")
    }

    @Test("rejection: the reason is shown, the submitter amends and resubmits, and it is pending again")
    func rejectionAndResubmission() throws {
        // The playbook's "register" move is Northwind's (the host's), owned by its partner manager.
        var pending = try Self.pending()
        pending.moves = [
            DealMove(
                id: Fixture.id(900), stageKey: CriterionKind.closeRegisterReview.rawValue, templateKey: "register",
                description: "Register the joint opportunity, sourced or influenced", side: .host,
                ownerID: Fixture.hostManager.id)
        ]
        let (rejected, _) = try Self.apply(
            .rejectRegistration(reason: "Resubmit as influenced: we had it open."), to: pending,
            by: Fixture.hostManager)
        let part = Self.registrationPart(rejected)
        #expect(!part.met)
        #expect(part.missing?.contains("rejected by \(Fixture.hostOrg.name): Resubmit as influenced") == true)
        let actions = NextActions.of(
            rejected, playbook: Fixture.playbook, companyNames: [:], today: LocalDate(Fixture.now))
        let resubmit = try #require(actions.first { $0.part == "registration" })
        #expect(resubmit.organizationIDs == [Fixture.partnerOrg.id])
        // It waits on Contoso's people, whoever owns the host's "register" move.
        #expect(resubmit.ownerID == nil)
        #expect(resubmit.waits(on: Fixture.partnerManager, isOnDeal: true))
        #expect(resubmit.operation == "register")
        let amended = DealCommand.register(
            registrationID: "HAL-2026-118", attribution: .partnerInfluenced, sourcedBy: .host, opportunityID: nil)
        let (again, changes) = try Self.apply(amended, to: rejected, by: Fixture.partnerManager)
        let reg = try #require(again.evidence.close.registration)
        #expect(reg.status == .pending)
        #expect(reg.attribution == .partnerInfluenced)
        #expect(reg.rejectionReason == nil && reg.decidedBy == nil)
        #expect(changes.first?.kind == "registration_resubmitted")
    }

    @Test("while pending: the submitter may amend it, the other company decides instead of submitting its own")
    func amendWhilePending() throws {
        let pending = try Self.pending()
        // The same values again change nothing.
        _ = expectRefusal(Self.refusal(Self.submit, to: pending, by: Fixture.partnerSeller), "invalid")
        let (amended, _) = try Self.apply(
            .register(registrationID: "HAL-2026-119", attribution: .partnerSourced, sourcedBy: .partner),
            to: pending, by: Fixture.partnerSeller)
        #expect(amended.evidence.close.registration?.registrationID == "HAL-2026-119")
        #expect(amended.evidence.close.registration?.status == .pending)
        let own = DealCommand.register(registrationID: "QD-1", attribution: .partnerInfluenced, sourcedBy: .host)
        let message = expectRefusal(Self.refusal(own, to: pending, by: Fixture.hostManager), "conflict")
        #expect(message?.contains("accept it or reject it") == true)
    }

    @Test("expiry: a win closed after the expiry is lapsed until the accepting company renews it")
    func lapseAndRenewal() throws {
        // Accepted on day 10 for 30 days: it expires on day 40; the fixture's win closed on 2026-02-25 (day 51).
        let (accepted, _) = try Self.apply(
            .acceptRegistration, to: try Self.pending(), by: Fixture.hostManager, validity: 30, now: Fixture.day(10))
        let reg = try #require(accepted.evidence.close.registration)
        #expect(reg.expiresOn == LocalDate(Fixture.day(40)))
        #expect(reg.isLapsed(on: LocalDate(Fixture.now), wonOn: Fixture.date("2026-02-25")))
        #expect(reg.state(on: LocalDate(Fixture.now), wonOn: Fixture.date("2026-02-25")) == .lapsed)
        // Won before the expiry: it held, whatever the day.
        #expect(!reg.isLapsed(on: LocalDate(Fixture.day(300)), wonOn: LocalDate(Fixture.day(39))))
        let part = Self.registrationPart(accepted)
        #expect(!part.met)
        #expect(part.missing?.contains("lapsed on \(LocalDate(Fixture.day(40)))") == true)
        let actions = NextActions.of(
            accepted, playbook: Fixture.playbook, companyNames: [:], today: LocalDate(Fixture.now))
        let renew = try #require(actions.first { $0.part == "registration_renewal" })
        #expect(renew.operation == "renewRegistration")
        #expect(renew.organizationIDs == [Fixture.hostOrg.id])
        _ = expectRefusal(Self.refusal(.renewRegistration, to: accepted, by: Fixture.partnerManager), "forbidden")
        let (renewed, changes) = try Self.apply(.renewRegistration, to: accepted, by: Fixture.hostAdmin, validity: 30)
        #expect(
            renewed.evidence.close.registration?.expiresOn == LocalDate(Fixture.now.addingTimeInterval(30 * 86_400)))
        #expect(changes.first?.summary.contains("renewed the lapsed registration") == true)
        #expect(Self.registrationPart(renewed).met)
        // Renewing again the same day, for the same period, moves nothing.
        #expect(throws: DealError.self) {
            try Self.apply(.renewRegistration, to: renewed, by: Fixture.hostAdmin, validity: 30)
        }
    }

    @Test("a lost deal needs no registration, whatever its state")
    func lostNeedsNone() throws {
        var lost = try Self.pending()
        lost.evidence.close.outcome?.result = .lost
        lost.status = .lost
        #expect(Self.registrationPart(lost).met)
    }

    @Test("a registration submitted before the last stage waits on the other company at once")
    func earlyRegistration() throws {
        let early = Fixture.deal(at: .jointDiscovery)
        let (d, _) = try Self.apply(Self.submit, to: early, by: Fixture.partnerManager)
        let pending = NextActions.pending(d, playbook: Fixture.playbook)
        #expect(pending.contains { $0.part == "registration_accepted" && $0.sides == [.host] })
        let (accepted, _) = try Self.apply(.acceptRegistration, to: d, by: Fixture.hostManager)
        #expect(
            !NextActions.pending(accepted, playbook: Fixture.playbook).contains { $0.part == "registration_accepted" })
    }

    @Test("a registration stored before the workflow reads as accepted, and is not decided again")
    func legacyRegistration() throws {
        let json = """
            {"registrationID":"OLD-1","attribution":"partner_sourced","sourcedBy":"partner",\
            "registeredBy":"\(Fixture.hostManager.id.uuidString)","registeredByName":"Hugo Manager",\
            "registeredAt":0}
            """
        let reg = try JSONDecoder().decode(Registration.self, from: Data(json.utf8))
        #expect(reg.status == .accepted)
        #expect(reg.submittedBy == nil)
        var d = Self.unregistered
        d.evidence.close.registration = reg
        #expect(Self.registrationPart(d).met)
        _ = expectRefusal(Self.refusal(.acceptRegistration, to: d, by: Fixture.partnerManager), "conflict")
    }

    @Test(
        "only an accepted registration that held on the close date is partner revenue",
        arguments: [
            (RegistrationStatus.accepted, 60, true), (.accepted, 10, false), (.pending, 60, false),
            (.rejected, 60, false),
        ])
    func revenueCountsAccepted(status: RegistrationStatus, validDays: Int, counted: Bool) throws {
        var d = Fixture.deal(at: .closeRegisterReview)
        var reg = try #require(d.evidence.close.registration)
        reg.status = status
        // The win closed on 2026-02-25; accepted on 2026-02-01 for `validDays`.
        reg.expiresOn = status == .accepted ? Fixture.date("2026-02-01").adding(days: validDays) : nil
        d.evidence.close.registration = reg
        let report = Reports.partnerRevenue(
            deals: [d], rates: ExchangeRateTable(reportingCurrency: Fixture.usd("1").currency, entries: []))
        #expect(report.rows.count == (counted ? 1 : 0))
        #expect(report.unattributed.count == (counted ? 0 : 1))
    }
}

extension LocalDate {
    fileprivate func adding(days: Int) -> LocalDate {
        LocalDate(startOfDay.addingTimeInterval(Double(days) * 86_400))
    }
}
