import CoSellDomain
import FluentKit
import FluentSQL
import Foundation

/// What to look for in the lesson library.
public struct LessonQuery: Sendable {
    /// Only lessons of these partnerships (the caller's).
    public var partnershipIDs: [UUID]
    public var text: String?
    public var stageKey: String?
    public var play: String?
    public var limit: Int
    public var offset: Int

    public init(
        partnershipIDs: [UUID], text: String? = nil, stageKey: String? = nil, play: String? = nil, limit: Int = 50,
        offset: Int = 0
    ) {
        self.partnershipIDs = partnershipIDs
        self.text = text
        self.stageKey = stageKey
        self.play = play
        self.limit = limit
        self.offset = offset
    }
}

extension CoSellStore {
    /// The play of the deal's joint account (the two companies' populations), for lesson ranking.
    public func lessonPlay(of deal: Deal) async throws -> String? {
        try await LessonLibrary.play(of: deal, on: db)
    }

    public func libraryLesson(_ id: UUID) async throws -> LibraryLesson? {
        try await LessonRecord.find(id, on: db)?.domainValue
    }

    /// Searches the library: case-insensitive substring of the text, stage, play; ranked like the
    /// suggestions (most applied, then newest).
    public func libraryLessons(_ query: LessonQuery) async throws -> Page<LibraryLesson> {
        guard !query.partnershipIDs.isEmpty else { return Page(items: [], total: 0) }
        var q = LessonRecord.query(on: db).filter(\.$partnershipID ~~ query.partnershipIDs)
        if let s = query.stageKey { q = q.filter(\.$stageKey == s) }
        if let p = query.play { q = q.filter(\.$play == p) }
        if let t = query.text?.lowercased(), !t.isEmpty {
            q = q.filter(\.$searchText, .contains(inverse: false, .anywhere), t)
        }
        let total = try await q.count()
        let items = try await q.sort(\.$appliedCount, .descending).sort(\.$createdAt, .descending).sort(\.$id)
            .range(query.offset..<(query.offset + query.limit)).all().map(\.domainValue)
        return Page(items: items, total: total)
    }

    /// Lessons about `stageKey` from `partnershipID`, or with `play` from any of `partnershipIDs`.
    public func lessonCandidates(
        stageKey: String, partnershipID: UUID, play: String?, partnershipIDs: [UUID], limit: Int? = nil
    ) async throws -> [LibraryLesson] {
        var q = LessonRecord.query(on: db).filter(\.$stageKey == stageKey)
        if let play, !partnershipIDs.isEmpty {
            q = q.group(.or) { or in
                or.filter(\.$partnershipID == partnershipID)
                or.group(.and) { $0.filter(\.$play == play).filter(\.$partnershipID ~~ partnershipIDs) }
            }
        } else {
            q = q.filter(\.$partnershipID == partnershipID)
        }
        if let limit {
            // The ranking's own order (most applied, newest), so that the first `limit` are its top.
            q = q.sort(\.$appliedCount, .descending).sort(\.$createdAt, .descending).limit(limit)
        }
        return try await q.all().map(\.domainValue)
    }

    public func appliedLessonIDs(dealID: UUID) async throws -> Set<UUID> {
        Set(try await LessonApplicationRecord.query(on: db).filter(\.$dealID == dealID).all(\.$lessonID))
    }

    /// Marks a lesson applied on a deal, once; counts the application on the lesson.
    public func applyLesson(
        _ lessonID: UUID, on dealID: UUID, by personID: UUID, at: Date
    ) async throws
        -> LibraryLesson
    {
        do {
            return try await transaction { tx in
                if try await LessonApplicationRecord.query(on: tx).filter(\.$lessonID == lessonID)
                    .filter(\.$dealID == dealID).count() > 0
                {
                    throw StoreError.conflict("The lesson is already marked applied on this deal.")
                }
                let a = LessonApplicationRecord()
                a.id = UUID()
                a.lessonID = lessonID
                a.dealID = dealID
                a.appliedBy = personID
                a.appliedAt = at
                try await a.create(on: tx)
                guard let lesson = try await LessonRecord.find(lessonID, on: tx) else {
                    throw StoreError.notFound("lesson")
                }
                lesson.appliedCount += 1
                try await lesson.update(on: tx)
                return lesson.domainValue
            }
        } catch let e as any DatabaseError where e.isConstraintFailure {
            throw StoreError.conflict("The lesson is already marked applied on this deal.")
        }
    }

    /// The lessons of a partnership's deals captured in `[from, to)`, from the lesson library (the
    /// columns the review shows, not the model: a busy week holds thousands).
    public func lessonsCaptured(partnershipID: UUID, from: Date, to: Date) async throws -> [CapturedLesson] {
        try await sql.select().column("id").column("deal_id").column("stage_key").column("text").column("author_id")
            .column("created_at").from(LessonRecord.schema).where("partnership_id", .equal, partnershipID)
            .where("created_at", .greaterThanOrEqual, from).where("created_at", .lessThan, to).all()
            .map {
                CapturedLesson(
                    dealID: try $0.decode(column: "deal_id", as: UUID.self),
                    lesson: Lesson(
                        id: try $0.decode(column: "id", as: UUID.self),
                        stageKey: try $0.decode(column: "stage_key", as: String.self),
                        text: try $0.decode(column: "text", as: String.self),
                        authorID: try $0.decode(column: "author_id", as: UUID.self),
                        createdAt: try $0.decode(column: "created_at", as: Date.self)))
            }
    }
}
