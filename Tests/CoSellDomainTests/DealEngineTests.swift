import CoSellDomain
import Foundation
import Testing

/// Asserts a refusal of the expected kind and returns its field (for `.invalid`/`.notFound`) or message.
private func expectRefusal(
    _ error: DealError?, _ expected: String, sourceLocation: SourceLocation = #_sourceLocation
) -> String? {
    switch (error, expected) {
    case (.forbidden(let m)?, "forbidden"), (.conflict(let m)?, "conflict"): return m
    case (.invalid(let f, _)?, "invalid"), (.notFound(let f, _)?, "notFound"): return f
    case (.gateClosed(let r)?, "gateClosed"): return r.stageKey
    default:
        Issue.record(
            "expected \(expected), got \(String(describing: error))", sourceLocation: sourceLocation)
        return nil
    }
}

@Suite("Deal engine: who may record what")
struct SideRulesTests {
    static let writers = [
        Fixture.hostAdmin, Fixture.hostManager, Fixture.hostSeller, Fixture.partnerAdmin,
        Fixture.partnerManager,
        Fixture.partnerSeller,
    ]

    static func side(of p: Person) -> Side {
        p.organizationID == Fixture.hostOrg.id ? .host : .partner
    }

    @Test(arguments: writers, Fit.allCases)
    func icpFitIsRecordedForTheActorsOwnSideOnly(_ person: Person, _ fit: Fit) throws {
        let deal = Fixture.deal(at: .targetAccountSelection, evidence: DealEvidence())
        let (after, changes) = try Fixture.apply(
            .recordIcpFit(fit: fit, note: "checked"), to: deal, by: person)
        let own = Self.side(of: person)
        let record = try #require(after.evidence.targetSelection.icpFit[own])
        #expect(record.fit == fit)
        #expect(record.recordedBy == person.id)
        #expect(record.recordedAt == Fixture.now)
        #expect(after.evidence.targetSelection.icpFit[own.other] == nil)
        #expect(changes.map(\.kind) == ["icp_fit_recorded"])
    }

