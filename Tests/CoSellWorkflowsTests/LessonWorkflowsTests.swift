import CoSellDomain
import CoSellWorkflows
import Foundation
import Testing

/// The lesson library's verb, on every store.
@Suite("Lesson workflows")
struct LessonWorkflowsTests {
    let f = WorkflowFixture()

    @Test(
        "a lesson from one deal is applied on the next, once; not on its own deal, not by outsiders",
        arguments: StoreKind.all)
    func applies(_ kind: StoreKind) async throws {
        try await f.run(kind) { w, probe in
            let first = try await f.openDeal(w)
            let next = try await f.openDeal(w)
            let id = try await probe.captureLesson(
                "Book the security review before the pilot", on: first, by: f.marcus, at: f.now)
            let applied = try await w.lessons.apply(id, to: next.id, by: f.principal(f.daniel))
            #expect(applied.lesson.appliedCount == 1)
            #expect(applied.lesson.dealID == first.id)
            #expect(applied.match == .partnership)
            #expect(applied.appliedOnThisDeal)
            await #expect(throws: WorkflowError.conflict("The lesson is already marked applied on this deal.")) {
                try await w.lessons.apply(id, to: next.id, by: f.principal(f.marcus))
            }
            await #expect(
                throws: WorkflowError.invalid(
                    field: "lesson_id", "This lesson was captured on this deal; apply it to the next one.")
            ) {
                try await w.lessons.apply(id, to: first.id, by: f.principal(f.daniel))
            }
            await #expect(throws: WorkflowError.notFound("deal")) {
                try await w.lessons.apply(id, to: next.id, by: f.principal(f.olga))
            }
            await #expect(throws: WorkflowError.notFound("lesson")) {
                try await w.lessons.apply(UUID(), to: next.id, by: f.principal(f.daniel))
            }
            #expect(try await w.store.libraryLesson(id)?.appliedCount == 1)
        }
    }
}
