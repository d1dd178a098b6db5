import CoSellDomain
import Foundation
import Testing

@Suite("Next actions: what the gate is missing, and whom it waits on")
struct NextActionsTests {
    static let names = [Fixture.hostOrg.id: Fixture.hostOrg.name, Fixture.partnerOrg.id: Fixture.partnerOrg.name]
    static let today = LocalDate(Fixture.now)

    static func actions(_ deal: Deal, today: LocalDate = today) -> [NextAction] {
        NextActions.of(deal, playbook: Fixture.playbook, companyNames: names, today: today)
    }

    @Test(arguments: GateCase.all)
    func everyUnmetPartIsOneActionInTheGatesOrder(_ c: GateCase) {
        let deal = c.deal
        let gate = Gate.evaluateCurrent(deal, in: Fixture.playbook)
        let list = Self.actions(deal)
        #expect(list.map(\.part) == gate.unmet.map(\.key))
        for a in list {
            #expect(a.dealID == deal.id)
            #expect(a.stageKey == c.stage.rawValue)
            #expect(!a.title.isEmpty && !a.operation.isEmpty)
            #expect(!a.organizationIDs.isEmpty)
            #expect(Set(a.organizationIDs).isSubset(of: [deal.hostOrganizationID, deal.partnerOrganizationID]))
            // Titles name companies; "host" and "partner" are the API's field names, not words for people.
            // (The attribution tags "partner-sourced" and "partner-influenced" are the glossary's words.)
            let words = a.title.lowercased().split { !$0.isLetter && $0 != "-" }
            #expect(
                !words.contains { ["host", "host's", "partner", "partner's", "hosts", "partners"].contains($0) },
                "\(a.title)")
        }
    }

    @Test(arguments: CriterionKind.allCases)
    func aStageWithItsEvidenceOwesOnlyItsAdvanceToWhoMetTheLastPart(_ kind: CriterionKind) throws {
        let deal = Fixture.deal(at: kind)
        let list = Self.actions(deal)
        #expect(list.map(\.part) == ["advance"])
        let advance = try #require(list.first)
        #expect(advance.operation == "advance")
        #expect(advance.ownerID != nil)
        #expect(advance.ownerID == deal.lastEvidencePerson(of: kind))
        // It waits on that person only, not on the other company.
        let owner = try #require(Fixture.everyone.first { $0.id == advance.ownerID })
        #expect(advance.waits(on: owner, deal: deal))
        let others = Fixture.everyone.filter { $0.id != owner.id && $0.role.canWrite }
        #expect(!others.contains { advance.waits(on: $0, deal: deal) })
    }

    @Test func aDealLostEarlyOwesNoAdvanceForTheStageItWasLostAt() {
        var deal = Fixture.deal(at: .doorOpener)
        deal.status = .lost
        #expect(!Self.actions(deal).contains { $0.part == "advance" })
    }

    @Test func aPartOfOneCompanyIsThatCompanysAloneAndNamesIt() throws {
        var deal = Fixture.deal(at: .targetAccountSelection)
        deal.evidence.targetSelection.commitments.partner = nil
        let a = try #require(Self.actions(deal).first)
        #expect(a.part == "partner_commitment")
        #expect(a.organizationIDs == [Fixture.partnerOrg.id])
        #expect(a.title.hasPrefix("Contoso Cloud:"))
        #expect(a.operation == "commit")
        #expect(a.waits(on: Fixture.partnerManager, deal: deal))
        #expect(a.waits(on: Fixture.partnerAdmin, deal: deal))
        #expect(!a.waits(on: Fixture.hostManager, deal: deal), "the other company's action is not theirs")
        #expect(!a.waits(on: Fixture.hostAdmin, deal: deal))
        #expect(!a.waits(on: Fixture.partnerViewer, deal: deal), "a viewer cannot act")
    }

    @Test func aSellerActsOnlyOnDealsTheyAreOn() throws {
        var deal = Fixture.deal(at: .targetAccountSelection)
        deal.evidence.targetSelection.commitments.partner = nil
        let a = try #require(Self.actions(deal).first)
        let onDeal = Visibility.isOnDeal(deal, personID: Fixture.partnerSeller.id)
        #expect(a.waits(on: Fixture.partnerSeller, deal: deal) == onDeal)
        var stranger = Fixture.partnerSeller
        stranger.id = Fixture.id(999)
        #expect(!a.waits(on: stranger, deal: deal))
        var gone = Fixture.partnerManager
        gone.deactivatedAt = Fixture.now
        #expect(!a.waits(on: gone, deal: deal), "a deactivated person is waited on by nothing")
    }

    @Test func theProducingMovesOwnerAndDueDateComeWithTheAction() throws {
        let stage = Fixture.stage(.doorOpener)
        var deal = Fixture.deal(
            at: .doorOpener,
            moves: [
                DealMove(
                    id: Fixture.id(700), stageKey: stage.key, templateKey: "book_first_meeting",
                    description: "Book the first joint conversation", side: .both, ownerID: Fixture.partnerSeller.id,
                    dueOn: LocalDate(Fixture.day(55)))
            ])
        deal.evidence.doorOpener.firstMeeting = nil
        let list = Self.actions(deal)
        #expect(list.map(\.part) == ["first_meeting_booked", "meeting_attendees"])
        let book = list[0]
        #expect(book.moveID == Fixture.id(700))
        #expect(book.ownerID == Fixture.partnerSeller.id)
        #expect(book.dueOn == LocalDate(Fixture.day(55)))
        #expect(book.overdue, "due on day 55, today is day 60")
        #expect(!Self.actions(deal, today: LocalDate(Fixture.day(50)))[0].overdue)
        #expect(Set(book.organizationIDs) == [Fixture.hostOrg.id, Fixture.partnerOrg.id], "a move of both sides")
        // An owned action waits on its owner only, not on everyone who could do it.
        #expect(book.waits(on: Fixture.partnerSeller, deal: deal))
        #expect(!book.waits(on: Fixture.partnerManager, deal: deal))
        #expect(!book.waits(on: Fixture.hostManager, deal: deal))
        // The attendees can only be added to a booked meeting: that action waits on the booking.
        #expect(list[1].blockedBy == ["first_meeting_booked"])
        #expect(!list[1].waits(on: Fixture.partnerSeller, deal: deal))
    }

    @Test func stageFivesRegistrationAndReviewWaitForTheOutcome() {
        var deal = Fixture.deal(at: .closeRegisterReview)
        deal.evidence.close = CloseEvidence()
        deal.status = .open
        let list = Self.actions(deal)
        #expect(list.map(\.part) == ["outcome", "registration", "review_lesson"])
        #expect(list.map(\.blockedBy) == [[], ["outcome"], ["outcome"]])
        #expect(list[0].waits(on: Fixture.hostManager, deal: deal))
        #expect(!list[1].waits(on: Fixture.hostManager, deal: deal))
    }

    @Test func aWonDealWaitingForItsReviewStillOwesTheReview() {
        var deal = Fixture.deal(at: .closeRegisterReview)
        deal.evidence.close.review = nil
        #expect(deal.isInPlay && deal.status == .won)
        let list = Self.actions(deal)
        #expect(list.map(\.part) == ["review_lesson"])
        #expect(list[0].blockedBy.isEmpty)
        #expect(
            list[0].waits(on: Fixture.hostManager, deal: deal) && list[0].waits(on: Fixture.partnerManager, deal: deal))
    }

    @Test func aResetApprovalWaitsOnTheCompanyWhoseApprovalWasReset() throws {
        var deal = Fixture.deal(at: .jointDiscovery)
        let i = try #require(deal.evidence.jointDiscovery.briefs.firstIndex { $0.isActive })
        deal.evidence.jointDiscovery.briefs[i].approvals.host = nil
        let a = try #require(Self.actions(deal).first)
        #expect(a.part == "host_approval")
        #expect(a.organizationIDs == [Fixture.hostOrg.id])
        #expect(a.title == "Northwind Analytics: approve the account brief")
        #expect(a.waits(on: Fixture.hostManager, deal: deal))
        #expect(!a.waits(on: Fixture.partnerManager, deal: deal))
    }

    @Test(arguments: [DealStatus.abandoned, .ended])
    func aDealOutOfPlayOwesNothing(_ status: DealStatus) {
        var deal = Fixture.deal(at: .doorOpener, evidence: DealEvidence(), status: .open)
        deal.status = status
        #expect(Self.actions(deal).isEmpty)
        var done = Fixture.deal(at: .closeRegisterReview)
        done.evidence.close.review = nil
        done.completedAt = Fixture.now
        #expect(Self.actions(done).isEmpty)
    }

    @Test func aFitOfNoneAsksForANewFitOrToAbandon() throws {
        var deal = Fixture.deal(at: .targetAccountSelection)
        deal.evidence.targetSelection.icpFit.host?.fit = Fit.none
        let a = try #require(Self.actions(deal).first)
        #expect(a.part == "host_icp_fit")
        #expect(a.title.contains("does not fit") && a.title.hasPrefix("Northwind Analytics:"))
    }
}