    @Test(arguments: writers)
    func aCommitmentIsRecordedForTheActorsOwnSideOnly(_ person: Person) throws {
        let deal = Fixture.deal(at: .targetAccountSelection, evidence: DealEvidence())
        let (after, _) = try Fixture.apply(.commit, to: deal, by: person)
        let own = Self.side(of: person)
        #expect(
            after.evidence.targetSelection.commitments[own]
                == Signoff(personID: person.id, personName: person.name, at: Fixture.now))
        #expect(after.evidence.targetSelection.commitments[own.other] == nil)
    }

    @Test(arguments: writers)
    func anApprovalIsRecordedForTheActorsOwnSideOnly(_ person: Person) throws {
        var deal = Fixture.deal(at: .jointDiscovery)
        deal.evidence.jointDiscovery.briefs[0].approvals = .init()
        let (after, _) = try Fixture.apply(
            .approveBrief(briefID: Fixture.briefID), to: deal, by: person)
        let approvals = after.evidence.jointDiscovery.briefs[0].approvals
        let own = Self.side(of: person)
        #expect(approvals[own]?.personID == person.id)
        #expect(approvals[own.other] == nil)
    }

    @Test func bothSidesCommittingOpensTheFirstGateTogetherWithFit() throws {
        var deal = Fixture.deal(at: .targetAccountSelection, evidence: DealEvidence())
        for (person, command) in [
            (Fixture.hostSeller, DealCommand.recordIcpFit(fit: .strong, note: nil)),
            (Fixture.partnerSeller, .recordIcpFit(fit: .partial, note: nil)),
            (Fixture.hostManager, .commit),
        ] {
            deal = try Fixture.apply(command, to: deal, by: person).0
        }
        #expect(
            Gate.evaluateCurrent(deal, in: Fixture.playbook).unmet.map(\.key) == ["partner_commitment"])
        deal = try Fixture.apply(.commit, to: deal, by: Fixture.partnerManager).0
        #expect(Gate.evaluateCurrent(deal, in: Fixture.playbook).isOpen)
    }

    /// Either organization can host: the same person is on the host side of one deal and the partner side of another.
    @Test func theSideFollowsTheDealsHostNotTheOrganization() throws {
        let (deal, _) = try DealEngine.open(
            id: Fixture.id(200), partnership: Fixture.partnership, account: Fixture.account,
            title: "Contoso-hosted",
            hostOrganizationID: Fixture.partnerOrg.id, reason: nil, amount: nil, expectedCloseDate: nil,
            actor: Fixture.actor(Fixture.partnerSeller), context: Fixture.context())
        #expect(deal.hostOrganizationID == Fixture.partnerOrg.id)
        #expect(deal.partnerOrganizationID == Fixture.hostOrg.id)
        let (after, _) = try Fixture.apply(.commit, to: deal, by: Fixture.partnerSeller)
        #expect(after.evidence.targetSelection.commitments.host?.personID == Fixture.partnerSeller.id)
        #expect(after.evidence.targetSelection.commitments.partner == nil)
    }

    struct OwnerCase: Sendable, CustomTestStringConvertible {
        var side: Side
        var owner: Person
        var accepted: Bool
        var testDescription: String { "\(side) door-opener owned by \(owner.name)" }
    }

    @Test(arguments: [
        OwnerCase(side: .partner, owner: Fixture.partnerSeller, accepted: true),
        OwnerCase(side: .partner, owner: Fixture.partnerViewer, accepted: true),
        OwnerCase(side: .partner, owner: Fixture.hostSeller, accepted: false),
        OwnerCase(side: .host, owner: Fixture.hostManager, accepted: true),
        OwnerCase(side: .host, owner: Fixture.partnerManager, accepted: false),
        OwnerCase(side: .host, owner: Fixture.outsider, accepted: false),
    ])
    func theDoorOpenerOwnerIsAPersonOfTheNamedSidesCompany(_ c: OwnerCase) throws {
        let deal = Fixture.deal(
            at: .doorOpener, evidence: Fixture.evidence(through: .targetAccountSelection))
        let command = DealCommand.nameDoorOpener(
            side: c.side, kind: .customerReferral, ownerID: c.owner.id)
        if c.accepted {
            let (after, changes) = try Fixture.apply(command, to: deal, by: Fixture.hostManager)
            let move = try #require(after.evidence.doorOpener.doorOpener)
            #expect(
                move
                    == DoorOpenerMove(
                        side: c.side, kind: .customerReferral, ownerID: c.owner.id, ownerName: c.owner.name,
                        namedAt: Fixture.now))
            #expect(changes[0].summary.contains(c.owner.name))
        } else {
            let refusal = Fixture.refusal(command, to: deal, by: Fixture.hostManager)
            #expect(expectRefusal(refusal, "invalid") == "owner_id")
            #expect(refusal?.message.contains(c.owner.name) == true)
        }
    }

    @Test func anUnknownDoorOpenerOwnerIsNotFound() {
        let deal = Fixture.deal(
            at: .doorOpener, evidence: Fixture.evidence(through: .targetAccountSelection))
        let refusal = Fixture.refusal(
            .nameDoorOpener(side: .host, kind: .warmIntroduction, ownerID: Fixture.id(999)), to: deal,
            by: Fixture.hostManager)
        #expect(expectRefusal(refusal, "notFound") == "owner_id")
    }

    @Test func aDoorOpenerMovesOwnerMustBeOnTheDoorOpenerSide() throws {
        let deal = Fixture.deal(at: .doorOpener)  // the partner side is the door-opener
        let (withMove, _) = try Fixture.apply(
            .addMove(
                stageKey: "door_opener", description: "Send the intro e-mail", side: .doorOpener,
                ownerID: nil, dueOn: nil),
            to: deal, by: Fixture.hostSeller)
        let moveID = try #require(withMove.moves.last?.id)
        #expect(
            expectRefusal(
                Fixture.refusal(
                    .updateMove(moveID: moveID, ownerID: Fixture.hostSeller.id, dueOn: nil, done: nil),
                    to: withMove, by: Fixture.hostSeller),
                "invalid") == "owner_id")
        let (owned, _) = try Fixture.apply(
            .updateMove(moveID: moveID, ownerID: Fixture.partnerSeller.id, dueOn: nil, done: nil),
            to: withMove,
            by: Fixture.hostSeller)
        #expect(owned.moves.last?.ownerName == Fixture.partnerSeller.name)
    }

    @Test(arguments: [
        (MoveSide.host, Fixture.partnerSeller, false), (.host, Fixture.hostSeller, true),
        (.partner, Fixture.hostSeller, false), (.partner, Fixture.partnerViewer, true),
        (.both, Fixture.outsider, false), (.both, Fixture.partnerSeller, true),
    ])
    func aMoveOwnerIsOfTheMovesSide(_ side: MoveSide, _ owner: Person, _ accepted: Bool) {
        let command = DealCommand.addMove(
            stageKey: "joint_discovery", description: "Send the agenda", side: side, ownerID: owner.id,
            dueOn: Fixture.date("2026-03-10"))
        let refusal = Fixture.refusal(
            command, to: Fixture.deal(at: .jointDiscovery), by: Fixture.hostSeller)
        if accepted {
            #expect(refusal == nil)
        } else {
            #expect(expectRefusal(refusal, "invalid") == "owner_id")
        }
    }

    static let writeCommands: [DealCommand] = [
        .updateDetails(title: "New title", amount: nil, expectedCloseDate: nil),
        .recordIcpFit(fit: .strong, note: nil),
        .commit,
        .nameDoorOpener(side: .host, kind: .warmIntroduction, ownerID: Fixture.hostSeller.id),
        .bookFirstMeeting(scheduledFor: Fixture.day(70), attendees: Fixture.meetingAttendees),
        .approveBrief(briefID: Fixture.briefID),
        .recordProof(kind: .pilot, summary: "Pilot"),
        .register(registrationID: "REG-9", attribution: .partnerInfluenced, sourcedBy: .host),
        .addMove(stageKey: "door_opener", description: "Call", side: .both, ownerID: nil, dueOn: nil),
        .advance(overrideReason: nil),
        .advance(overrideReason: "An admin-looking override"),
        .moveBack(reason: "Discovery was thin"),
        .abandon(reason: "Customer froze budgets"),
    ]

    @Test(arguments: [Fixture.hostViewer, Fixture.partnerViewer], writeCommands)
    func viewersCannotWrite(_ viewer: Person, _ command: DealCommand) {
        let refusal = Fixture.refusal(command, to: Fixture.deal(at: .jointDiscovery), by: viewer)
        #expect(expectRefusal(refusal, "forbidden")?.contains("viewer") == true)
    }

    @Test(arguments: writeCommands)
    func peopleOutsideTheTwoCompaniesCannotWrite(_ command: DealCommand) {
        let refusal = Fixture.refusal(
            command, to: Fixture.deal(at: .jointDiscovery), by: Fixture.outsider)
        #expect(expectRefusal(refusal, "forbidden")?.contains("two companies") == true)
    }

    @Test func aViewerCannotOpenADeal() {
        #expect(throws: DealError.forbidden("A viewer cannot open deals.")) {
            try DealEngine.open(
                id: Fixture.id(200), partnership: Fixture.partnership, account: Fixture.account, title: "T",
                hostOrganizationID: Fixture.hostOrg.id, reason: nil, amount: nil, expectedCloseDate: nil,
                actor: Fixture.actor(Fixture.hostViewer), context: Fixture.context())
        }
    }

    @Test func anOutsiderCannotOpenADealInThePartnership() {
        #expect(throws: DealError.self) {
            try DealEngine.open(
                id: Fixture.id(200), partnership: Fixture.partnership, account: Fixture.account, title: "T",
                hostOrganizationID: Fixture.hostOrg.id, reason: nil, amount: nil, expectedCloseDate: nil,
                actor: Fixture.actor(Fixture.outsider), context: Fixture.context())
        }
    }
}

