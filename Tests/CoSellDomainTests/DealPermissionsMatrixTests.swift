import CoSellDomain
import Foundation
import Testing

/// Issue 14: the side-and-role matrix of the deal commands, as `docs/security.md` writes it down,
/// checked for every command family against every company and role (A admin, M partner manager,
/// S seller, V viewer). The table below is written out here on purpose, apart from
/// `DealPermissions.rules`: a change to either shows up as a failing case.
@Suite("Deal commands: who may give each one")
struct DealPermissionsMatrixTests {
    /// family → (roles of the host company, roles of the partner company) that may give it; for the
    /// registration's decision, "host" is the company that decides (the one that did not submit).
    static let matrix: [String: (host: String, partner: String)] = [
        "details": ("AMS", ""),
        "outcome": ("AMS", ""),
        "amend_outcome": ("AM", "AM"),
        "abandon": ("AM", "AM"),
        "reopen": ("AM", ""),
        "move_back": ("AM", "AM"),
        "advance": ("AMS", "AMS"),
        "own_evidence": ("AMS", "AMS"),
        "shared_evidence": ("AMS", "AMS"),
        "moves": ("AMS", "AMS"),
        "register": ("AMS", "AMS"),
        "decide_registration": ("AM", ""),
        "amend_registration": ("AM", "AM"),
    ]

    /// One command of each family, on a deal where it is otherwise valid.
    static var cases: [(family: String, command: DealCommand, deal: Deal)] {
        var open2 = Fixture.deal(at: .doorOpener)
        open2.status = .open
        var completed = Fixture.deal(at: .closeRegisterReview)
        completed.completedAt = Fixture.day(58)
        var abandoned = Fixture.deal(at: .jointDiscovery)
        abandoned.status = .abandoned
        abandoned.statusReason = "Budget frozen"
        var unregistered = Fixture.deal(at: .closeRegisterReview)
        unregistered.evidence.close.registration = nil
        var pending = Fixture.deal(at: .closeRegisterReview)
        pending.evidence.close.registration?.status = .pending
        pending.evidence.close.registration?.submittedBy = .partner
        let stage1 = Fixture.deal(
            at: .targetAccountSelection, evidence: DealEvidence(), status: .open)
        return [
            ("details", .updateDetails(title: "Renamed", amount: nil, expectedCloseDate: nil), open2),
            (
                "outcome",
                .recordOutcome(
                    result: .lost, finalAmount: Fixture.usd("0"), closeDate: LocalDate(Fixture.now),
                    lossReason: "Chose a competitor", lossCategory: .competitor), open2
            ),
            (
                "amend_outcome",
                .amendOutcome(
                    finalAmount: Fixture.usd("260000.00"), closeDate: nil, reason: "The order form says 260,000."),
                completed
            ),
            (
                "abandon",
                .abandon(
                    reason: "The customer froze budgets.",
                    lesson: LessonDraft(stageKey: "door_opener", text: "Ask who holds the budget first.")), open2
            ),
            ("reopen", .reopen(reason: "The budget is back for next quarter."), abandoned),
            ("move_back", .moveBack(reason: "The meeting fell through."), Fixture.deal(at: .jointDiscovery)),
            ("advance", .advance(overrideReason: nil), open2),
            ("own_evidence", .recordIcpFit(fit: .strong, note: nil), stage1),
            ("shared_evidence", .recordProof(kind: .pilot, summary: "Two-week pilot"), Fixture.deal(at: .jointPursuit)),
            (
                "moves",
                .addMove(
                    stageKey: "door_opener", description: "Send the agenda", side: .both, ownerID: nil, dueOn: nil),
                open2
            ),
            (
                "register",
                .register(registrationID: "REG-M", attribution: .partnerSourced, sourcedBy: .partner), unregistered
            ),
            ("decide_registration", .acceptRegistration, pending),
            (
                "amend_registration",
                .proposeRegistrationAmendment(
                    attribution: .partnerInfluenced, sourcedBy: .host, reason: "Quarry had the opportunity open."),
                Fixture.deal(at: .closeRegisterReview)
            ),
        ]
    }

    static let actors: [(Side, Character, Person)] = [
        (.host, "A", Fixture.hostAdmin), (.host, "M", Fixture.hostManager), (.host, "S", Fixture.hostSeller),
        (.host, "V", Fixture.hostViewer), (.partner, "A", Fixture.partnerAdmin),
        (.partner, "M", Fixture.partnerManager), (.partner, "S", Fixture.partnerSeller),
        (.partner, "V", Fixture.partnerViewer),
    ]

    @Test("every command family has a row, and the table covers every family of the engine")
    func everyFamily() {
        #expect(Set(Self.cases.map(\.family)) == Set(Self.matrix.keys))
        #expect(Set(DealPermissions.rules.keys) == Set(Self.matrix.keys))
    }

    @Test("each family, for each company and role: allowed and done, or refused with 403")
    func matrix() {
        for c in Self.cases {
            let row = Self.matrix[c.family]!
            for (side, role, person) in Self.actors {
                let allowed = (side == .host ? row.host : row.partner).contains(role)
                var refusal: DealError? = nil
                do {
                    _ = try Fixture.apply(c.command, to: c.deal, by: person)
                } catch { refusal = error }
                let who = "\(c.family) by \(person.name) (\(side.rawValue) \(role))"
                if allowed {
                    #expect(refusal == nil, "\(who): \(String(describing: refusal))")
                } else if case .forbidden = refusal {
                    // Refused as the matrix says.
                } else {
                    Issue.record("\(who) should be forbidden, got \(String(describing: refusal))")
                }
            }
        }
    }

    @Test("a refusal names who may do it, by company")
    func refusalNamesWho() {
        let context = DealContext(
            playbook: Fixture.playbook, people: Fixture.people, now: Fixture.now,
            companyNames: SidePair(host: Fixture.hostOrg.name, partner: Fixture.partnerOrg.name))
        var open2 = Fixture.deal(at: .doorOpener)
        open2.status = .open
        do {
            _ = try DealEngine.apply(
                .updateDetails(title: "Renamed", amount: nil, expectedCloseDate: nil), to: open2,
                by: Fixture.actor(Fixture.partnerSeller), context: context)
            Issue.record("a partner seller renamed the host's deal")
        } catch {
            #expect(error.message.contains("people of \(Fixture.hostOrg.name) who can write"))
        }
    }
}
