import CoSellDomain
import CoSellWorkflows
import Foundation
import Vapor

extension API {
    /// One next action of a deal, as the reader sees it.
    struct ActionView: Encodable {
        struct Company: Encodable {
            var id: UUID
            var name: String
        }

        var dealID: UUID
        var dealTitle: String
        var stageKey: String
        var part: String
        var title: String
        var missing: String
        var companies: [Company]
        var operation: String
        var moveID: UUID?
        var ownerID: UUID?
        var ownerName: String?
        var dueOn: LocalDate?
        var overdue: Bool
        var blockedBy: [String]
        var waitsOnYou: Bool

        init(_ item: DealActions.Item, deal: Deal) {
            let a = item.action
            dealID = a.dealID
            dealTitle = deal.title
            stageKey = a.stageKey
            part = a.part
            title = a.title
            missing = a.missing
            companies = item.companies.map { Company(id: $0.id, name: $0.name) }
            operation = a.operation
            moveID = a.moveID
            ownerID = a.ownerID
            ownerName = item.owner?.name
            dueOn = a.dueOn
            overdue = a.overdue
            blockedBy = a.blockedBy
            waitsOnYou = item.waitsOnReader
        }
    }

    static let actionSchema = Schema.object(
        [
            ("deal_id", .uuid), ("deal_title", .string()), ("stage_key", .string()), ("part", .string()),
            ("title", .string()), ("missing", .string()),
            (
                "companies",
                .array(.object([("id", .uuid), ("name", .string())], required: ["id", "name"]))
            ),
            ("operation", .string()), ("move_id", .uuid), ("owner_id", .uuid), ("owner_name", .string()),
            ("due_on", .date), ("overdue", .boolean), ("blocked_by", .array(.string())), ("waits_on_you", .boolean),
        ],
        required: [
            "deal_id", "deal_title", "stage_key", "part", "title", "missing", "companies", "operation", "overdue",
            "blocked_by", "waits_on_you",
        ])

    /// What a deal's gate still needs, as actions.
    static func actionOperations() -> [APIOperation] {
        [
            APIOperation(
                .GET, "/api/v1/deals/{deal_id}/actions", id: "listDealActions",
                summary:
                    "The deal's next actions: each unmet part of the current stage's exit criterion, with the company that must act, the owner, the due date and whether it waits on you",
                tag: "deals",
                response: .object([("items", .array(actionSchema))], required: ["items"])
            ) { req in
                let p = try await req.principal()
                let found = try await req.workflows.deals.actions(of: try req.id("deal_id", "deal"), by: p)
                struct Items: Encodable { var items: [ActionView] }
                return try APIJSON.response(Items(items: found.items.map { ActionView($0, deal: found.deal) }))
            }
        ]
    }
}
