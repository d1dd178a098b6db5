import CoSellDomain
import Foundation

/// What the weekly review's verbs read and write: the review as the store loads it (its loading is
/// tuned to the store: the facts cache, narrow reads), and the week's record.
public protocol ReviewStore: Sendable {
    /// The review of `partnership` for `week` as `viewer` sees it (sellers: only the deals they are
    /// on; nil: every deal of the partnership). With `page`, the review holds that page of its long
    /// lists (see `WeeklyReview.paged`).
    func weeklyReview(
        of partnership: Partnership, week: ISOWeek, viewer: Person?, now: Date, page: (limit: Int, offset: Int)?
    ) async throws -> WeeklyReview
    /// Records a week's attendees and decisions, replacing what was recorded for that week before;
    /// keeps the first recording time. Returns the stored record.
    func saveReviewRecord(_ record: ReviewRecord) async throws -> ReviewRecord
    /// The record of one week, when recorded (every decision with its id).
    func reviewRecord(partnershipID: UUID, week: ISOWeek) async throws -> ReviewRecord?
    /// The reviews recorded from `week` on (that week included), the oldest first.
    func reviewRecords(partnershipID: UUID, from week: ISOWeek) async throws -> [ReviewRecord]
    /// The open decisions of the reviews recorded from `week` on, of several partnerships at once,
    /// by partnership, the oldest week first.
    func openReviewDecisions(ofPartnerships ids: [UUID], from week: ISOWeek) async throws -> [UUID: [WeekDecision]]
}
