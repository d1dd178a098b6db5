import CoSellDomain
import Foundation
import Testing

/// The partner discovery call's rules: what a call must name, who confirms it, what a change does,
/// which call counts, and what the partnership then waits on.
@Suite("Discovery call")
struct DiscoveryCallTests {
    let quarry = UUID()
    let halyard = UUID()
    let outsider = UUID()
    let daniel: Person
    let priya: Person
    let marcus: Person
    let aisha: Person
    let olga: Person
    let partnership: Partnership
    let account = UUID()
    let day = LocalDate(year: 2026, month: 12, day: 3)!
    let at = Date(timeIntervalSince1970: 1_796_000_000)

    init() {
        daniel = Person(
            id: UUID(), organizationID: quarry, name: "Daniel Reyes", email: "d@q.example", role: .partnerManager)
        priya = Person(id: UUID(), organizationID: quarry, name: "Priya Natarajan", email: "p@q.example", role: .seller)
        marcus = Person(
            id: UUID(), organizationID: halyard, name: "Marcus Chen", email: "m@h.example", role: .partnerManager)
        aisha = Person(id: UUID(), organizationID: halyard, name: "Aisha Bello", email: "a@h.example", role: .seller)
        olga = Person(id: UUID(), organizationID: outsider, name: "Olga Berg", email: "o@b.example", role: .admin)
        partnership = Partnership(
            id: UUID(), name: "Quarry Data × Halyard Security", organizationIDs: [quarry, halyard],
            createdAt: Date(timeIntervalSince1970: 0))
    }

    var ctx: DiscoveryCalls.Context {
        .init(partnership: partnership, people: [daniel, priya, marcus, aisha, olga], accountIDs: [account])
    }
    var names: [UUID: String] { [quarry: "Quarry Data", halyard: "Halyard Security"] }

    func content(_ change: (inout DiscoveryCall.Content) -> Void = { _ in }) -> DiscoveryCall.Content {
        var c = DiscoveryCall.Content(
            heldOn: day, attendeeIDs: [daniel.id, marcus.id],
            useCase: .init(
                customer: " Regional banks ", problem: "Analytics projects wait on security reviews",
                contributions: [
                    .init(organizationID: quarry, text: "Governed analytics"),
                    .init(organizationID: halyard, text: "Data security posture"),
                ]), accountIDs: [account],
            nextMove: .init(text: "Review the named accounts", ownerID: daniel.id, dueOn: day.adding(days: 7)),
            verdict: .viable, reason: nil)
        change(&c)
        return c
    }

    func field(_ c: DiscoveryCall.Content) -> String? {
        do {
            _ = try DiscoveryCalls.validated(c, in: ctx)
            return nil
        } catch {
            if case .invalid(let f, _) = error { return f }
            return "other: \(error)"
        }
    }

    func call(_ c: DiscoveryCall.Content? = nil, createdAt: Date? = nil) -> DiscoveryCall {
        DiscoveryCall(
            id: UUID(), partnershipID: partnership.id, content: c ?? content(), recordedBy: daniel.id,
            createdAt: createdAt ?? at, updatedAt: createdAt ?? at)
    }

    @Test("a valid call is kept trimmed; a viable verdict needs no reason")
    func valid() throws {
        let kept = try DiscoveryCalls.validated(content(), in: ctx)
        #expect(kept.useCase.customer == "Regional banks")
        #expect(kept.reason == nil)
    }

