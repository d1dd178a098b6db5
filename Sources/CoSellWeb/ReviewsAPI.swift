import CoSellDomain
import Foundation
import Vapor

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

    /// Every operation of the weekly reviews, then of the lesson library.
    static func operations() -> [APIOperation] {
        reviewOperations() + lessonOperations()
    }

    /// The weekly co-sell deal review of a partnership: as JSON and as Markdown, and its record.
    static func reviewOperations() -> [APIOperation] {
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