@Suite("Next actions from a deal's stored facts")
struct NextActionsFromFactsTests {
    @Test(arguments: GateCase.all)
    func factsGiveTheSameActionsWithoutTheGatesSentences(_ c: GateCase) throws {
        let deal = c.deal
        let facts = DealFacts(deal, playbook: Fixture.playbook)
        let stored = try #require(DealFacts(encoded: facts.encoded(), version: facts.version))
        #expect(stored == facts, "the pending actions survive the stored line")
        #expect(stored.pendingActions.map(\.part) == Gate.evaluateCurrent(deal, in: Fixture.playbook).unmet.map(\.key))
        let fromDeal = NextActionsTests.actions(deal).map { a -> NextAction in
            var a = a
            a.missing = nil
            return a
        }
        let fromFacts = NextActions.of(
            facts: stored, playbook: Fixture.playbook, companyNames: NextActionsTests.names,
            today: NextActionsTests.today)
        #expect(fromFacts == fromDeal)
        for (a, b) in zip(fromFacts, fromDeal) {
            #expect(a.waits(on: Fixture.hostSeller, deal: stored) == b.waits(on: Fixture.hostSeller, deal: deal))
        }
    }

    @Test func ownersDueDatesAndBlocksSurviveTheStoredLine() throws {
        let stage = Fixture.stage(.doorOpener)
        var deal = Fixture.deal(
            at: .doorOpener,
            moves: [
                DealMove(
                    id: Fixture.id(701), stageKey: stage.key, templateKey: "book_first_meeting",
                    description: "Book the first joint conversation", side: .both,
                    ownerID: Fixture.partnerSeller.id, dueOn: LocalDate(Fixture.day(55)))
            ])
        deal.evidence.doorOpener.firstMeeting = nil
        let facts = DealFacts(deal, playbook: Fixture.playbook)
        let stored = try #require(DealFacts(encoded: facts.encoded(), version: 1))
        #expect(stored.pendingActions.count == 2)
        #expect(stored.pendingActions[0].ownerID == Fixture.partnerSeller.id)
        #expect(stored.pendingActions[0].moveID == Fixture.id(701))
        #expect(stored.pendingActions[0].dueOn == LocalDate(Fixture.day(55)))
        #expect(stored.pendingActions[1].blockedBy == ["first_meeting_booked"])
        #expect(Set(stored.pendingActions[0].sides) == [.host, .partner])
        #expect(DealFacts(deal).pendingActions.isEmpty, "without the playbook version, nothing is known")
    }
}
