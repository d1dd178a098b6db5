import CoSellDomain
import Foundation
import Testing

/// Asserts a refusal of the expected kind and returns its field (for `.invalid`/`.notFound`) or message.
func expectRefusal(
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