@Suite("Deal engine: opening a deal")
struct OpenDealTests {
    static func open(
        account: JointAccount = Fixture.account, reason: String? = nil, host: UUID = Fixture.hostOrg.id,
        partnership: Partnership = Fixture.partnership, amount: Money? = nil
    ) throws(DealError) -> (Deal, DealChange) {
        try DealEngine.open(
            id: Fixture.id(200), partnership: partnership, account: account,
            title: "  Globex expansion  ",
            hostOrganizationID: host, reason: reason, amount: amount,
            expectedCloseDate: Fixture.date("2026-06-30"),
            actor: Fixture.actor(Fixture.hostManager), context: Fixture.context(now: Fixture.t0))
    }

    @Test func aNewDealStartsAtTheFirstStageWithItsMoves() throws {
        let (deal, change) = try Self.open(amount: Fixture.usd("1000"))
        #expect(deal.stageIndex == 0)
        #expect(deal.status == .open)
        #expect(deal.title == "Globex expansion")
        #expect(deal.accountOnOverlap)
        #expect(deal.partnerOrganizationID == Fixture.partnerOrg.id)
        #expect(deal.playbookID == Fixture.playbook.id && deal.playbookVersion == 1)
        #expect(deal.stageEnteredAt == Fixture.t0 && deal.lastActivityAt == Fixture.t0)
        let first = Fixture.playbook.stages[0]
        #expect(deal.moves.map(\.templateKey) == first.moves.map(\.key))
        #expect(deal.moves.map(\.id) == [Fixture.id(1_000), Fixture.id(1_001), Fixture.id(1_002)])
        #expect(
            deal.moves.map(\.dueOn) == [
                Fixture.date("2026-01-08"), Fixture.date("2026-01-10"), Fixture.date("2026-01-10"),
            ])
        #expect(change.kind == "deal_opened")
        #expect(change.before == nil)
        #expect(Fixture.json(change.after)?["title"] as? String == "Globex expansion")
    }

    @Test(arguments: [nil, "", "   "] as [String?])
    func anAccountOffTheOverlapNeedsAReason(_ reason: String?) {
        do {
            _ = try Self.open(account: Fixture.addedAccount, reason: reason)
            Issue.record("opened off the overlap without a reason")
        } catch {
            #expect(expectRefusal(error, "invalid") == "reason")
        }
    }

    @Test func anAccountOffTheOverlapWithAReasonRecordsIt() throws {
        let (deal, _) = try Self.open(
            account: Fixture.addedAccount, reason: " Expanding into our segment ")
        #expect(!deal.accountOnOverlap)
        #expect(deal.accountReason == "Expanding into our segment")
    }

    @Test func theHostMustBeOneOfThePartnershipsOrganizations() {
        do {
            _ = try Self.open(host: Fixture.outsiderOrg.id)
            Issue.record("opened with an outsider host")
        } catch {
            #expect(expectRefusal(error, "invalid") == "host_organization_id")
        }
    }

    @Test func anEndedPartnershipStartsNoDeals() {
        var ended = Fixture.partnership
        ended.status = .ended
        do {
            _ = try Self.open(partnership: ended)
            Issue.record("opened in an ended partnership")
        } catch {
            #expect(expectRefusal(error, "conflict") != nil)
        }
    }

    @Test func aNegativeAmountIsInvalid() {
        do {
            _ = try Self.open(amount: Fixture.usd("-1"))
            Issue.record("opened with a negative amount")
        } catch {
            #expect(expectRefusal(error, "invalid") == "amount.amount")
        }
    }
}

