import CoSellDomain
import Foundation
import Testing

/// A hand-built partnership for week 2026-W48 (Monday 23 November 00:00 UTC to Monday 30 November),
/// looked at on Thursday 26 November 12:00 UTC, with the previous review recorded for 2026-W46.
enum WeeklyFixture {
    typealias F = ReportsFixture
    static func at(_ text: String) -> Date { ISO8601DateFormatter().date(from: text)! }
    static let week = ISOWeek("2026-W48")!
    static let now = at("2026-11-26T12:00:00Z")
    static let hana = F.id(310)
    static let partnership = Partnership(
        id: F.partnershipA, name: "Quarry x Halyard", organizationIDs: [F.hostOrg, F.partnerOrg1],
        createdAt: F.t0)

    static func account(_ n: Int, _ created: String, origin: JointAccount.Origin = .overlap) -> JointAccount {
        JointAccount(
            id: F.id(2_000 + n), partnershipID: F.partnershipA, name: "Account \(n)", domain: nil, country: nil,
            industry: nil, employees: nil, origin: origin, reason: origin == .added ? "Met at a trade fair" : nil,
            populations: [], createdAt: at(created))
    }

    static let accounts = [
        account(1, "2026-11-15T23:59:59Z"),  // before the week after the previous review: out
        account(2, "2026-11-16T00:00:00Z"),  // the first instant after the previous review's week: in
        account(3, "2026-11-29T23:59:59Z", origin: .added),  // the last instant of the week: in
        account(4, "2026-11-30T00:00:00Z"),  // the next week: out
    ]

    static func event(_ deal: Int, _ seq: Int, _ at: String, _ kind: String, from: String, to: String?) -> DealEvent {
        DealEvent(
            id: F.id(5_000 + deal * 10 + seq), dealID: F.id(1_000 + deal), sequence: seq, at: Self.at(at),
            actorID: F.owner1, actorName: "Ola Owner", kind: kind, summary: kind,
            before: "{\"entered_at\":\"2026-11-01T00:00:00Z\",\"stage\":\"\(from)\"}",
            after: to.map { "{\"entered_at\":\"2026-11-01T00:00:00Z\",\"stage\":\"\($0)\"}" })
    }

    static func move(
        _ n: Int, side: MoveSide, owner: UUID?, ownerName: String?, due: String, done: Bool = false
    )
        -> DealMove
    {
        DealMove(
            id: F.id(7_000 + n), stageKey: "door_opener", templateKey: nil, description: "Move \(n)", side: side,
            ownerID: owner, ownerName: ownerName, dueOn: LocalDate(due), doneAt: done ? at("2026-11-21T00:00:00Z") : nil
        )
    }

    static var deals: [Deal] {
        // 1: advanced on the first instant of the week. 2: advanced the instant before it.
        var d1 = F.deal(1, stage: 1, entered: 326, strongFits: true)
        d1.lastActivityAt = at("2026-11-23T00:00:00Z")
        var d2 = F.deal(2, stage: 1, entered: 325, strongFits: true)
        d2.lastActivityAt = at("2026-11-22T23:59:59Z")
        // 3: door-opener gate overridden on Wednesday.
        var d3 = F.deal(3, stage: 2, entered: 328, strongFits: true)
        d3.passages = [
            StagePassage(
                stageKey: "door_opener", enteredAt: at("2026-11-01T00:00:00Z"), exitedAt: at("2026-11-25T10:00:00Z"),
                exit: .skipped, by: F.owner1, reason: "RFP quiet period", unmetAtExit: ["No first joint conversation."])
        ]
        d3.lastActivityAt = at("2026-11-25T10:00:00Z")
        // 4: a refused gate on Tuesday, and one the next Monday.
        var d4 = F.deal(4, stage: 2, entered: 320, strongFits: true)
        d4.lastActivityAt = at("2026-11-24T09:00:00Z")
        // 5: at the door-opener stage since 1 October, with overdue moves.
        var d5 = F.deal(5, stage: 1, entered: 273, strongFits: true, title: "Stalled deal")
        d5.moves = [
            move(1, side: .host, owner: hana, ownerName: "Hana Host", due: "2026-11-20"),
            move(2, side: .partner, owner: nil, ownerName: nil, due: "2026-11-25"),
            move(3, side: .host, owner: hana, ownerName: "Hana Host", due: "2026-11-10"),
            move(4, side: .host, owner: hana, ownerName: "Hana Host", due: "2026-11-01", done: true),
            move(5, side: .partner, owner: nil, ownerName: nil, due: "2026-11-26"),
        ]
        // 6: moving, not stalled.
        var d6 = F.deal(6, stage: 1, entered: 323, strongFits: true)
        d6.lastActivityAt = at("2026-11-25T00:00:00Z")
        // 7: won on 20 October, registered, no review yet.
        var d7 = F.deal(7, stage: 4, status: .won, entered: 310, strongFits: true)
        d7.evidence.close.outcome = F.outcome(.won, F.money("1000.00", F.eur), closedOn: "2026-10-20")
        d7.evidence.close.registration = F.registration(.partnerSourced)
        d7.lastActivityAt = at("2026-11-26T00:00:00Z")
        // 8: lost on 24 November and reviewed: one lesson this week, one the week before.
        var d8 = F.deal(8, stage: 1, status: .lost, entered: 320, strongFits: true)
        d8.evidence.close.outcome = F.outcome(.lost, F.money("500.00", F.eur), closedOn: "2026-11-24")
        d8.evidence.close.review = Review(
            heldOn: LocalDate("2026-11-25")!, attendees: ["Ana"],
            lessons: [
                Lesson(
                    id: F.id(8_001), stageKey: "door_opener", text: "Ask for the intro by name.", authorID: F.owner1,
                    createdAt: at("2026-11-25T15:00:00Z")),
                Lesson(
                    id: F.id(8_002), stageKey: "target_account_selection", text: "Older lesson.", authorID: F.owner1,
                    createdAt: at("2026-11-20T15:00:00Z")),
            ])
        d8.lastActivityAt = at("2026-11-25T15:00:00Z")
        return [d1, d2, d3, d4, d5, d6, d7, d8]
    }

