import CoSellDomain
import Foundation
import Testing

/// Quarry Data hosts the deal, Halyard Security is the partner.
private let names = SidePair(host: "Quarry Data", partner: "Halyard Security")

/// The words the gate's sentences should not use once the companies have names.
private func sideWords(_ text: String) -> [String] {
    let words = text.lowercased().split { !$0.isLetter && $0 != "-" && $0 != "'" }.map(String.init)
    return words.filter { ["host", "host's", "partner", "partner's", "side", "sides"].contains($0) }
}

private func named(_ deal: Deal, _ stage: CriterionKind) -> GateReport {
    Gate.evaluate(deal, stage: Fixture.stage(stage), in: Fixture.playbook, names: names)
}

@Suite("Company names in the gate's and the engine's words")
struct CompanyNamesTests {
    @Test func theGateNamesTheCompanyThatOwesEachPart() throws {
        let empty = Fixture.deal(at: .targetAccountSelection, evidence: DealEvidence(), status: .open)
        let target = named(empty, .targetAccountSelection)
        #expect(
            target.unmet.compactMap(\.missing) == [
                "Quarry Data has not recorded its ideal-customer-profile fit.",
                "Halyard Security has not recorded its ideal-customer-profile fit.",
                "Nobody at Quarry Data has committed to working the account.",
                "Nobody at Halyard Security has committed to working the account.",
            ])
        #expect(
            target.parts.map(\.description).dropFirst() == [
                "Quarry Data recorded its ideal-customer-profile fit",
                "Halyard Security recorded its ideal-customer-profile fit",
                "A named person of Quarry Data committed to working the account",
                "A named person of Halyard Security committed to working the account",
            ])
        var unfit = empty
        unfit.evidence.targetSelection.icpFit.partner = IcpFitRecord(
            fit: .none, note: nil, recordedBy: Fixture.partnerSeller.id, recordedAt: Fixture.day(1))
        #expect(
            named(unfit, .targetAccountSelection).parts.first { $0.key == "partner_icp_fit" }?.missing
                == "Halyard Security recorded that the account does not fit its ideal customer profile.")

        let door = named(Fixture.deal(at: .doorOpener, evidence: DealEvidence()), .doorOpener)
        #expect(
            door.unmet.compactMap(\.missing) == [
                "No door-opener is named: say which company (Quarry Data or Halyard Security) makes the introduction, how (warm introduction, referral into an existing customer, co-branded outreach) and who owns it.",
                "No first joint conversation is booked.",
                "The meeting needs attendees from Quarry Data, Halyard Security and the customer.",
            ])
        var hostOnly = Fixture.deal(at: .doorOpener)
        hostOnly.evidence.doorOpener.firstMeeting?.attendees = [Fixture.meetingAttendees[0]]
        #expect(
            named(hostOnly, .doorOpener).unmet.compactMap(\.missing) == [
                "The first joint conversation has no attendee from: Halyard Security, the customer."
            ])

        var unapproved = Fixture.deal(at: .jointDiscovery)
        unapproved.evidence.jointDiscovery.briefs[0].approvals = SidePair()
        #expect(
            named(unapproved, .jointDiscovery).unmet.map { $0.description + " / " + ($0.missing ?? "") } == [
                "A person of Quarry Data approved the brief / Nobody at Quarry Data has approved the brief.",
                "A person of Halyard Security approved the brief / Nobody at Halyard Security has approved the brief.",
            ])

        var oneSided = Fixture.deal(at: .jointPursuit)
        oneSided.evidence.jointPursuit.closePlans[0].milestones = [Fixture.milestones[0]]
        let pursuit = named(oneSided, .jointPursuit)
        #expect(pursuit.unmet.compactMap(\.missing) == ["No milestone is owned by: Halyard Security, the customer."])
        #expect(
            pursuit.unmet.first?.description
                == "The plan's milestones have owners from Quarry Data, Halyard Security and the customer")
    }

    /// Every part of every gate, unmet: named, no sentence speaks of sides; the keys and states do not change.
    @Test(arguments: GateCase.all)
    func namedReportsSpeakOfCompaniesNotSides(_ c: GateCase) {
        let plain = Gate.evaluateCurrent(c.deal, in: Fixture.playbook)
        let report = Gate.evaluateCurrent(c.deal, in: Fixture.playbook, names: names)
        #expect(report.parts.map(\.key) == plain.parts.map(\.key))
        #expect(report.parts.map(\.met) == plain.parts.map(\.met))
        for part in report.parts {
            #expect(sideWords(part.description).isEmpty, "\(part.description)")
            #expect(sideWords(part.missing ?? "").isEmpty, "\(part.missing ?? "")")
        }
        #expect(
            Gate.evaluateCurrent(c.deal, in: Fixture.playbook, names: SidePair()) == plain,
            "without names, today's words")
    }

    @Test func nextActionsCarryTheNamedSentences() throws {
        var deal = Fixture.deal(at: .targetAccountSelection)
        deal.evidence.targetSelection.commitments.partner = nil
        let action = try #require(
            NextActions.of(
                deal, playbook: Fixture.playbook,
                companyNames: [Fixture.hostOrg.id: "Quarry Data", Fixture.partnerOrg.id: "Halyard Security"],
                today: LocalDate(Fixture.now)
            ).first)
        #expect(action.missing == "Nobody at Halyard Security has committed to working the account.")
    }

    static func context(now: Date = Fixture.now) -> DealContext {
        DealContext(playbook: Fixture.playbook, people: Fixture.people, now: now, companyNames: names)
    }

    static func apply(
        _ command: DealCommand, to deal: Deal, by person: Person
    ) throws(DealError) -> (Deal, [DealChange]) {
        try DealEngine.apply(command, to: deal, by: Fixture.actor(person), context: context())
    }

    @Test func theEnginesTimelineNamesTheCompanies() throws {
        let empty = Fixture.deal(at: .targetAccountSelection, evidence: DealEvidence(), status: .open)
        #expect(
            try Self.apply(.recordIcpFit(fit: .strong, note: nil), to: empty, by: Fixture.partnerSeller).1.first?
                .summary
                == "Priya Seller recorded Halyard Security's ideal-customer-profile fit: strong.")
        #expect(
            try Self.apply(.commit, to: empty, by: Fixture.hostManager).1.first?.summary
                == "Hugo Manager committed Quarry Data to working the account.")
        let door = Fixture.deal(at: .doorOpener, evidence: Fixture.evidence(through: .targetAccountSelection))
        #expect(
            try Self.apply(
                .nameDoorOpener(side: .partner, kind: .warmIntroduction, ownerID: Fixture.partnerSeller.id), to: door,
                by: Fixture.hostManager
            ).1.first?.summary.hasPrefix("Hugo Manager named Halyard Security as door-opener (") == true)
        let discovery = Fixture.deal(at: .jointDiscovery)
        let write = DealCommand.writeBrief(
            briefID: nil, customerNeed: "Our view", buyingProcess: Fixture.buyingProcess, stakeholders: [])
        #expect(
            try Self.apply(write, to: discovery, by: Fixture.partnerSeller).1.first?.summary.hasPrefix(
                "Priya Seller wrote an account brief for Halyard Security (the deal now has 2 briefs") == true)
        #expect(
            try Self.apply(.approveBrief(briefID: Fixture.briefID), to: discovery, by: Fixture.hostSeller).1.first?
                .summary
                == "Hilde Seller approved the account brief for Quarry Data.")
        let plan = DealCommand.writeClosePlan(
            planID: nil, milestones: Fixture.milestones, decisionDate: Fixture.date("2026-04-30"))
        #expect(
            try Self.apply(plan, to: Fixture.deal(at: .jointPursuit), by: Fixture.partnerSeller).1.first?.summary
                .hasPrefix(
                    "Priya Seller wrote a close plan for Halyard Security (the deal now has 2 close plans") == true)
        // Without names, the sides as before.
        #expect(
            try Fixture.apply(.commit, to: empty, by: Fixture.hostManager).1.first?.summary
                == "Hugo Manager committed the host side to working the account.")
    }

    @Test func theSourcedByRefusalsNameTheCompany() {
        var deal = Fixture.deal(at: .closeRegisterReview)
        deal.evidence.close.registration = nil
        func message(_ attribution: Attribution, _ side: Side, _ context: DealContext) -> String? {
            do {
                _ = try DealEngine.apply(
                    .register(registrationID: "REG-1", attribution: attribution, sourcedBy: side), to: deal,
                    by: Fixture.actor(Fixture.hostManager), context: context)
                return nil
            } catch {
                return error.message
            }
        }
        #expect(
            message(.partnerSourced, .host, Self.context())
                == "A partner-sourced deal is sourced by the partner, Halyard Security.")
        #expect(
            message(.partnerInfluenced, .partner, Self.context())
                == "A partner-influenced deal was sourced by the host, Quarry Data.")
        #expect(
            message(.partnerSourced, .host, Fixture.context())
                == "A partner-sourced deal is sourced by the partner side.")
    }

    @Test func aClosedGateRefusalNamesTheCompanies() throws {
        var deal = Fixture.deal(at: .targetAccountSelection)
        deal.evidence.targetSelection.commitments.partner = nil
        let refusal: DealError?
        do {
            _ = try Self.apply(.advance(overrideReason: nil), to: deal, by: Fixture.hostManager)
            refusal = nil
        } catch {
            refusal = error
        }
        #expect(
            refusal?.message
                == "The Target account selection gate is closed: Nobody at Halyard Security has committed to working the account."
        )
    }

    @Test func accountMappingsPrefillNamesTheCompaniesAndCompletesTheFitMoves() throws {
        let (opened, _) = try DealEngine.open(
            id: Fixture.id(100), partnership: Fixture.partnership, account: Fixture.account, title: "Globex",
            hostOrganizationID: Fixture.hostOrg.id, reason: nil, amount: nil, expectedCloseDate: nil,
            actor: Fixture.actor(Fixture.hostManager), context: Fixture.context())
        let (deal, changes) = DealEngine.prefillFromOverlap(
            opened, fits: SidePair(host: .strong, partner: .partial), profileNames: names, doorOpener: .partner,
            actor: Fixture.actor(Fixture.hostManager), now: Fixture.now, playbook: Fixture.playbook,
            companyNames: names)
        #expect(
            changes.map(\.summary) == [
                "Account mapping computed Quarry Data's ideal-customer-profile fit: strong.",
                "Account mapping computed Halyard Security's ideal-customer-profile fit: partial.",
                "The overlap's play suggests Halyard Security opens the door.",
                "Account mapping completed the move \"Record Quarry Data's ideal-customer-profile fit\" by computing the evidence it asks for.",
                "Account mapping completed the move \"Record Halyard Security's ideal-customer-profile fit\" by computing the evidence it asks for.",
            ])
        #expect(deal.moves.filter { $0.doneAt == nil }.isEmpty)
        // Without the playbook and names, as before.
        let (plain, before) = DealEngine.prefillFromOverlap(
            opened, fits: SidePair(host: .strong), profileNames: names, doorOpener: nil,
            actor: Fixture.actor(Fixture.hostManager), now: Fixture.now)
        #expect(
            before.map(\.summary) == ["Account mapping computed the host side's ideal-customer-profile fit: strong."])
        #expect(plain.moves == opened.moves)
    }
}

@Suite("The diagnosis names the companies")
struct DiagnosisNamesTests {
    @Test func everySideWordOfTheDiagnosisBecomesACompany() {
        var deal = Fixture.deal(at: .jointDiscovery)
        deal.evidence.targetSelection.icpFit.partner?.fit = .partial
        deal.evidence.jointDiscovery.briefs[0].approvals.partner = nil
        deal.status = .lost
        let plain = DealDiagnostics.diagnose(deal, playbook: Fixture.playbook, now: Fixture.now)
        let all = plain.findings.flatMap(\.evidence)
        #expect(all.contains { $0.contains("the partner side") }, "\(all)")
        let named = plain.naming(SidePair(host: "Quarry Data", partner: "Halyard Security"))
        let words = (named.findings.flatMap(\.evidence) + [named.explanation]).joined(separator: " ")
        #expect(!words.contains("host side") && !words.contains("partner side"), "\(words)")
        #expect(words.contains("Halyard Security's ideal customer profile only partly"))
        #expect(words.contains("approved by Quarry Data only"))
    }
}