@Suite("Deal engine: moving through the playbook")
struct LifecycleTests {
    @Test(arguments: ["", "  ", "no", "\n\n"])
    func movingBackNeedsAReason(_ reason: String) {
        let refusal = Fixture.refusal(
            .moveBack(reason: reason), to: Fixture.deal(at: .jointDiscovery), by: Fixture.hostSeller)
        #expect(expectRefusal(refusal, "invalid") == "reason")
    }

    @Test func movingBackCannotGoBeforeTheFirstStage() {
        let refusal = Fixture.refusal(
            .moveBack(reason: "Start over"), to: Fixture.deal(at: .targetAccountSelection),
            by: Fixture.hostSeller)
        #expect(expectRefusal(refusal, "conflict")?.contains("first stage") == true)
    }

    @Test(arguments: CriterionKind.allCases.dropFirst())
    func movingBackGoesOneStageBackAndSaysWhy(_ kind: CriterionKind) throws {
        var deal = Fixture.deal(at: kind)
        deal.status = .open
        let (after, changes) = try Fixture.apply(
            .moveBack(reason: "  The buyer changed  "), to: deal, by: Fixture.partnerSeller)
        let index = Fixture.stageIndex(kind)
        #expect(after.stageIndex == index - 1)
        #expect(after.stageEnteredAt == Fixture.now)
        #expect(after.passages == deal.passages)
        #expect(changes.map(\.kind) == ["moved_back"])
        #expect(changes[0].summary.hasSuffix(": The buyer changed"))
        #expect(Fixture.json(changes[0].before)?["stage"] as? String == kind.rawValue)
        #expect(
            Fixture.json(changes[0].after)?["stage"] as? String == Fixture.playbook.stages[index - 1].key)
    }

    @Test func aWonDealDoesNotMoveBack() {
        let refusal = Fixture.refusal(
            .moveBack(reason: "Reopen discovery"), to: Fixture.deal(at: .closeRegisterReview),
            by: Fixture.hostSeller)
        #expect(expectRefusal(refusal, "conflict") != nil)
    }

    @Test func abandoningNeedsAReasonAndEndsTheDeal() throws {
        let deal = Fixture.deal(at: .jointPursuit)
        #expect(
            expectRefusal(
                Fixture.refusal(.abandon(reason: " "), to: deal, by: Fixture.hostSeller), "invalid")
                == "reason")
        let (after, changes) = try Fixture.apply(
            .abandon(reason: "Customer froze budgets"), to: deal, by: Fixture.hostSeller)
        #expect(after.status == .abandoned)
        #expect(after.statusReason == "Customer froze budgets")
        #expect(!after.isInPlay)
        #expect(changes.map(\.kind) == ["abandoned"])
        #expect(changes[0].before == "\"open\"" && changes[0].after == "\"abandoned\"")
        // Nothing more happens to an abandoned deal.
        for command in [
            DealCommand.abandon(reason: "Again, really"), .advance(overrideReason: nil), .commit,
            .recordProof(kind: .pilot, summary: "Pilot"),
        ] {
            #expect(
                expectRefusal(Fixture.refusal(command, to: after, by: Fixture.hostAdmin), "conflict") != nil
            )
        }
    }

    static let outcomeDate = Fixture.date("2026-03-01")

    @Test(arguments: CriterionKind.allCases)
    func aWinIsLoggedOnlyAtTheLastStage(_ kind: CriterionKind) throws {
        let deal = Fixture.deal(at: kind, evidence: DealEvidence(), status: .open)
        let command = DealCommand.recordOutcome(
            result: .won, finalAmount: Fixture.usd("240000"), closeDate: Self.outcomeDate, lossReason: nil
        )
        if kind == .closeRegisterReview {
            let (after, changes) = try Fixture.apply(command, to: deal, by: Fixture.hostSeller)
            #expect(after.status == .won)
            #expect(after.evidence.close.outcome?.finalAmount == Fixture.usd("240000"))
            #expect(changes[0].summary.contains("240000.00 USD"))
        } else {
            #expect(
                expectRefusal(Fixture.refusal(command, to: deal, by: Fixture.hostSeller), "conflict")?
                    .contains("advance the deal there first") == true)
        }
    }

    @Test(arguments: CriterionKind.allCases)
    func aLossIsLoggedAtAnyStage(_ kind: CriterionKind) throws {
        let deal = Fixture.deal(at: kind, evidence: DealEvidence(), status: .open)
        let (after, _) = try Fixture.apply(
            .recordOutcome(
                result: .lost, finalAmount: Fixture.usd("0"), closeDate: Self.outcomeDate,
                lossReason: "Chose a competitor"),
            to: deal, by: Fixture.partnerSeller)
        #expect(after.status == .lost)
        #expect(after.stageIndex == deal.stageIndex)
        #expect(after.evidence.close.outcome?.lossReason == "Chose a competitor")
    }

    @Test func anOutcomeCannotCloseInTheFutureOrBeNegative() {
        let deal = Fixture.deal(at: .closeRegisterReview, evidence: DealEvidence(), status: .open)
        let future = DealCommand.recordOutcome(
            result: .won, finalAmount: Fixture.usd("1"), closeDate: Fixture.date("2026-03-08"),
            lossReason: nil)
        #expect(
            expectRefusal(Fixture.refusal(future, to: deal, by: Fixture.hostSeller), "invalid")
                == "close_date")
        let negative = DealCommand.recordOutcome(
            result: .won, finalAmount: Fixture.usd("-1"), closeDate: Self.outcomeDate, lossReason: nil)
        #expect(
            expectRefusal(Fixture.refusal(negative, to: deal, by: Fixture.hostSeller), "invalid")
                == "final_amount.amount")
    }

    @Test func aReviewNeedsALoggedOutcome() {
        var deal = Fixture.deal(at: .closeRegisterReview, status: .open)
        deal.evidence.close = CloseEvidence()
        let command = DealCommand.recordReview(
            heldOn: Self.outcomeDate, attendees: ["Hugo"],
            lessons: [LessonDraft(stageKey: "door_opener", text: "Intro earlier")])
        #expect(
            expectRefusal(Fixture.refusal(command, to: deal, by: Fixture.hostManager), "conflict")?
                .contains("outcome") == true)
    }

    @Test func aReviewsLessonsAreTiedToStagesOfThePlaybook() throws {
        var deal = Fixture.deal(at: .closeRegisterReview)
        deal.evidence.close.review = nil
        let bad = DealCommand.recordReview(
            heldOn: Self.outcomeDate, attendees: ["Hugo", "Pedro"],
            lessons: [
                LessonDraft(stageKey: "door_opener", text: "Intro earlier"),
                LessonDraft(stageKey: "negotiation", text: "Not a stage"),
            ])
        #expect(
            expectRefusal(Fixture.refusal(bad, to: deal, by: Fixture.hostManager), "invalid")
                == "lessons[1].stage")
        let good = DealCommand.recordReview(
            heldOn: Self.outcomeDate, attendees: ["Hugo", "Pedro"],
            lessons: [LessonDraft(stageKey: "joint_discovery", text: "  One brief from the first call  ")]
        )
        let (after, _) = try Fixture.apply(good, to: deal, by: Fixture.hostManager)
        let lesson = try #require(after.evidence.close.review?.lessons.first)
        #expect(lesson.stageKey == "joint_discovery")
        #expect(lesson.text == "One brief from the first call")
        #expect(lesson.id == Fixture.id(1_000))
        #expect(Gate.evaluateCurrent(after, in: Fixture.playbook).isOpen)
    }

    @Test func aDealHasOneRegistration() throws {
        var deal = Fixture.deal(at: .closeRegisterReview)
        deal.evidence.close.registration = nil
        let command = DealCommand.register(
            registrationID: " REG-42 ", attribution: .partnerInfluenced, sourcedBy: .host)
        let (registered, _) = try Fixture.apply(command, to: deal, by: Fixture.hostManager)
        #expect(registered.evidence.close.registration?.registrationID == "REG-42")
        #expect(registered.evidence.close.registration?.registeredByName == Fixture.hostManager.name)
        let again = Fixture.refusal(
            .register(registrationID: "REG-43", attribution: .partnerInfluenced, sourcedBy: .host),
            to: registered,
            by: Fixture.partnerManager)
        #expect(expectRefusal(again, "conflict")?.contains("REG-42") == true)
    }

    @Test(arguments: Attribution.allCases, Side.allCases)
    func theAttributionMatchesWhoSourcedTheDeal(_ attribution: Attribution, _ sourcedBy: Side) {
        var deal = Fixture.deal(at: .closeRegisterReview)
        deal.evidence.close.registration = nil
        let refusal = Fixture.refusal(
            .register(registrationID: "REG-1", attribution: attribution, sourcedBy: sourcedBy), to: deal,
            by: Fixture.hostManager)
        let consistent = (attribution == .partnerSourced) == (sourcedBy == .partner)
        if consistent {
            #expect(refusal == nil)
        } else {
            #expect(expectRefusal(refusal, "invalid") == "sourced_by")
        }
    }

    @Test func editingABriefResetsItsApprovals() throws {
        let deal = Fixture.deal(at: .jointDiscovery)
        let old = Fixture.brief
        let edit = DealCommand.writeBrief(
            briefID: Fixture.briefID, customerNeed: "Unify inventory and pricing data",
            buyingProcess: old.buyingProcess,
            stakeholders: old.stakeholders)
        let (after, changes) = try Fixture.apply(edit, to: deal, by: Fixture.partnerSeller)
        let brief = after.evidence.jointDiscovery.briefs[0]
        #expect(brief.customerNeed == "Unify inventory and pricing data")
        #expect(brief.approvals == SidePair())
        #expect(brief.updatedAt == Fixture.now)
        #expect(changes[0].kind == "brief_updated")
        #expect(changes[0].summary.contains("approvals were reset"))
        #expect(
            Gate.evaluateCurrent(after, in: Fixture.playbook).unmet.map(\.key) == [
                "host_approval", "partner_approval",
            ])
    }

    @Test func savingABriefUnchangedKeepsItsApprovals() throws {
        let old = Fixture.brief
        let same = DealCommand.writeBrief(
            briefID: Fixture.briefID, customerNeed: old.customerNeed, buyingProcess: old.buyingProcess,
            stakeholders: old.stakeholders)
        let (after, _) = try Fixture.apply(
            same, to: Fixture.deal(at: .jointDiscovery), by: Fixture.partnerSeller)
        #expect(after.evidence.jointDiscovery.briefs[0].approvals == old.approvals)
    }

    @Test func aSecondBriefIsASeparateDiscovery() throws {
        let write = DealCommand.writeBrief(
            briefID: nil, customerNeed: "Our own view", buyingProcess: Fixture.buyingProcess,
            stakeholders: [])
        let (after, changes) = try Fixture.apply(
            write, to: Fixture.deal(at: .jointDiscovery), by: Fixture.partnerSeller)
        #expect(after.evidence.jointDiscovery.briefs.count == 2)
        #expect(after.evidence.jointDiscovery.briefs[1].writtenBy == .partner)
        #expect(after.evidence.jointDiscovery.briefs[1].id == Fixture.id(1_000))
        #expect(changes[0].summary.contains("two discoveries, not one"))
        #expect(
            expectRefusal(
                Fixture.refusal(.approveBrief(briefID: Fixture.id(999)), to: after, by: Fixture.hostSeller),
                "notFound") == "brief_id")
    }
}