    static let events = [
        event(1, 2, "2026-11-23T00:00:00Z", "stage_advanced", from: "target_account_selection", to: "door_opener"),
        event(2, 2, "2026-11-22T23:59:59Z", "stage_advanced", from: "target_account_selection", to: "door_opener"),
        event(3, 3, "2026-11-25T10:00:00Z", "gate_overridden", from: "door_opener", to: "joint_discovery"),
        event(6, 2, "2026-11-24T08:00:00Z", "move_updated", from: "door_opener", to: nil),
    ]

    static let refusals = [
        GateRefusal(
            dealID: F.id(1_004), stageKey: "joint_discovery", unmet: ["No shared account brief."], actorID: F.owner2,
            actorName: "Ben Seller", at: at("2026-11-24T09:00:00Z")),
        GateRefusal(
            dealID: F.id(1_004), stageKey: "joint_discovery", unmet: ["No shared account brief."], actorID: F.owner2,
            actorName: "Ben Seller", at: at("2026-11-30T00:00:00Z")),
    ]

    static let previous = ReviewRecord(
        partnershipID: F.partnershipA, week: ISOWeek("2026-W46")!, attendees: ["Ana", "Ben"],
        decisions: [
            ReviewDecision(
                text: "Book the intro", ownerID: hana, ownerName: "Hana Host", dueOn: LocalDate("2026-11-20"))
        ],
        recordedBy: F.owner1, recordedByName: "Ola Owner", recordedAt: at("2026-11-10T16:00:00Z"),
        updatedAt: at("2026-11-10T16:00:00Z"))

    static func input(
        now: Date = now, record: ReviewRecord? = nil, previous: ReviewRecord? = previous
    )
        -> WeeklyReviewInput
    {
        WeeklyReviewInput(
            partnership: partnership, week: week, now: now, accounts: accounts, deals: deals, events: events,
            refusals: refusals, playbooks: [F.playbook], record: record, previous: previous)
    }
}

@Suite("Weekly co-sell deal review")
struct WeeklyReviewTests {
    typealias W = WeeklyFixture
    typealias F = ReportsFixture

