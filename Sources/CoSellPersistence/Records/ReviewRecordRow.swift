import CoSellDomain
import FluentKit
import Foundation

final class ReviewRecordRow: Model, @unchecked Sendable {
    static let schema = "partnership_reviews"
    @ID(custom: "id", generatedBy: .user) var id: UUID?
    @Field(key: "partnership_id") var partnershipID: UUID
    @Field(key: "week") var week: String
    @Field(key: "attendees") var attendees: String
    @Field(key: "decisions") var decisions: String
    @Field(key: "recorded_by") var recordedBy: UUID
    @Field(key: "recorded_by_name") var recordedByName: String
    @Field(key: "recorded_at") var recordedAt: Date
    @Field(key: "updated_at") var updatedAt: Date

    init() {}

    func domainValue() throws -> ReviewRecord {
        guard let w = ISOWeek(week) else {
            throw StoreError.invalid(field: "week", "Stored week \(week) is unreadable.")
        }
        return ReviewRecord(
            partnershipID: partnershipID, week: w, attendees: try JSONColumn.decode([String].self, from: attendees),
            decisions: try JSONColumn.decode([ReviewDecision].self, from: decisions), recordedBy: recordedBy,
            recordedByName: recordedByName, recordedAt: recordedAt, updatedAt: updatedAt
        ).withDecisionIDs()
    }
}