@Suite("Deal engine: the timeline")
struct TimelineTests {
    @Test func aFirstRecordingHasNoBeforeAndASecondShowsThePreviousValue() throws {
        let deal = Fixture.deal(at: .targetAccountSelection, evidence: DealEvidence())
        let (first, c1) = try Fixture.apply(
            .recordIcpFit(fit: .partial, note: "Mid-market"), to: deal, by: Fixture.hostSeller,
            now: Fixture.day(10))
        #expect(c1.count == 1)
        #expect(c1[0].before == nil)
        let after1 = try #require(Fixture.json(c1[0].after))
        #expect(after1["fit"] as? String == "partial")
        #expect(after1["note"] as? String == "Mid-market")
        #expect(after1["recorded_by"] as? String == Fixture.hostSeller.id.uuidString)
        #expect(after1["recorded_at"] as? String == "2026-01-15T09:00:00Z")
        let (_, c2) = try Fixture.apply(
            .recordIcpFit(fit: .strong, note: nil), to: first, by: Fixture.hostAdmin)
        #expect(Fixture.json(c2[0].before)?["fit"] as? String == "partial")
        #expect(Fixture.json(c2[0].after)?["fit"] as? String == "strong")
        #expect(c2[0].summary.contains(Fixture.hostAdmin.name))
    }

