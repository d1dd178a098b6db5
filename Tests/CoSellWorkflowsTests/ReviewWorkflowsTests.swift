import CoSellDomain
import CoSellWorkflows
import Foundation
import Testing

/// The weekly review's verbs, on every store.
@Suite("Review workflows")
struct ReviewWorkflowsTests {
    let f = WorkflowFixture()
    struct NotRead: Error {}

    var week: ISOWeek { ISOWeek(containing: f.now) }

    func review(_ w: Workflows, by person: Person) async throws -> WeeklyReview {
        try await w.reviews.weeklyReview(of: f.partnership.id, by: f.principal(person)) {
            .init(week: week, page: (50, 0))
        }
    }

    @Test(
        "a review is recorded: attendees, decisions with their owners' names, shown by the review",
        arguments: StoreKind.all)
    func records(_ kind: StoreKind) async throws {
        try await f.run(kind) { w, _ in
            let saved = try await w.reviews.record(in: f.partnership.id, week: { week }, by: f.principal(f.priya)) {
                people in
                #expect(Set(people.map(\.id)) == [f.daniel.id, f.priya.id, f.marcus.id])
                return .init(
                    attendees: [" Priya Shah ", "Marcus Chen"],
                    decisions: [
                        ReviewDecision(
                            text: "Book the security review", ownerID: f.marcus.id, dueOn: LocalDate("2026-09-30")),
                        ReviewDecision(text: "Send the pricing sheet"),
                    ])
            }
            #expect(saved.attendees == ["Priya Shah", "Marcus Chen"])
            #expect(saved.decisions.map(\.ownerName) == ["Marcus Chen", nil])
            #expect(saved.recordedBy == f.priya.id)
            #expect(saved.recordedAt == f.now)
            let shown = try await review(w, by: f.marcus)
            #expect(shown.record == saved)

            // Recording the week again replaces what was recorded, keeping the first recording time.
            let later = Workflows(store: w.store, clock: { [now = f.now] in now.addingTimeInterval(3_600) })
            let again = try await later.reviews.record(in: f.partnership.id, week: { week }, by: f.principal(f.daniel))
            {
                _ in .init(attendees: ["Daniel Reyes"], decisions: [])
            }
            #expect(again.recordedAt == f.now)
            #expect(again.updatedAt == f.now.addingTimeInterval(3_600))
            #expect(try await review(w, by: f.daniel).record?.attendees == ["Daniel Reyes"])
        }
    }

    @Test(
        "a recording is refused: another organization (whatever its week), a read-only token, a pending partnership, a week not begun, an unknown owner, a bad attendee",
        arguments: StoreKind.all)
    func recordRefusals(_ kind: StoreKind) async throws {
        try await f.run(kind) { w, _ in
            let entry: @Sendable ([Person]) async throws -> ReviewWorkflows.Entry = { _ in
                .init(attendees: ["Priya Shah"], decisions: [])
            }
            await #expect(throws: WorkflowError.notFound("partnership")) {
                try await w.reviews.record(
                    in: f.partnership.id, week: { throw NotRead() }, by: f.principal(f.olga), entry)
            }
            await #expect(throws: NotRead.self) {
                try await w.reviews.record(in: f.partnership.id, week: { throw NotRead() }, by: f.principal(f.priya)) {
                    _ in throw WorkflowError.conflict("the entry is read after the week")
                }
            }
            await #expect(throws: WorkflowError.forbidden("This API token may only read.")) {
                try await w.reviews.record(
                    in: f.partnership.id, week: { week }, by: f.principal(f.daniel, scope: .read)
                ) { _ in throw NotRead() }
            }
            let pending = Partnership(
                id: UUID(), name: "Quarry Data + Beacon Cloud", organizationIDs: [f.quarry.id, f.outsider.id],
                status: .pending, createdAt: f.now)
            try await w.store.insertPartnership(pending)
            await #expect(
                throws: WorkflowError.conflict("The partnership is not accepted yet; there is no review to record.")
            ) {
                try await w.reviews.record(in: pending.id, week: { week }, by: f.principal(f.daniel), entry)
            }
            await #expect(
                throws: WorkflowError.invalid(
                    field: "week", "\(week.next) has not started yet: record a review once its week has begun.")
            ) {
                try await w.reviews.record(in: f.partnership.id, week: { week.next }, by: f.principal(f.daniel), entry)
            }
            await #expect(
                throws: WorkflowError.invalid(
                    field: "decisions[1].owner_id",
                    "The owner must be a person of one of the partnership's two organizations.")
            ) {
                try await w.reviews.record(in: f.partnership.id, week: { week }, by: f.principal(f.daniel)) { _ in
                    .init(
                        attendees: [],
                        decisions: [
                            ReviewDecision(text: "Mine", ownerID: f.daniel.id),
                            ReviewDecision(text: "Theirs", ownerID: f.olga.id),
                        ])
                }
            }
            await #expect(
                throws: WorkflowError.invalid(field: "attendees[1]", "An attendee is a name of 1 to 200 characters.")
            ) {
                try await w.reviews.record(in: f.partnership.id, week: { week }, by: f.principal(f.daniel)) { _ in
                    .init(attendees: ["Priya Shah", "  "], decisions: [])
                }
            }
            #expect(try await review(w, by: f.daniel).record == nil)
        }
    }

    @Test(
        "the review is read only by the partnership's two organizations, its week after that; it shows last week's decisions",
        arguments: StoreKind.all)
    func reads(_ kind: StoreKind) async throws {
        try await f.run(kind) { w, _ in
            _ = try await w.reviews.record(
                in: f.partnership.id, week: { week.previous }, by: f.principal(f.daniel)
            ) { _ in .init(attendees: [], decisions: [ReviewDecision(text: "Map the accounts", ownerID: f.marcus.id)]) }
            await #expect(throws: WorkflowError.notFound("partnership")) {
                try await w.reviews.weeklyReview(of: f.partnership.id, by: f.principal(f.olga)) { throw NotRead() }
            }
            await #expect(throws: NotRead.self) {
                try await w.reviews.weeklyReview(of: f.partnership.id, by: f.principal(f.marcus)) { throw NotRead() }
            }
            let shown = try await review(w, by: f.marcus)
            #expect(shown.week == week)
            #expect(shown.partnershipID == f.partnership.id)
            #expect(shown.record == nil)
            #expect(shown.previousWeek == week.previous)
            #expect(shown.previousDecisions.map(\.ownerName) == ["Marcus Chen"])
        }
    }
}
