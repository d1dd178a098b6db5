import CoSellDomain
import Foundation

/// The verbs of the lesson library: what the next deal takes from the last one's review.
public struct LessonWorkflows: Sendable {
    let store: any WorkflowStore
    let clock: @Sendable () -> Date

    /// Marks a lesson of one of the principal's partnerships applied on a deal they may see (once
    /// per deal; not on the deal it was captured on). Returns the lesson with its new count, and
    /// whether it came from this deal's partnership or from another one with the same play.
    public func apply(_ lessonID: UUID, to dealID: UUID, by p: Principal) async throws -> SuggestedLesson {
        let now = clock()
        return try await store.transaction { s in
            let (deal, _) = try await Access(store: s).visibleDeal(dealID, p)
            let mine = Set(try await s.partnerships(of: p.person.organizationID).map(\.id))
            guard let lesson = try await s.libraryLesson(lessonID), mine.contains(lesson.partnershipID) else {
                throw WorkflowError.notFound("lesson")
            }
            try p.requireWrite()
            guard lesson.dealID != deal.id else {
                throw WorkflowError.invalid(
                    field: "lesson_id", "This lesson was captured on this deal; apply it to the next one.")
            }
            let updated = try await s.applyLesson(lessonID, on: deal.id, by: p.person.id, at: now)
            return SuggestedLesson(
                lesson: updated, match: updated.partnershipID == deal.partnershipID ? .partnership : .play,
                appliedOnThisDeal: true)
        }
    }
}
