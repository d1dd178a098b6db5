import CoSellDomain
import FluentKit
import Foundation

final class LessonRecord: Model, @unchecked Sendable {
    static let schema = "lessons"
    @ID(custom: "id", generatedBy: .user) var id: UUID?
    @Field(key: "deal_id") var dealID: UUID
    @Field(key: "partnership_id") var partnershipID: UUID
    @Field(key: "stage_key") var stageKey: String
    @OptionalField(key: "play") var play: String?
    @Field(key: "text") var text: String
    /// Lower-cased text, for case-insensitive search on every database.
    @Field(key: "search_text") var searchText: String
    @Field(key: "author_id") var authorID: UUID
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "applied_count") var appliedCount: Int

    init() {}

    init(_ l: Lesson, deal: Deal, play: String?) {
        id = l.id
        dealID = deal.id
        partnershipID = deal.partnershipID
        stageKey = l.stageKey
        self.play = play
        text = l.text
        searchText = l.text.lowercased()
        authorID = l.authorID
        createdAt = l.createdAt
        appliedCount = 0
    }

    var domainValue: LibraryLesson {
        LibraryLesson(
            id: id!, dealID: dealID, partnershipID: partnershipID, stageKey: stageKey, play: play, text: text,
            authorID: authorID, createdAt: createdAt, appliedCount: appliedCount)
    }
}

final class LessonApplicationRecord: Model, @unchecked Sendable {
    static let schema = "lesson_applications"
    @ID(custom: "id", generatedBy: .user) var id: UUID?
    @Field(key: "lesson_id") var lessonID: UUID
    @Field(key: "deal_id") var dealID: UUID
    @Field(key: "applied_by") var appliedBy: UUID
    @Field(key: "applied_at") var appliedAt: Date

    init() {}
}
