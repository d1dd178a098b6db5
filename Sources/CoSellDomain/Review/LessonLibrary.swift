import Foundation

/// A lesson in the searchable library: captured at a deal's review, tagged with the stage it is about,
/// the deal's partnership and the play of the deal's joint account (nil when it has none).
public struct LibraryLesson: Codable, Sendable, Equatable, Identifiable {
    public var id: UUID
    public var dealID: UUID
    public var partnershipID: UUID
    public var stageKey: String
    /// The joint account's play (`partner_opens_door`, `host_opens_door`, `shared_customer`,
    /// `joint_prospect`, `other`), or nil.
    public var play: String?
    public var text: String
    public var authorID: UUID
    public var createdAt: Date
    /// On how many deals the lesson was marked applied.
    public var appliedCount: Int

    public init(
        id: UUID, dealID: UUID, partnershipID: UUID, stageKey: String, play: String?, text: String, authorID: UUID,
        createdAt: Date, appliedCount: Int = 0
    ) {
        self.id = id
        self.dealID = dealID
        self.partnershipID = partnershipID
        self.stageKey = stageKey
        self.play = play
        self.text = text
        self.authorID = authorID
        self.createdAt = createdAt
        self.appliedCount = appliedCount
    }
}

/// Why a lesson is suggested for a deal.
public enum LessonMatch: String, Codable, Sendable {
    /// From a deal of the same partnership.
    case partnership
    /// From a deal of another partnership on an account with the same play.
    case play
}

/// A lesson suggested for a deal's current stage.
public struct SuggestedLesson: Codable, Sendable, Equatable {
    public var lesson: LibraryLesson
    public var match: LessonMatch
    public var appliedOnThisDeal: Bool

    public init(lesson: LibraryLesson, match: LessonMatch, appliedOnThisDeal: Bool) {
        self.lesson = lesson
        self.match = match
        self.appliedOnThisDeal = appliedOnThisDeal
    }
}

/// How lessons reach the next deal.
public enum LessonRanking {
    /// Most reused first: by applied count (descending), then newest first (created, descending), then
    /// by id so that the order is total.
    public static func rank(_ lessons: [LibraryLesson]) -> [LibraryLesson] {
        lessons.sorted { a, b in
            if a.appliedCount != b.appliedCount { return a.appliedCount > b.appliedCount }
            if a.createdAt != b.createdAt { return a.createdAt > b.createdAt }
            return a.id.order < b.id.order
        }
    }

    /// The lessons for `stageKey` (the deal's current stage) from the deal's partnership or from
    /// deals on accounts with the same play (when the deal's account has one), never the deal's own,
    /// ranked by `rank`. `applied` holds the ids of the lessons already applied on this deal.
    public static func suggestions(
        dealID: UUID, partnershipID: UUID, play: String?, stageKey: String, library: [LibraryLesson],
        applied: Set<UUID>
    ) -> [SuggestedLesson] {
        let candidates = library.filter { l in
            l.stageKey == stageKey && l.dealID != dealID
                && (l.partnershipID == partnershipID || (play != nil && l.play == play))
        }
        return rank(candidates).map {
            SuggestedLesson(
                lesson: $0, match: $0.partnershipID == partnershipID ? .partnership : .play,
                appliedOnThisDeal: applied.contains($0.id))
        }
    }
}
