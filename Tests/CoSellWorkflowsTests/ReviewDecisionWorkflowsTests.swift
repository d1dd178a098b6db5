import CoSellDomain
import CoSellWorkflows
import Foundation
import Testing

/// Decisions of the weekly review carried to the next week and checked off there, on every store.
@Suite("Review workflows: decisions carried and checked off")
struct ReviewDecisionWorkflowsTests {
    let f = WorkflowFixture()
    struct NotRead: Error {}

    var week: ISOWeek { ISOWeek(containing: f.now) }

    func review(_ w: Workflows, by person: Person) async throws -> WeeklyReview {
        try await w.reviews.weeklyReview(of: f.partnership.id, by: f.principal(person)) {
            .init(week: week, page: (50, 0))
        }
    }

    func record(_ w: Workflows, _ week: ISOWeek, _ decisions: [ReviewDecision]) async throws -> ReviewRecord {
        try await w.reviews.record(in: f.partnership.id, week: { week }, by: f.principal(f.daniel)) { _ in
            .init(attendees: ["Daniel Reyes", "Marcus Chen"], decisions: decisions)
        }
    }

    @Test(
        "last week's decisions open this week's review; one checked off is done, audited for both companies, and stays so when the week is recorded again",
        arguments: StoreKind.all)
    func checkOff(_ kind: StoreKind) async throws {
        try await f.run(kind) { w, probe in
            let last = try await record(
                w, week.previous,
                [
                    ReviewDecision(text: "Send the references", ownerID: f.marcus.id, dueOn: LocalDate("2026-09-18")),
                    ReviewDecision(text: "Book the workshop"),
                ])
            let ids = last.decisions.compactMap(\.id)
            #expect(ids.count == 2 && Set(ids).count == 2)
            let before = try await review(w, by: f.marcus)
            #expect(before.previousDecisions.map(\.id) == ids)
            #expect(before.previousDecisions.allSatisfy { $0.isOpen })
            #expect(before.agenda.contains { $0.topic == .decisions && $0.count == 2 })

            let done = try await w.reviews.checkOff(
                ids[0], of: week.previous, in: f.partnership.id, as: { .done }, by: f.principal(f.marcus))
            let checked = try #require(done.decisions.first { $0.id == ids[0] })
            #expect(checked.status == .done)
            #expect(
                checked.checkedByName == "Marcus Chen" && checked.checkedInWeek == week && checked.checkedAt == f.now)
            #expect(done.decisions[1].isOpen)
            for org in [f.quarry.id, f.halyard.id] {
                #expect(try await probe.auditKinds(org).filter { $0 == "review_decision_checked" }.count == 1)
            }
            // The same status again changes nothing and writes no line.
            _ = try await w.reviews.checkOff(
                ids[0], of: week.previous, in: f.partnership.id, as: { .done }, by: f.principal(f.daniel))
            #expect(try await probe.auditKinds(f.quarry.id).filter { $0 == "review_decision_checked" }.count == 1)
            let after = try await review(w, by: f.daniel)
            #expect(after.previousDecisions.map(\.status) == [.done, nil])
            #expect(after.agenda.first { $0.topic == .decisions }?.count == 1)

            // Recording last week again with the same texts keeps the ids and the check.
            let again = try await record(
                w, week.previous,
                [ReviewDecision(text: "Book the workshop"), ReviewDecision(text: "Send the references")])
            #expect(again.decisions.map(\.id) == [ids[1], ids[0]])
            #expect(again.decisions[1].status == .done && again.decisions[1].checkedByName == "Marcus Chen")
            // A changed text is a new decision; an id the week does not hold is refused, naming it.
            let changed = try await record(w, week.previous, [ReviewDecision(text: "Send the two references")])
            #expect(changed.decisions[0].id != ids[0] && changed.decisions[0].isOpen)
            await #expect(
                throws: WorkflowError.invalid(
                    field: "decisions[0].id", "The review of \(week.previous) has no decision with this id.")
            ) {
                _ = try await record(w, week.previous, [ReviewDecision(id: UUID(), text: "x")])
            }
        }
    }

    @Test(
        "checking off is refused: another organization (before the body is read), a viewer or read token, an unknown week or decision",
        arguments: StoreKind.all)
    func refusals(_ kind: StoreKind) async throws {
        try await f.run(kind) { w, _ in
            let last = try await record(w, week.previous, [ReviewDecision(text: "Send the references")])
            let id = try #require(last.decisions.first?.id)
            let ps = f.partnership.id
            await #expect(throws: WorkflowError.notFound("partnership")) {
                try await w.reviews.checkOff(
                    id, of: week.previous, in: ps, as: { throw NotRead() }, by: f.principal(f.olga))
            }
            await #expect(throws: WorkflowError.forbidden("This API token may only read.")) {
                try await w.reviews.checkOff(
                    id, of: week.previous, in: ps, as: { throw NotRead() }, by: f.principal(f.daniel, scope: .read))
            }
            await #expect(throws: WorkflowError.notFound("review")) {
                try await w.reviews.checkOff(id, of: week, in: ps, as: { .done }, by: f.principal(f.daniel))
            }
            await #expect(throws: WorkflowError.notFound("decision")) {
                try await w.reviews.checkOff(
                    UUID(), of: week.previous, in: ps, as: { .done }, by: f.principal(f.daniel))
            }
        }
    }

    @Test(
        "a decision still open two reviews back is carried into this week's review until it is checked off there",
        arguments: StoreKind.all)
    func carried(_ kind: StoreKind) async throws {
        try await f.run(kind) { w, _ in
            let older = week.previous.previous.previous
            let old = try await record(
                w, older,
                [
                    ReviewDecision(text: "Share the healthcare references", ownerID: f.daniel.id),
                    ReviewDecision(text: "Done one"),
                ])
            let ids = old.decisions.compactMap(\.id)
            // "Done one" was checked off at the review of the week after it: not carried.
            let then = Workflows(store: w.store, clock: { [at = older.next.start] in at.addingTimeInterval(86_400) })
            _ = try await then.reviews.checkOff(
                ids[1], of: older, in: f.partnership.id, as: { .done }, by: f.principal(f.daniel))
            _ = try await record(w, week.previous, [ReviewDecision(text: "Book the workshop")])
            let r = try await review(w, by: f.priya)
            #expect(r.previousWeek == week.previous)
            #expect(r.previousDecisions.map(\.text) == ["Book the workshop"])
            #expect(r.carriedDecisions.map(\.decision.text) == ["Share the healthcare references"])
            #expect(r.carriedDecisions.map(\.week) == [older])
            _ = try await w.reviews.checkOff(
                ids[0], of: older, in: f.partnership.id, as: { .dropped }, by: f.principal(f.priya))
            // Checked off at this week's review: still shown there, dropped; no longer asked for.
            let after = try await review(w, by: f.priya)
            #expect(after.carriedDecisions.map(\.decision.status) == [.dropped])
            #expect(after.agenda.first { $0.topic == .decisions }?.count == 1)
        }
    }

    @Test("a check-off whose audit line fails leaves the decision open", arguments: StoreKind.all)
    func allOrNothing(_ kind: StoreKind) async throws {
        try await f.run(kind) { w, _ in
            let last = try await record(w, week.previous, [ReviewDecision(text: "Send the references")])
            let id = try #require(last.decisions.first?.id)
            let failing = Workflows(store: FailingStore(base: w.store), clock: w.clock)
            await #expect(throws: FailingStore.Injected.self) {
                try await failing.reviews.checkOff(
                    id, of: week.previous, in: f.partnership.id, as: { .done }, by: f.principal(f.daniel))
            }
            #expect(try await review(w, by: f.daniel).previousDecisions.first?.isOpen == true)
        }
    }
}
