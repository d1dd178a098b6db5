import CoSellDomain
import CoSellMatching
import CoSellPersistence
import Foundation
import Vapor

/// Loads what the weekly co-sell deal review is built from and builds it.
public enum WeeklyReviewLoader {
    /// The review of `partnership` for `week` as `viewer` sees it (sellers: only the deals they are
    /// on); with no viewer (the command line, run by the operator), every deal of the partnership.
    /// With `page`, the review holds that page of its long lists (see `WeeklyReview.paged`), and the
    /// costly parts are worked out for that page only.
    public static func load(
        store: CoSellStore, partnership: Partnership, week: ISOWeek, viewer: Person?, now: Date,
        page: (limit: Int, offset: Int)? = nil
    ) async throws -> WeeklyReview {
        let org = viewer?.organizationID ?? partnership.organizationIDs[0]
        // The facts of the deals not completed (stalled, or closed and awaiting their review), and of
        // the deals the week's entries name (with the server's facts cache, every deal's: at hand);
        // whole deals only for the overrides the review quotes.
        var facts = try await store.reportFacts(
            visibleTo: org, partnershipID: partnership.id, uncompletedOnly: store.factsCache == nil)
        let record = try await store.reviewRecord(partnershipID: partnership.id, week: week)
        let previous = try await store.reviewRecord(partnershipID: partnership.id, before: week)
        let since = previous.map { $0.week.end } ?? week.start
        let accounts = try await store.jointAccounts(
            of: partnership.id, createdFrom: min(since, week.start), to: week.end)
        var events = try await store.events(
            ofPartnership: partnership.id, from: week.start, to: week.end, kinds: WeeklyReview.timelineKinds)
        var refusals = try await store.gateRefusals(partnershipID: partnership.id, from: week.start, to: week.end)
        let lessons = try await store.lessonsCaptured(partnershipID: partnership.id, from: week.start, to: week.end)
        let loaded = Set(facts.map(\.id))
        let named = Set(events.map(\.dealID)).union(refusals.map(\.dealID)).union(lessons.map(\.dealID))
            .subtracting(loaded)
        // (Only when there are some: appending nothing would still copy the cache's array.)
        if !named.isEmpty {
            facts += try await store.facts(ids: Array(named)).values.filter { $0.partnershipID == partnership.id }
        }
        if let viewer { facts = facts.filter { Visibility.canSee($0, person: viewer, partnership: partnership) } }
        let visible = Set(facts.map(\.id))
        events = events.filter { visible.contains($0.dealID) }
        refusals = refusals.filter { visible.contains($0.dealID) }
        var playbooks: [Playbook] = []
        for id in Set(facts.map(\.playbookID)) { playbooks += try await store.playbookVersions(id) }
        let input = WeeklyReviewInput(
            partnership: partnership, week: week, now: now, accounts: accounts, facts: facts, deals: [],
            capturedLessons: lessons, events: events, refusals: refusals, playbooks: playbooks, record: record,
            previous: previous)
        let review =
            page.map { WeeklyReview.build(input, limit: $0.limit, offset: $0.offset) } ?? WeeklyReview.build(input)
        // The overrides this review shows, quoted from their deals.
        let quoted = Set(review.gates.filter { $0.kind == .overridden }.map(\.dealID))
        if quoted.isEmpty { return review }
        return review.quotingOverrides(from: try await store.deals(ids: Array(quoted)))
    }
}

/// The weekly co-sell deal review, its records, and the lesson library over the API.
enum ReviewsAPI {
    static let weekParameterNote = "an ISO week such as 2026-W48 (Monday 00:00 UTC to the next Monday)"

