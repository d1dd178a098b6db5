import CoSellDomain
import CoSellWorkflows
import Foundation

extension FluentWorkflowStore {
    /// `WeeklyReviewLoader`: the tuned loading (the facts cache when the store has one).
    public func weeklyReview(
        of partnership: Partnership, week: ISOWeek, viewer: Person?, now: Date, page: (limit: Int, offset: Int)?
    ) async throws -> WeeklyReview {
        try await WeeklyReviewLoader.load(
            store: store, partnership: partnership, week: week, viewer: viewer, now: now, page: page)
    }

    public func saveReviewRecord(_ record: ReviewRecord) async throws -> ReviewRecord {
        try await store.saveReviewRecord(record)
    }

    public func reviewRecord(partnershipID: UUID, week: ISOWeek) async throws -> ReviewRecord? {
        try await store.reviewRecord(partnershipID: partnershipID, week: week)
    }

    public func openReviewDecisions(
        ofPartnerships ids: [UUID], from week: ISOWeek
    ) async throws
        -> [UUID: [WeekDecision]]
    {
        try await store.openReviewDecisions(ofPartnerships: ids, from: week)
    }

    public func reviewRecords(partnershipID: UUID, from week: ISOWeek) async throws -> [ReviewRecord] {
        try await store.reviewRecords(partnershipID: partnershipID, from: week)
    }
}
