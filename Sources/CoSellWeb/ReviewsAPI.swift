import CoSellDomain
import CoSellWorkflows
import Foundation
import Vapor

/// The weekly co-sell deal review, its records, and the lesson library over the API.
enum ReviewsAPI {
    static let components: [(String, Schema)] = [
        (
            "ReviewDecision",
            .object(
                [
                    ("id", .uuid), ("text", .string()), ("owner_id", .uuid), ("owner_name", .string()),
                    ("due_on", .date),
                    ("status", .enumeration(ReviewDecision.Status.allCases.map(\.rawValue))),
                    ("checked_at", .dateTime), ("checked_by_id", .uuid), ("checked_by_name", .string()),
                    ("checked_in_week", .string()),
                ],
                required: ["text"])
        ),
        (
            "WeekDecision",
            .object([("week", .string()), ("decision", .ref("ReviewDecision"))], required: ["week", "decision"])
        ),
        (
            "ReviewDealAudit",
            .object(
                [
                    ("deal_id", .uuid), ("title", .string()), ("account_name", .string()),
                    ("status", .enumeration(DealStatus.allCases.map(\.rawValue))), ("stage", .string()),
                    ("stage_name", .string()),
                    ("reasons", .array(.enumeration(ReviewDealAudit.Reason.allCases.map(\.rawValue)))),
                    (
                        "gates",
                        .array(
                            .object(
                                [
                                    ("stage", .string()), ("stage_name", .string()),
                                    ("outcome", .enumeration(["passed", "overridden", "skipped"])), ("at", .dateTime),
                                ], required: ["stage", "stage_name", "outcome"]))
                    ),
                    (
                        "late_moves",
                        .array(
                            .object(
                                [
                                    ("move_id", .uuid), ("description", .string()), ("stage", .string()),
                                    ("stage_name", .string()), ("side", APISchemas.moveSide), ("company", .string()),
                                    ("owner_id", .uuid), ("owner_name", .string()), ("due_on", .date),
                                    ("days_late", .integer(min: 0)),
                                ], required: ["move_id", "description", "stage", "due_on", "days_late"]))
                    ),
                ], required: ["deal_id", "title", "status", "reasons", "gates", "late_moves"])
        ),
        (
            "ReviewSellerAccounts",
            .object(
                [
                    ("person_id", .uuid), ("person_name", .string()), ("organization_id", .uuid),
                    ("company_name", .string()),
                    (
                        "accounts",
                        .array(
                            .object(
                                [
                                    ("account_id", .uuid), ("account_name", .string()),
                                    ("state", .enumeration(["no_deal", "open", "stalled", "won", "lost"])),
                                    ("deal_id", .uuid), ("deal_title", .string()), ("stage_name", .string()),
                                    ("stall", .string()),
                                    (
                                        "movements",
                                        .array(.enumeration(ReviewNamedAccount.Movement.allCases.map(\.rawValue)))
                                    ),
                                    ("notes", .array(.string())),
                                ], required: ["account_id", "account_name", "state", "movements", "notes"]))
                    ),
                ], required: ["person_id", "person_name", "organization_id", "accounts"])
        ),
        (
            "ReviewAgendaItem",
            .object(
                [
                    ("topic", .enumeration(ReviewAgendaItem.Topic.allCases.map(\.rawValue))), ("title", .string()),
                    ("question", .string()), ("count", .integer(min: 0)), ("minutes", .integer(min: 0)),
                ], required: ["topic", "title", "count", "minutes"])
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
                    ("abandoned", .array(.any)), ("lessons", .array(.any)), ("record", .ref("ReviewRecord")),
                    ("carried_decisions", .array(.ref("WeekDecision"))),
                    ("in_the_room", .array(.ref("ReviewDealAudit"))),
                    ("named_accounts", .array(.ref("ReviewSellerAccounts"))),
                    ("agenda", .array(.ref("ReviewAgendaItem"))),
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
                    "new_target_accounts", "advanced", "stalled", "gates", "awaiting_review", "abandoned", "lessons",
                    "carried_decisions", "in_the_room", "named_accounts", "agenda",
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
                    .object(
                        [("id", .uuid), ("text", .text), ("owner_id", .uuid), ("due_on", .date)], required: ["text"]),
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
                struct DecisionBody: Decodable {
                    var id: UUID?
                    var text: String
                    var ownerID: UUID?
                    var dueOn: LocalDate?
                }
                struct Body: Decodable {
                    var attendees: [String]?
                    var decisions: [DecisionBody]?
                }
                let p = try await req.principal()
                let saved = try await req.workflows.reviews.record(
                    in: try req.id("partnership_id", "partnership"), week: { try RequestInput.week(req) }, by: p
                ) { _ in
                    let b = try APIJSON.decode(Body.self, from: req)
                    return ReviewWorkflows.Entry(
                        attendees: b.attendees ?? [],
                        decisions: (b.decisions ?? []).map {
                            ReviewDecision(id: $0.id, text: $0.text, ownerID: $0.ownerID, dueOn: $0.dueOn)
                        })
                }
                return try APIJSON.response(saved)
            },
            APIOperation(
                .PUT, "/api/v1/partnerships/{partnership_id}/reviews/{week}/decisions/{decision_id}",
                id: "putReviewDecisionStatus",
                summary:
                    "Check off a decision of the week's review: done, dropped, or open again (it leaves its owner's next actions unless open)",
                tag: "reviews",
                body: .object(
                    [("status", .enumeration(ReviewDecision.Status.allCases.map(\.rawValue)))], required: ["status"]),
                response: .ref("ReviewRecord")
            ) { req in
                struct Body: Decodable {
                    var status: ReviewDecision.Status
                }
                let p = try await req.principal()
                let id = try req.id("partnership_id", "partnership")
                let week = try RequestInput.week(req)
                let decisionID = try req.id("decision_id", "decision")
                let saved = try await req.workflows.reviews.checkOff(
                    decisionID, of: week, in: id, as: { try APIJSON.decode(Body.self, from: req).status }, by: p)
                return try APIJSON.response(saved)
            },
        ]
    }

    /// Page size of the review's long lists: 1-200, default 50 (the header is never paged).
    static let reviewLimitParam = QueryParameter(
        name: "limit", schema: .integer(min: 1, max: 200),
        description: "Items per list (1-200, default 50): each long list of the review is cut to this page.")

    /// The review the person may see, its long lists paged by the `limit` and `offset` of the query
    /// (422 naming the parameter when out of bounds), for the JSON and the Markdown.
    private static func weeklyReview(_ req: Request) async throws -> WeeklyReview {
        let p = try await req.principal()
        return try await req.workflows.reviews.weeklyReview(of: try req.id("partnership_id", "partnership"), by: p) {
            try RequestInput.reviewWeek(req)
        }
    }
}