    @Test("each bad field is refused by its name")
    func refusals() {
        #expect(field(content { $0.heldOn = LocalDate(year: 1990, month: 1, day: 1)! }) == "held_on")
        #expect(field(content { $0.attendeeIDs = [] }) == "attendee_ids")
        #expect(field(content { $0.attendeeIDs = [daniel.id, olga.id] }) == "attendee_ids[1]")
        #expect(field(content { $0.attendeeIDs = [daniel.id, daniel.id] }) == "attendee_ids[1]")
        #expect(field(content { $0.useCase.customer = "  " }) == "use_case.customer")
        #expect(field(content { $0.useCase.problem = String(repeating: "x", count: 2_001) }) == "use_case.problem")
        #expect(field(content { $0.useCase.contributions.removeLast() }) == "use_case.contributions")
        #expect(
            field(content { $0.useCase.contributions[1].organizationID = outsider }) == "use_case.contributions")
        #expect(field(content { $0.useCase.contributions[1].text = "" }) == "use_case.contributions[1].text")
        #expect(field(content { $0.accountIDs = [] }) == "account_ids")
        #expect(field(content { $0.accountIDs = [UUID()] }) == "account_ids[0]")
        #expect(field(content { $0.accountIDs = [account, account] }) == "account_ids[1]")
        #expect(field(content { $0.nextMove.text = "" }) == "next_move.text")
        #expect(field(content { $0.nextMove.ownerID = olga.id }) == "next_move.owner_id")
        #expect(field(content { $0.nextMove.dueOn = day.adding(days: -1) }) == "next_move.due_on")
        #expect(field(content { $0.verdict = .notYet }) == "reason")
        #expect(
            field(
                content {
                    $0.verdict = .notViable; $0.reason = "  "
                }) == "reason")
        #expect(
            field(
                content {
                    $0.verdict = .notViable; $0.reason = "No shared buyer"
                }) == nil)
    }

    @Test("each company's partner manager or admin confirms once; sellers and outsiders do not")
    func confirmation() throws {
        let c = call()
        #expect(throws: DealError.self) { try DiscoveryCalls.confirmed(c, by: priya, in: ctx, at: at) }
        #expect(throws: DealError.self) { try DiscoveryCalls.confirmed(c, by: olga, in: ctx, at: at) }
        let one = try DiscoveryCalls.confirmed(c, by: marcus, in: ctx, at: at)
        #expect(one.isConfirmed(by: halyard) && !one.isConfirmed(in: partnership))
        #expect(one.version == c.version + 1)
        #expect(throws: DealError.self) { try DiscoveryCalls.confirmed(one, by: marcus, in: ctx, at: at) }
        var admin = daniel
        admin.role = .admin
        let both = try DiscoveryCalls.confirmed(one, by: admin, in: ctx, at: at.addingTimeInterval(60))
        #expect(both.isConfirmed(in: partnership))
        #expect(both.confirmedAt(in: partnership) == at.addingTimeInterval(60))
    }

    @Test("a call without an attendee of each company cannot be confirmed")
    func bothSidesAttend() {
        let c = call(content { $0.attendeeIDs = [daniel.id, priya.id] })
        #expect(
            throws: DealError.conflict(
                "The call names no attendee of one of the two companies; add who attended for each company before confirming."
            )
        ) { try DiscoveryCalls.confirmed(c, by: daniel, in: ctx, at: at) }
    }

    @Test("a change of content clears the confirmations; the same content keeps them")
    func editClears() throws {
        let both = try DiscoveryCalls.confirmed(
            try DiscoveryCalls.confirmed(call(), by: marcus, in: ctx, at: at), by: daniel, in: ctx, at: at)
        #expect(DiscoveryCalls.edited(both, to: both.content, at: at) == both)
        let changed = DiscoveryCalls.edited(both, to: content { $0.nextMove.text = "Pick one deal" }, at: at)
        #expect(changed.confirmations.isEmpty)
        #expect(changed.version == both.version + 1)
        #expect(!changed.isConfirmed(in: partnership))
    }

    @Test("the status: none, draft, then the latest call both companies confirmed")
    func status() throws {
        #expect(DiscoveryCalls.status(of: [], in: partnership) == .none)
        let first = call()
        #expect(DiscoveryCalls.status(of: [first], in: partnership) == .draft)
        let viable = try DiscoveryCalls.confirmed(
            try DiscoveryCalls.confirmed(first, by: marcus, in: ctx, at: at), by: daniel, in: ctx, at: at)
        #expect(DiscoveryCalls.status(of: [viable], in: partnership) == .confirmed(.viable))
        // A later call still in draft does not change the status; once confirmed, it counts.
        let later = call(
            content {
                $0.heldOn = day.adding(days: 30)
                $0.nextMove.dueOn = day.adding(days: 40)
                $0.verdict = .notYet
                $0.reason = "Budget frozen"
            }, createdAt: at.addingTimeInterval(86_400))
        #expect(DiscoveryCalls.status(of: [viable, later], in: partnership) == .confirmed(.viable))
        let laterConfirmed = try DiscoveryCalls.confirmed(
            try DiscoveryCalls.confirmed(later, by: marcus, in: ctx, at: at), by: daniel, in: ctx, at: at)
        #expect(DiscoveryCalls.status(of: [viable, laterConfirmed], in: partnership) == .confirmed(.notYet))
        #expect(DiscoveryStatus.confirmed(.notViable).key == "not_viable")
    }

    @Test("what the partnership waits on: hold the call, confirm it, then the next move on its day")
    func actions() throws {
        let people = [daniel, priya, marcus, aisha]
        let hold = PartnershipActions.of(partnership, calls: [], people: people, companyNames: names, today: day)
        #expect(
            hold.map(\.title) == [
                "Hold the discovery call with Halyard Security", "Hold the discovery call with Quarry Data",
            ])
        #expect(hold[0].waits(on: daniel) && !hold[0].waits(on: priya) && hold[1].waits(on: marcus))

        var pending = partnership
        pending.status = .pending
        #expect(PartnershipActions.of(pending, calls: [], people: people, companyNames: names, today: day).isEmpty)

        let once = try DiscoveryCalls.confirmed(call(), by: marcus, in: ctx, at: at)
        let confirm = PartnershipActions.of(partnership, calls: [once], people: people, companyNames: names, today: day)
        #expect(confirm.map(\.title) == ["Confirm the discovery call with Halyard Security"])
        #expect(confirm[0].waits(on: daniel) && !confirm[0].waits(on: marcus))

        let both = try DiscoveryCalls.confirmed(once, by: daniel, in: ctx, at: at)
        #expect(
            PartnershipActions.of(partnership, calls: [both], people: people, companyNames: names, today: day).isEmpty)
        let due = PartnershipActions.of(
            partnership, calls: [both], people: people, companyNames: names, today: day.adding(days: 7))
        #expect(due.map(\.title) == ["Review the named accounts"])
        #expect(due[0].waits(on: daniel) && !due[0].overdue)
        let late = PartnershipActions.of(
            partnership, calls: [both], people: people, companyNames: names, today: day.adding(days: 8))
        #expect(late[0].overdue)
        let notes = Notifications.partnershipActions(late, partnership: partnership)
        #expect(notes.map(\.personID) == [daniel.id])
        #expect(notes[0].kind == .actionOverdue)
        #expect(notes[0].subject == "Quarry Data × Halyard Security: Review the named accounts")
    }

    @Test("with no partner manager, a company's admins are asked")
    func adminsWhenNoManager() {
        var sofia = marcus
        sofia.id = UUID()
        sofia.role = .admin
        let people = [daniel, sofia]
        let hold = PartnershipActions.of(partnership, calls: [], people: people, companyNames: names, today: day)
        #expect(hold[1].personIDs == [sofia.id])
    }
}

extension LocalDate {
    fileprivate func adding(days: Int) -> LocalDate { LocalDate(startOfDay.addingTimeInterval(Double(days) * 86_400)) }
}
