import CoSellDomain
import Foundation
import Testing

/// What the weekly review gained from the plan's assets: the deals in the room with their adoption
/// audit, named accounts with their movement, decisions that are checked off and become next actions,
/// and the thirty-minute agenda.
@Suite("Weekly review: the room, named accounts, decisions, agenda")
struct WeeklyReviewPlanAssetsTests {
    typealias W = WeeklyFixture
    typealias F = ReportsFixture

    @Test("every deal a list names is in the room, with its gates passed, overridden or skipped and its late moves")
    func inTheRoom() throws {
        let r = WeeklyReview.build(W.input())
        let named = Set(r.advanced.map(\.dealID)).union(r.stalled.map(\.dealID)).union(r.gates.map(\.dealID))
            .union(r.awaitingReview.map(\.dealID)).union(r.abandoned.map(\.dealID))
        #expect(Set(r.inTheRoom.map(\.dealID)) == named)
        #expect(r.inTheRoom.map(\.title) == r.inTheRoom.map(\.title).sorted())

        // Deal 3: its door-opener gate overridden this week; target selection, reached past with no
        // passage, counts as skipped (the gate never ran).
        let d3 = try #require(r.inTheRoom.first { $0.dealID == F.id(1_003) })
        #expect(d3.reasons.contains(.advanced) && d3.reasons.contains(.gate))
        #expect(d3.gates.map(\.stage) == ["target_account_selection", "door_opener"])
        #expect(d3.gates.map(\.outcome) == [.skipped, .overridden])
        #expect(d3.overriddenCount == 1 && d3.skippedCount == 1)

        // Deal 5: stalled; late are the open moves due before today (26 November), earliest first:
        // not the done one, not the one due today.
        let d5 = try #require(r.inTheRoom.first { $0.dealID == F.id(1_005) })
        #expect(d5.reasons == [.stalled])
        #expect(d5.lateMoves.map(\.description) == ["Move 3", "Move 1", "Move 2"])
        #expect(d5.lateMoves.map(\.daysLate) == [16, 6, 1])
        #expect(d5.lateMoves[0].ownerName == "Hana Host")
        #expect(d5.lateMoves[2].ownerName == nil)
    }

    @Test("a deal that passed a gate, came back and passed it again counts once as passed; an override stays")
    func gateDecidedOnce() {
        var deal = F.deal(9, stage: 2, entered: 300)
        func t(_ s: String) -> Date { W.at(s) }
        deal.passages = [
            StagePassage(
                stageKey: "target_account_selection", enteredAt: t("2026-10-01T00:00:00Z"),
                exitedAt: t("2026-10-02T00:00:00Z"),
                exit: .passed, by: F.owner1, reason: nil, unmetAtExit: []),
            StagePassage(
                stageKey: "door_opener", enteredAt: t("2026-10-02T00:00:00Z"), exitedAt: t("2026-10-05T00:00:00Z"),
                exit: .skipped, by: F.owner1, reason: "quiet period", unmetAtExit: ["x"]),
            StagePassage(
                stageKey: "joint_discovery", enteredAt: t("2026-10-05T00:00:00Z"),
                exitedAt: t("2026-10-06T00:00:00Z"), exit: .movedBack, by: F.owner1, reason: "back", unmetAtExit: []),
            StagePassage(
                stageKey: "door_opener", enteredAt: t("2026-10-06T00:00:00Z"), exitedAt: t("2026-10-09T00:00:00Z"),
                exit: .passed, by: F.owner1, reason: nil, unmetAtExit: []),
        ]
        let audit = ReviewDealAudit.of(
            DealFacts(deal), playbook: F.playbook, reasons: [.stalled], today: LocalDate("2026-11-26")!,
            companyNames: [:])
        #expect(audit.gates.map(\.outcome) == [.passed, .overridden])
        #expect(audit.stageName == F.playbook.stages[2].name)
    }

