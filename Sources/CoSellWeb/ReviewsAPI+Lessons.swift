import CoSellDomain
import CoSellMatching
import CoSellPersistence
import CoSellWorkflows
import Foundation
import Vapor

extension ReviewsAPI {
    /// The lesson library: the lessons for a deal's stage, applying one, searching.
    static func lessonOperations() -> [APIOperation] {
        [
            APIOperation(
                .GET, "/api/v1/deals/{deal_id}/lessons", id: "listDealLessons",
                summary:
                    "Lessons for the deal's current stage from the same partnership or the same play, most applied then newest first",
                tag: "lessons", query: [API.limitParam, API.offsetParam],
                response: .object(
                    [
                        ("deal_id", .uuid), ("stage", .string()), ("play", .nullable(.string())),
                        ("items", .array(.ref("LibraryLesson"))), ("total", .integer(min: 0)),
                        ("limit", .integer(min: 1, max: 200)), ("offset", .integer(min: 0)),
                    ], required: ["deal_id", "stage", "items", "total", "limit", "offset"])
            ) { req in
                let p = try await req.principal()
                let (deal, playbook) = try await API.visibleDeal(req, p)
                let (limit, offset) = try API.paging(req)
                let stage = playbook.stages[deal.stageIndex].key
                let play = try await req.store.lessonPlay(of: deal)
                let mine = try await req.store.partnerships(of: p.person.organizationID).map(\.id)
                let candidates = try await req.store.lessonCandidates(
                    stageKey: stage, partnershipID: deal.partnershipID, play: play, partnershipIDs: mine)
                let applied = try await req.store.appliedLessonIDs(dealID: deal.id)
                let items = LessonRanking.suggestions(
                    dealID: deal.id, partnershipID: deal.partnershipID, play: play, stageKey: stage,
                    library: candidates, applied: applied)
                let page = offset < items.count ? Array(items[offset..<min(items.count, offset + limit)]) : []
                return try APIJSON.response(
                    DealLessonsView(
                        dealID: deal.id, stage: stage, play: play, items: page.map(LessonView.init),
                        total: items.count, limit: limit, offset: offset))
            },
            APIOperation(
                .POST, "/api/v1/deals/{deal_id}/lessons/{lesson_id}/applied", id: "applyLesson",
                summary: "Mark a lesson from the library applied on this deal (once per deal)", tag: "lessons",
                status: 201, response: .ref("LibraryLesson")
            ) { req in
                let p = try await req.principal()
                let dealID = try req.id("deal_id", "deal")
                // A malformed lesson id is a lesson nobody has: "not found", after the deal is found.
                let lessonID = (try? req.id("lesson_id", "lesson")) ?? UUID()
                let applied = try await req.workflows.lessons.apply(lessonID, to: dealID, by: p)
                return try APIJSON.response(LessonView(applied), status: .created)
            },
            APIOperation(
                .GET, "/api/v1/lessons", id: "searchLessons",
                summary: "Search the lesson library of your organization's partnerships", tag: "lessons",
                query: [
                    QueryParameter(
                        name: "q", schema: .string(maxLength: 200),
                        description: "Words the lesson's text contains (case-insensitive)."),
                    QueryParameter(
                        name: "stage", schema: .string(maxLength: 100), description: "Only lessons about this stage."),
                    QueryParameter(
                        name: "partnership_id", schema: .uuid, description: "Only lessons of this partnership."),
                    QueryParameter(
                        name: "play", schema: .enumeration(Play.allCases.map(\.rawValue)),
                        description: "Only lessons from accounts with this play."),
                    API.limitParam, API.offsetParam,
                ],
                response: APISchemas.list("LibraryLesson")
            ) { req in
                let p = try await req.principal()
                let (limit, offset) = try API.paging(req)
                var ids = try await req.store.partnerships(of: p.person.organizationID).map(\.id)
                var query = LessonQuery(partnershipIDs: ids, limit: limit, offset: offset)
                if let raw = try? req.query.get(String.self, at: "partnership_id") {
                    guard let id = UUID(uuidString: raw) else {
                        throw Problem.invalid("partnership_id", "partnership_id must be a UUID.")
                    }
                    ids = ids.filter { $0 == id }
                    query.partnershipIDs = ids
                }
                if let q = try? req.query.get(String.self, at: "q") {
                    guard q.count <= 200 else { throw Problem.invalid("q", "q must be at most 200 characters.") }
                    query.text = q.trimmingCharacters(in: .whitespaces)
                }
                if let s = try? req.query.get(String.self, at: "stage") {
                    guard s.count <= 100 else {
                        throw Problem.invalid("stage", "stage must be at most 100 characters.")
                    }
                    query.stageKey = s
                }
                if let raw = try? req.query.get(String.self, at: "play") {
                    guard Play(rawValue: raw) != nil else {
                        throw Problem.invalid(
                            "play", "play must be one of: \(Play.allCases.map(\.rawValue).joined(separator: ", ")).")
                    }
                    query.play = raw
                }
                let page = try await req.store.libraryLessons(query)
                return try APIJSON.response(
                    ListView(
                        items: page.items.map { LessonView($0) }, total: page.total,
                        limit: limit, offset: offset))
            },
        ]
    }
}

struct DealLessonsView: Encodable {
    var dealID: UUID
    var stage: String
    var play: String?
    var items: [LessonView]
    /// Suggestions in all, before paging.
    var total: Int
    var limit: Int
    var offset: Int

    enum CodingKeys: String, CodingKey { case dealID, stage, play, items, total, limit, offset }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(dealID, forKey: .dealID)
        try c.encode(stage, forKey: .stage)
        try c.encode(play, forKey: .play)
        try c.encode(items, forKey: .items)
        try c.encode(total, forKey: .total)
        try c.encode(limit, forKey: .limit)
        try c.encode(offset, forKey: .offset)
    }
}

/// A library lesson as the API shows it.
struct LessonView: Encodable {
    var id: UUID
    var dealID: UUID
    var partnershipID: UUID
    var stage: String
    var play: String?
    var text: String
    var authorID: UUID
    var createdAt: Date
    var appliedCount: Int
    var appliedOnThisDeal: Bool?
    var match: LessonMatch?

    init(_ l: LibraryLesson) {
        id = l.id
        dealID = l.dealID
        partnershipID = l.partnershipID
        stage = l.stageKey
        play = l.play
        text = l.text
        authorID = l.authorID
        createdAt = l.createdAt
        appliedCount = l.appliedCount
    }

    init(_ s: SuggestedLesson) {
        self.init(s.lesson)
        appliedOnThisDeal = s.appliedOnThisDeal
        match = s.match
    }

    enum CodingKeys: String, CodingKey {
        case id, dealID, partnershipID, stage, play, text, authorID, createdAt, appliedCount, appliedOnThisDeal, match
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(dealID, forKey: .dealID)
        try c.encode(partnershipID, forKey: .partnershipID)
        try c.encode(stage, forKey: .stage)
        try c.encode(play, forKey: .play)
        try c.encode(text, forKey: .text)
        try c.encode(authorID, forKey: .authorID)
        try c.encode(createdAt, forKey: .createdAt)
        try c.encode(appliedCount, forKey: .appliedCount)
        try c.encodeIfPresent(appliedOnThisDeal, forKey: .appliedOnThisDeal)
        try c.encodeIfPresent(match, forKey: .match)
    }
}