    @Test func detailChangesCarryTheSummaryBeforeAndAfter() throws {
        let deal = Fixture.deal(at: .jointDiscovery)
        let (after, changes) = try Fixture.apply(
            .updateDetails(
                title: " Globex, all stores ", amount: Fixture.usd("300000.5"),
                expectedCloseDate: Fixture.date("2026-05-31")),
            to: deal, by: Fixture.hostSeller)
        #expect(after.title == "Globex, all stores")
        let before = try #require(Fixture.json(changes[0].before))
        let now = try #require(Fixture.json(changes[0].after))
        #expect(before["title"] as? String == "Globex inventory unification")
        #expect((before["amount"] as? [String: Any])?["amount"] as? String == "250000.00")
        #expect(now["title"] as? String == "Globex, all stores")
        #expect((now["amount"] as? [String: Any])?["amount"] as? String == "300000.50")
        #expect(now["expected_close_date"] as? String == "2026-05-31")
        #expect(before["status"] as? String == "open")
    }

    @Test func everyAcceptedCommandLeavesATraceAndTouchesTheDeal() throws {
        let deal = Fixture.deal(
            at: .doorOpener, evidence: Fixture.evidence(through: .targetAccountSelection),
            daysSinceActivity: 9)
        let commands: [(Person, DealCommand)] = [
            (
                Fixture.hostManager,
                .nameDoorOpener(side: .partner, kind: .coBrandedOutreach, ownerID: Fixture.partnerSeller.id)
            ),
            (
                Fixture.partnerSeller,
                .bookFirstMeeting(scheduledFor: Fixture.day(65), attendees: Fixture.meetingAttendees)
            ),
            (Fixture.hostSeller, .advance(overrideReason: nil)),
        ]
        var d = deal
        var kinds: [String] = []
        for (person, command) in commands {
            let (next, changes) = try Fixture.apply(command, to: d, by: person)
            #expect(!changes.isEmpty)
            #expect(changes.allSatisfy { $0.after != nil && !$0.summary.isEmpty })
            #expect(next.lastActivityAt == Fixture.now)
            kinds += changes.map(\.kind)
            d = next
        }
        #expect(kinds == ["door_opener_named", "first_meeting_booked", "stage_advanced"])
        #expect(d.stageIndex == 2)
    }
}