    @Test("named accounts per account executive, with what moved on each this week")
    func namedAccountsMovement() {
        let week = W.week
        let quarry = F.hostOrg
        let halyard = F.partnerOrg1
        let priya = F.id(400)
        let aisha = F.id(401)
        func named(_ person: UUID, _ org: UUID, account n: Int, at: String) -> NamedAccount {
            NamedAccount(
                partnershipID: F.partnershipA, organizationID: org, personID: person, accountID: F.id(2_000 + n),
                createdAt: W.at(at))
        }
        // Deal 3's account: gate overridden this week. Deal 6's: opened before, no passage this week.
        // Account 30: named this week, no deal.
        var opened = F.deal(21, stage: 0, entered: 0)
        opened.createdAt = W.at("2026-11-24T10:00:00Z")
        let deals = W.deals + [opened]
        let entries = [
            NamedAccountEntry(
                named: named(priya, quarry, account: 3, at: "2026-10-01T00:00:00Z"), personName: "Priya Natarajan",
                accountName: "Account 3", progress: .noDeal),
            NamedAccountEntry(
                named: named(priya, quarry, account: 6, at: "2026-10-01T00:00:00Z"), personName: "Priya Natarajan",
                accountName: "Account 6", progress: .noDeal),
            NamedAccountEntry(
                named: named(aisha, halyard, account: 30, at: "2026-11-23T09:00:00Z"), personName: "Aisha Bello",
                accountName: "Account 30", progress: .noDeal),
            NamedAccountEntry(
                named: named(aisha, halyard, account: 21, at: "2026-10-01T00:00:00Z"), personName: "Aisha Bello",
                accountName: "Account 21", progress: .noDeal),
        ]
        // Read by Halyard: its own account executives first.
        let sellers = WeeklyReview.namedAccounts(
            entries, deals: deals.map { DealFacts($0) }, playbooks: [F.playbook], week: week,
            organizationIDs: [halyard, quarry], companyNames: [quarry: "Quarry Data", halyard: "Halyard Security"])
        #expect(sellers.map(\.personName) == ["Aisha Bello", "Priya Natarajan"])
        #expect(sellers[0].companyName == "Halyard Security")
        #expect(sellers[0].accounts.map(\.accountName) == ["Account 21", "Account 30"])
        #expect(sellers[0].accounts[0].movements == [.dealOpened])
        #expect(sellers[0].accounts[0].notes == ["Deal opened: Deal 21"])
        #expect(sellers[0].accounts[1].movements == [.named])
        let priyas = sellers[1].accounts
        #expect(priyas[0].movements == [.overridden])
        #expect(priyas[0].notes == ["\(F.playbook.stages[1].name): gate overridden"])
        #expect(priyas[1].movements.isEmpty)
        #expect(sellers[1].moved == 1)
        #expect(sellers[0].moved == 2)
    }

    @Test("decisions: checked off and opened again, late only while open; old records get stable ids")
    func decisions() throws {
        let person = Person(
            id: F.owner1, organizationID: F.hostOrg, name: "Ola Owner", email: "o@q.example", role: .partnerManager)
        let d = ReviewDecision(id: UUID(), text: "Send the references", dueOn: LocalDate("2026-11-20"))
        let today = LocalDate("2026-11-26")!
        #expect(d.isOpen && d.isOverdue(today: today))
        #expect(!d.isOverdue(today: LocalDate("2026-11-20")!))
        let done = d.checked(.done, by: person, at: W.now, inWeek: W.week)
        #expect(!done.isOpen && !done.isOverdue(today: today))
        #expect(done.checkedByName == "Ola Owner" && done.checkedInWeek == W.week && done.checkedAt == W.now)
        let again = done.checked(.open, by: person, at: W.now, inWeek: W.week)
        #expect(again.isOpen && again.checkedAt == nil && again.checkedByName == nil)
        #expect(again == d.checked(.open, by: person, at: W.now, inWeek: W.week))

        // A record written before decisions had ids and statuses: open, with ids that stay the same.
        let json = #"{"text":"Chase the brief","dueOn":"2026-11-20"}"#
        let old = try JSONDecoder().decode(ReviewDecision.self, from: Data(json.utf8))
        #expect(old.id == nil && old.isOpen)
        var record = W.previous
        record.decisions = [old, old, ReviewDecision(id: F.id(9), text: "kept")]
        let once = record.withDecisionIDs()
        let twice = record.withDecisionIDs()
        #expect(once == twice)
        let ids = once.decisions.compactMap(\.id)
        #expect(ids.count == 3 && Set(ids).count == 3)
        #expect(ids[2] == F.id(9))
        var other = record
        other.week = W.week
        #expect(other.withDecisionIDs().decisions[0].id != ids[0])
    }