    @Test("each section holds what happened in the week, and nothing from either side of it")
    func sections() throws {
        let r = WeeklyReview.build(W.input())
        #expect(r.startsAt == W.at("2026-11-23T00:00:00Z"))
        #expect(r.endsAt == W.at("2026-11-30T00:00:00Z"))
        #expect(r.asOf == W.now)
        #expect(r.previousWeek?.description == "2026-W46")
        #expect(r.previousDecisions.map(\.text) == ["Book the intro"])
        // Accounts since the end of 2026-W46 (16 November 00:00) up to the end of this week.
        #expect(r.accountsSince == W.at("2026-11-16T00:00:00Z"))
        #expect(r.newTargetAccounts.map(\.name) == ["Account 2", "Account 3"])
        #expect(r.newTargetAccounts.map(\.origin) == [.overlap, .added])

        #expect(r.advanced.map(\.dealID) == [F.id(1_001), F.id(1_003)])
        #expect(r.advanced[0].fromStageName == "Target account selection")
        #expect(r.advanced[0].toStageName == "The door-opener move")
        #expect(r.advanced[0].overridden == false)
        #expect(r.advanced[1].overridden == true)

        #expect(r.gates.count == 2)
        #expect(r.gates[0].kind == .refused)
        #expect(r.gates[0].dealID == F.id(1_004))
        #expect(r.gates[0].stageName == "Joint discovery")
        #expect(r.gates[0].unmet == ["No shared account brief."])
        #expect(r.gates[1].kind == .overridden)
        #expect(r.gates[1].reason == "RFP quiet period")
        #expect(r.gates[1].unmet == ["No first joint conversation."])

        // Only deal 5 is stalled: 56 days in the door-opener stage (limit 21), idle as long (limit 14),
        // three moves overdue on 26 November.
        #expect(r.stalled.map(\.dealID) == [F.id(1_005)])
        let s = try #require(r.stalled.first)
        #expect(s.diagnosis.stall.daysInStage == 56)
        #expect(s.diagnosis.stall.signals.map(\.kind) == [.overStageLimit, .inactive, .overdueMoves])
        #expect(s.diagnosis.likelyCause?.pitfall == .noDoorOpener)
        #expect(s.overdue.count == 2)
        #expect(s.overdue[0].side == .host)
        #expect(s.overdue[0].ownerName == "Hana Host")
        #expect(s.overdue[0].moves.map(\.description) == ["Move 3", "Move 1"])
        #expect(s.overdue[0].moves.map(\.daysOverdue) == [16, 6])
        #expect(s.overdue[1].side == .partner)
        #expect(s.overdue[1].ownerID == nil)
        #expect(s.overdue[1].moves.map(\.description) == ["Move 2"])
        #expect(s.overdue[1].moves.map(\.daysOverdue) == [1])

        // Deal 7: outcome logged 20 October 00:00, 37 days before (limit 30); deal 8 has its lesson.
        #expect(r.awaitingReview.map(\.dealID) == [F.id(1_007)])
        #expect(r.awaitingReview[0].daysSinceOutcome == 37)
        #expect(r.awaitingReview[0].overdue)
        #expect(r.awaitingReview[0].registered)

        #expect(r.lessons.map(\.lessonID) == [F.id(8_001)])
        #expect(r.lessons[0].stageName == "The door-opener move")
        #expect(r.record == nil)
    }