    static let components: [(String, Schema)] = [
        (
            "ReviewDecision",
            .object(
                [("text", .string()), ("owner_id", .uuid), ("owner_name", .string()), ("due_on", .date)],
                required: ["text"])
        ),
        (
            "ReviewRecord",
            .object(
                [
                    ("partnership_id", .uuid), ("week", .string()), ("attendees", .array(.string())),
                    ("decisions", .array(.ref("ReviewDecision"))), ("recorded_by", .uuid),
                    ("recorded_by_name", .string()), ("recorded_at", .dateTime), ("updated_at", .dateTime),
                ],
                required: ["partnership_id", "week", "attendees", "decisions", "recorded_at", "updated_at"])
        ),
        (
            "WeeklyReview",
            .object(
                [
                    ("partnership_id", .uuid), ("partnership_name", .string()), ("week", .string()),
                    ("starts_at", .dateTime), ("ends_at", .dateTime), ("as_of", .dateTime),
                    ("previous_week", .string()), ("previous_decisions", .array(.ref("ReviewDecision"))),
                    ("accounts_since", .dateTime), ("new_target_accounts", .array(.any)), ("advanced", .array(.any)),
                    ("stalled", .array(.any)), ("gates", .array(.any)), ("awaiting_review", .array(.any)),
                    ("lessons", .array(.any)), ("record", .ref("ReviewRecord")),
                    (
                        "page",
                        .object(
                            [
                                ("limit", .integer(min: 1, max: 200)), ("offset", .integer(min: 0)),
                                (
                                    "totals",
                                    .object(
                                        ReviewList.allCases.map { ($0.rawValue, Schema.integer(min: 0)) },
                                        required: ReviewList.allCases.map(\.rawValue))
                                ),
                            ], required: ["limit", "offset", "totals"])
                    ),
                ],
                required: [
                    "partnership_id", "week", "starts_at", "ends_at", "as_of", "previous_decisions",
                    "new_target_accounts", "advanced", "stalled", "gates", "awaiting_review", "lessons",
                ])
        ),
        (
            "LibraryLesson",
            .object(
                [
                    ("id", .uuid), ("deal_id", .uuid), ("partnership_id", .uuid), ("stage", .string()),
                    ("play", .nullable(.string())), ("text", .string()), ("author_id", .uuid),
                    ("created_at", .dateTime), ("applied_count", .integer(min: 0)),
                    ("applied_on_this_deal", .boolean), ("match", .enumeration(["partnership", "play"])),
                ],
                required: ["id", "deal_id", "partnership_id", "stage", "text", "created_at", "applied_count"])
        ),
    ]

    static let reviewBody = Schema.object(
        [
            ("attendees", .array(.name, maxItems: ReviewRecord.maxAttendees)),
            (
                "decisions",
                .array(
                    .object([("text", .text), ("owner_id", .uuid), ("due_on", .date)], required: ["text"]),
                    maxItems: ReviewRecord.maxDecisions)
            ),
        ], required: [])