    @Test("an open decision with an owner is the owner's next action, overdue after its date, gone once checked off")
    func decisionsAsActions() {
        let quarry = UUID()
        let halyard = UUID()
        let daniel = Person(
            id: UUID(), organizationID: quarry, name: "Daniel Reyes", email: "d@q.example", role: .partnerManager)
        let marcus = Person(
            id: UUID(), organizationID: halyard, name: "Marcus Chen", email: "m@h.example", role: .partnerManager)
        let stranger = Person(id: UUID(), organizationID: UUID(), name: "Olga", email: "o@x.example", role: .admin)
        let ps = Partnership(id: UUID(), name: "Q × H", organizationIDs: [quarry, halyard], createdAt: W.now)
        let week = W.week
        let late = ReviewDecision(
            id: UUID(), text: "Send the references", ownerID: daniel.id, dueOn: LocalDate("2026-11-20"))
        let later = ReviewDecision(
            id: UUID(), text: "Book the workshop", ownerID: marcus.id, dueOn: LocalDate("2026-12-20"))
        let done = ReviewDecision(id: UUID(), text: "Done already", ownerID: marcus.id, status: .done)
        let nobody = ReviewDecision(id: UUID(), text: "No owner")
        let outside = ReviewDecision(id: UUID(), text: "Not theirs", ownerID: stranger.id)
        let actions = PartnershipActions.of(
            ps, calls: [], people: [daniel, marcus, stranger], companyNames: [:], today: LocalDate("2026-11-26")!,
            decisions: [late, later, done, nobody, outside].map { WeekDecision(week: week, decision: $0) }
        ).filter { $0.kind == .reviewDecision }
        #expect(actions.map(\.title) == ["Send the references", "Book the workshop"])
        #expect(actions.map(\.overdue) == [true, false])
        #expect(actions[0].waits(on: daniel) && !actions[0].waits(on: marcus))
        #expect(actions[1].organizationID == halyard)
        #expect(actions.allSatisfy { $0.week == week })
        let notes = Notifications.partnershipActions(actions, partnership: ps)
        #expect(notes.count == 2)
        #expect(notes[0].path == "/partnerships/\(ps.id.uuidString)/review#decisions")
        #expect(notes[0].kind == .actionOverdue && notes[1].kind == .actionWaiting)
        #expect(Set(notes.map(\.key)).count == 2)
    }

    @Test("the agenda puts what needs a decision first, fits thirty minutes and ends by confirming the decisions")
    func agenda() {
        var r = WeeklyReview.build(W.input())
        #expect(r.agenda.first?.topic == .stalled)
        #expect(r.agenda.last?.topic == .wrapUp && r.agenda.last?.minutes == ReviewAgenda.wrapUpMinutes)
        let firstInfo = r.agenda.firstIndex { !$0.needsDecision && $0.topic != .wrapUp } ?? r.agenda.count
        #expect(r.agenda[..<firstInfo].allSatisfy { $0.needsDecision })
        #expect(r.agenda.reduce(0) { $0 + $1.minutes } <= ReviewAgenda.totalMinutes)
        #expect(r.agenda.first { $0.topic == .stalled }?.count == r.stalled.count)

        // A heavy week: twenty stalled deals, twenty gates, nine of everything else ask for more than
        // thirty minutes (10 + 5 + 5 + 4 + 4 + 4 for the progress, read out last); the
        // last items get none (taken after the meeting) and the total stays thirty.
        r.stalled = Array(repeating: r.stalled[0], count: 20)
        r.gates = Array(repeating: r.gates[0], count: 20)
        r.previousDecisions = Array(repeating: ReviewDecision(id: UUID(), text: "x"), count: 9)
        r.newTargetAccounts = Array(repeating: r.newTargetAccounts[0], count: 9)
        r.awaitingReview = Array(repeating: r.awaitingReview[0], count: 9)
        let heavy = ReviewAgenda.build(r)
        #expect(heavy.reduce(0) { $0 + $1.minutes } == ReviewAgenda.totalMinutes)
        #expect(heavy.map(\.topic).prefix(3) == [.stalled, .decisions, .gates])
        #expect(heavy[0].minutes == 10)
        #expect(heavy.contains { $0.minutes == 0 && $0.topic != .wrapUp })
        #expect(heavy.last?.topic == .wrapUp && heavy.last?.minutes == ReviewAgenda.wrapUpMinutes)
        // Checked-off decisions ask for nothing.
        r.previousDecisions = r.previousDecisions.map {
            var d = $0; d.status = .done; return d
        }
        #expect(!ReviewAgenda.build(r).contains { $0.topic == .decisions })
    }
}