    @Test("a deal abandoned in the week is listed with its stage and reason; one abandoned the week before is not")
    func abandoned() {
        var input = W.input()
        var d9 = F.deal(9, stage: 2, status: .abandoned, entered: 320, strongFits: true, title: "Given-up deal")
        d9.statusReason = "The customer froze the budget"
        var d10 = F.deal(10, stage: 1, status: .abandoned, entered: 300, strongFits: true, title: "Earlier deal")
        d10.statusReason = "No sponsor"
        var mid = W.event(9, 5, "2026-11-26T10:00:00Z", "abandoned", from: "joint_discovery", to: nil)
        mid.summary = "Ola Owner abandoned the deal: The customer froze the budget"
        var before = W.event(10, 5, "2026-11-20T10:00:00Z", "abandoned", from: "door_opener", to: nil)
        before.summary = "Ola Owner abandoned the deal: No sponsor"
        input = WeeklyReviewInput(
            partnership: input.partnership, week: input.week, now: input.now, accounts: input.accounts,
            deals: input.deals + [d9, d10], events: input.events + [mid, before], refusals: input.refusals,
            playbooks: input.playbooks, record: nil, previous: input.previous)
        let r = WeeklyReview.build(input)
        #expect(r.abandoned.map(\.dealID) == [F.id(1_009)])
        #expect(r.abandoned.first?.stageName == F.playbook.stages[2].name)
        #expect(r.abandoned.first?.summary == "Ola Owner abandoned the deal: The customer froze the budget")
        #expect(r.abandoned.first?.by == "Ola Owner")
        let md = r.markdown()
        #expect(md.contains("## Deals abandoned this week"))
        #expect(
            md.contains(
                "- Given-up deal, at \(F.playbook.stages[2].name): Ola Owner abandoned the deal: The customer froze the budget"
            ))
        #expect(!md.contains("No sponsor"))
        #expect(WeeklyReview.build(W.input()).markdown().contains("No deal was abandoned this week."))
    }

    @Test("a past week is measured at its end; without a previous review, accounts count from the week's start")
    func pastWeek() {
        let r = WeeklyReview.build(W.input(now: W.at("2027-02-01T00:00:00Z"), previous: nil))
        #expect(r.asOf == W.at("2026-11-30T00:00:00Z"))
        #expect(r.accountsSince == W.at("2026-11-23T00:00:00Z"))
        #expect(r.newTargetAccounts.map(\.name) == ["Account 3"])
        #expect(r.previousWeek == nil)
        #expect(r.previousDecisions.isEmpty)
        // 30 November 00:00: deal 5 has been 60 days in its stage.
        #expect(r.stalled.first?.diagnosis.stall.daysInStage == 60)
        // A previous record of the same or a later week is not "last week".
        var later = W.previous
        later.week = W.week
        #expect(WeeklyReview.build(W.input(previous: later)).previousWeek == nil)
    }

    @Test("the Markdown agenda, section by section")
    func markdown() {
        var record = W.previous
        record.week = W.week
        record.attendees = ["Ana *Lead*", "Ben"]
        record.decisions = [ReviewDecision(text: "Chase the brief", dueOn: LocalDate("2026-12-01"))]
        let text = WeeklyReview.build(W.input(record: record)).markdown()
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines.first == "# Weekly co-sell deal review: Quarry x Halyard, 2026-W48")
        #expect(lines.contains("Attendees: Ana \\*Lead\\*, Ben."))
        let headings = lines.filter { $0.hasPrefix("## ") }
        #expect(
            headings == [
                "## Agenda (15 minutes)", "## Last week's decisions", "## Named accounts", "## New target accounts",
                "## Deals that advanced", "## Stalled deals", "## Deals in the room: gates and late moves",
                "## Gates refused or overridden", "## Closed deals waiting for their review",
                "## Deals abandoned this week", "## Lessons captured this week", "## Decisions",
            ])
        #expect(lines.contains("- [ ] Book the intro (owner: Hana Host, due 2026-11-20)"))
        #expect(lines.contains("- Account 3 (added by hand: Met at a trade fair), 2026-11-29"))
        #expect(
            lines.contains(
                "- Deal 3 (Account 3): from The door-opener move to Joint discovery (gate overridden), 2026-11-25, by Ola Owner"
            ))
        #expect(lines.contains("### Stalled deal (Account 5), The door-opener move, 56 days in stage"))
        #expect(lines.contains("- Host side, Hana Host:"))
        #expect(lines.contains("  - Move 3, due 2026-11-10, 16 days overdue"))
        #expect(lines.contains("- Partner side, no owner named:"))
        #expect(lines.contains("  - Move 2, due 2026-11-25, 1 day overdue"))
        #expect(
            lines.contains(
                "- Refused: Deal 4 at Joint discovery, 2026-11-24, asked by Ben Seller: No shared account brief."))
        #expect(
            lines.contains(
                "- Deal 7: won on 2026-10-20, registered, outcome logged 37 days ago, review overdue"))
        #expect(lines.contains("- The door-opener move (Deal 8): Ask for the intro by name."))
        #expect(lines.contains("- [ ] Chase the brief (due 2026-12-01)"))
        #expect(text.hasSuffix("- [ ] Chase the brief (due 2026-12-01)\n"))
    }

    @Test("paging cuts each long list alike and keeps the totals; the Markdown says which items it shows")
    func paging() {
        let whole = WeeklyReview.build(W.input())
        #expect(whole.page == nil)
        let page = whole.paged(limit: 1, offset: 1)
        #expect(page.page?.totals.advanced == whole.advanced.count)
        #expect(page.page?.totals.newTargetAccounts == whole.newTargetAccounts.count)
        #expect(page.advanced == Array(whole.advanced.dropFirst().prefix(1)))
        #expect(page.newTargetAccounts == Array(whole.newTargetAccounts.dropFirst().prefix(1)))
        #expect(page.stalled == Array(whole.stalled.dropFirst().prefix(1)))
        #expect(page.gates == Array(whole.gates.dropFirst().prefix(1)))
        #expect(page.week == whole.week && page.previousDecisions == whole.previousDecisions)
        #expect(page.record == whole.record)
        #expect(whole.paged(limit: 50, offset: 0).advanced == whole.advanced)
        let far = whole.paged(limit: 10, offset: 1_000)
        #expect(far.advanced.isEmpty && far.page?.totals.advanced == whole.advanced.count)
        #expect(far.page?.hasNext == false)
        #expect(
            whole.paged(limit: 1, offset: 0).page?.hasNext
                == (whole.advanced.count > 1 || whole.stalled.count > 1 || whole.gates.count > 1
                    || whole.newTargetAccounts.count > 1 || whole.awaitingReview.count > 1 || whole.lessons.count > 1))
        #expect(whole.advanced.count >= 2)
        let md = page.markdown()
        #expect(md.contains("Items 2 to 2 of \(whole.advanced.count) (`offset` 1, `limit` 1)."))
        #expect(far.markdown().contains("None on this page (`offset` 1000): \(whole.advanced.count) in all."))
        // An unpaged review's agenda is unchanged by paging support.
        #expect(!whole.markdown().contains("`offset`"))
    }

    @Test("building one page equals building the whole review and paging it, for every page")
    func buildingAPage() {
        // The fixture's week, and the demo workspace's (five deals stalled by the five pitfalls,
        // each differently long in its stage) measured at two instants.
        let now = W.at("2026-05-19T12:00:00Z")
        let demo = DemoWorkspace.make(now: now)
        let demoInputs = [now, now.addingTimeInterval(30 * 86_400)].map { at in
            WeeklyReviewInput(
                partnership: demo.partnership, week: ISOWeek(containing: at), now: at, accounts: demo.jointAccounts,
                deals: demo.deals.map(\.deal), events: [], refusals: [], playbooks: [demo.playbook], record: nil,
                previous: nil)
        }
        var mostStalled = 0
        for input in [W.input(), W.input(now: W.at("2027-02-01T00:00:00Z"), previous: nil)] + demoInputs {
            let whole = WeeklyReview.build(input)
            mostStalled = max(mostStalled, whole.stalled.count)
            let longest = [
                whole.stalled.count, whole.advanced.count, whole.gates.count, whole.newTargetAccounts.count,
                whole.awaitingReview.count, whole.lessons.count,
            ].max()!
            for limit in [1, 2, 50] {
                for offset in 0...(longest + 1) {
                    #expect(
                        WeeklyReview.build(input, limit: limit, offset: offset)
                            == whole.paged(limit: limit, offset: offset), "limit \(limit) offset \(offset)")
                }
            }
        }
        #expect(mostStalled >= 5)
    }

    @Test("an empty week reads as such")
    func emptyMarkdown() {
        let input = WeeklyReviewInput(
            partnership: W.partnership, week: W.week, now: W.now, accounts: [], deals: [], events: [], refusals: [],
            playbooks: [F.playbook], record: nil, previous: nil)
        #expect(
            WeeklyReview.build(input).markdown() == """
                # Weekly co-sell deal review: Quarry x Halyard, 2026-W48

                Week 2026-W48: Monday 2026-11-23 to Sunday 2026-11-29 (UTC). Stalls as of 2026-11-26T12:00:00Z.

                ## Agenda (2 minutes)

                1. 2 min: Confirm the decisions taken. Does each decision have one owner and a due date?

                ## Last week's decisions

                No earlier review is recorded.

                ## Named accounts

                No account executive has named accounts in this partnership.

                ## New target accounts

                No joint account added since 2026-11-23T00:00:00Z.

                ## Deals that advanced

                No deal left a stage this week.

                ## Stalled deals

                No deal is stalled.

                ## Deals in the room: gates and late moves

                No deal to discuss this week.

                ## Gates refused or overridden

                No gate was refused or overridden this week.

                ## Closed deals waiting for their review

                Every closed deal has its review.

                ## Deals abandoned this week

                No deal was abandoned this week.

                ## Lessons captured this week

                No lesson was captured this week.

                ## Decisions

                None recorded yet.

                """)
    }

    @Test("review records: attendees and decisions are trimmed and checked, naming the field")
    func validation() throws {
        let (names, decisions) = try ReviewRecord.validated(
            attendees: ["  Ana ", "Ben"], decisions: [ReviewDecision(text: " Call the CFO \n")])
        #expect(names == ["Ana", "Ben"])
        #expect(decisions.map(\.text) == ["Call the CFO"])
        #expect(throws: DealError.invalid(field: "attendees[1]", "An attendee is a name of 1 to 200 characters.")) {
            try ReviewRecord.validated(attendees: ["Ana", "  "], decisions: [])
        }
        #expect(
            throws: DealError.invalid(field: "decisions[0].text", "A decision is a text of 1 to 10,000 characters.")
        ) {
            try ReviewRecord.validated(attendees: [], decisions: [ReviewDecision(text: "")])
        }
        #expect(throws: DealError.invalid(field: "decisions", "At most 100 decisions.")) {
            try ReviewRecord.validated(
                attendees: [], decisions: Array(repeating: ReviewDecision(text: "x"), count: 101))
        }
    }
}