    static func operations() -> [APIOperation] {
        var markdown = APIOperation(
            .GET, "/api/v1/partnerships/{partnership_id}/reviews/{week}/markdown", id: "getWeeklyReviewMarkdown",
            summary: "The weekly co-sell deal review as a Markdown agenda (its long lists paged by limit and offset)",
            tag: "reviews", query: [reviewLimitParam, API.offsetParam], response: .string()
        ) { req in
            let review = try await weeklyReview(req)
            let r = Response(status: .ok, body: .init(string: review.markdown()))
            r.headers.contentType = HTTPMediaType(type: "text", subType: "markdown", parameters: ["charset": "utf-8"])
            return r
        }
        markdown.responseContentType = "text/markdown"
        return [
            APIOperation(
                .GET, "/api/v1/partnerships/{partnership_id}/reviews", id: "listWeeklyReviews",
                summary: "The weekly co-sell deal reviews recorded for the partnership, latest week first",
                tag: "reviews", query: [API.limitParam, API.offsetParam], response: APISchemas.list("ReviewRecord")
            ) { req in
                let p = try await req.principal()
                let ps = try await API.visiblePartnership(req, p)
                let (limit, offset) = try API.paging(req)
                let page = try await req.store.reviewRecords(partnershipID: ps.id, limit: limit, offset: offset)
                return try APIJSON.response(
                    ListView(items: page.items, total: page.total, limit: limit, offset: offset))
            },
            APIOperation(
                .GET, "/api/v1/partnerships/{partnership_id}/reviews/{week}", id: "getWeeklyReview",
                summary:
                    "The weekly co-sell deal review: last week's decisions, new target accounts, advances, stalls, gates, closed deals awaiting review, lessons (each list paged by limit and offset; totals in page)",
                tag: "reviews", query: [reviewLimitParam, API.offsetParam], response: .ref("WeeklyReview")
            ) { req in
                try APIJSON.response(try await weeklyReview(req))
            },
            markdown,
            APIOperation(
                .PUT, "/api/v1/partnerships/{partnership_id}/reviews/{week}", id: "putWeeklyReview",
                summary: "Record the week's review: attendees and decisions (replaces what was recorded for the week)",
                tag: "reviews", body: reviewBody, response: .ref("ReviewRecord")
            ) { req in
                let p = try await req.principal()
                let ps = try await API.visiblePartnership(req, p)
                let week = try parseWeek(req)
                try p.requireWrite()
                guard ps.status != .pending else {
                    throw Problem.conflict("The partnership is not accepted yet; there is no review to record.")
                }
                let now = Date()
                guard week <= ISOWeek(containing: now) else {
                    throw Problem.invalid(
                        "week", "\(week) has not started yet: record a review once its week has begun.")
                }
                struct DecisionBody: Decodable {
                    var text: String
                    var ownerID: UUID?
                    var dueOn: LocalDate?
                }
                struct Body: Decodable {
                    var attendees: [String]?
                    var decisions: [DecisionBody]?
                }
                let b = try APIJSON.decode(Body.self, from: req)
                let people = try await req.store.people(inOrganizations: ps.organizationIDs)
                var decisions: [ReviewDecision] = []
                for (i, d) in (b.decisions ?? []).enumerated() {
                    var decision = ReviewDecision(text: d.text, dueOn: d.dueOn)
                    if let owner = d.ownerID {
                        guard let person = people.first(where: { $0.id == owner }) else {
                            throw Problem.invalid(
                                "decisions[\(i)].owner_id",
                                "The owner must be a person of one of the partnership's two organizations.")
                        }
                        decision.ownerID = person.id
                        decision.ownerName = person.name
                    }
                    decisions.append(decision)
                }
                let (attendees, checked) = try ReviewRecord.validated(
                    attendees: b.attendees ?? [], decisions: decisions)
                let saved = try await req.store.saveReviewRecord(
                    ReviewRecord(
                        partnershipID: ps.id, week: week, attendees: attendees, decisions: checked,
                        recordedBy: p.person.id, recordedByName: p.person.name, recordedAt: now, updatedAt: now))
                return try APIJSON.response(saved)
            },
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
                let (deal, _) = try await API.visibleDeal(req, p)
                let lessonID = try req.id("lesson_id", "lesson")
                let mine = Set(try await req.store.partnerships(of: p.person.organizationID).map(\.id))
                guard let lesson = try await req.store.libraryLesson(lessonID), mine.contains(lesson.partnershipID)
                else { throw Problem.notFound("lesson") }
                try p.requireWrite()
                guard lesson.dealID != deal.id else {
                    throw Problem.invalid(
                        "lesson_id", "This lesson was captured on this deal; apply it to the next one.")
                }
                let updated = try await req.store.applyLesson(lessonID, on: deal.id, by: p.person.id, at: Date())
                let match: LessonMatch = updated.partnershipID == deal.partnershipID ? .partnership : .play
                return try APIJSON.response(
                    LessonView(SuggestedLesson(lesson: updated, match: match, appliedOnThisDeal: true)),
                    status: .created)
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

    static func parseWeek(_ req: Request) throws -> ISOWeek {
        let raw = req.parameters.get("week") ?? ""
        switch ISOWeek.check(raw) {
        case .success(let week): return week
        case .failure(let error): throw Problem.invalid("week", "week must be \(weekParameterNote): \(error.message)")
        }
    }

    /// Page size of the review's long lists: 1-200, default 50 (the header is never paged).
    static let reviewLimitParam = QueryParameter(
        name: "limit", schema: .integer(min: 1, max: 200),
        description: "Items per list (1-200, default 50): each long list of the review is cut to this page.")

    /// The review the person may see, its long lists paged by the `limit` and `offset` of the query
    /// (422 naming the parameter when out of bounds). The API, the Markdown and the page share it.
    static func weeklyReview(_ req: Request) async throws -> WeeklyReview {
        let p = try await req.principal()
        let ps = try await API.visiblePartnership(req, p)
        let week = try parseWeek(req)
        let (limit, offset) = try API.paging(req)
        return try await WeeklyReviewLoader.load(
            store: req.store, partnership: ps, week: week, viewer: p.person, now: Date(), page: (limit, offset))
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
