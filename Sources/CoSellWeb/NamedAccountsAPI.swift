import CoSellDomain
import CoSellWorkflows
import Foundation
import Vapor

/// Named accounts per account executive: read both companies' lists (the other one where its
/// sharing allows) and replace your company's.
enum NamedAccountsAPI {
    struct Body: Decodable {
        struct Entry: Decodable {
            var personID: UUID
            var accountID: UUID
        }
        var namedAccounts: [Entry]
    }

    struct WaitingView: Encodable {
        var title: String
        var organizationIds: [UUID]
        var ownerId: UUID?
    }

    struct ProgressView: Encodable {
        var state: String
        var dealId: UUID?
        var dealTitle: String?
        var stage: String?
        var stall: String?
        var waiting: [WaitingView]
    }

    struct ItemView: Encodable {
        var personId: UUID
        var personName: String
        var accountId: UUID
        var accountName: String
        var namedAt: Date
        var progress: ProgressView
    }

    struct CompanyView: Encodable {
        var organizationId: UUID
        var organizationName: String
        var namedAccounts: [ItemView]
    }

    struct BoardView: Encodable {
        var partnershipId: UUID
        var namedAccountsPerSeller: Int
        var yours: CompanyView
        /// The other company's rows that its sharing shows; absent while the partnership is not active.
        var theirs: CompanyView?
    }

    static func view(_ b: NamedAccountWorkflows.Board) -> BoardView {
        func company(_ c: NamedAccountWorkflows.Company) -> CompanyView {
            CompanyView(organizationId: c.organizationID, organizationName: c.name, namedAccounts: c.rows.map(item))
        }
        return BoardView(
            partnershipId: b.partnership.id, namedAccountsPerSeller: b.limit, yours: company(b.yours),
            theirs: b.theirs.map(company))
    }

    static func item(_ r: NamedAccountWorkflows.Row) -> ItemView {
        let d = r.progress.deal
        return ItemView(
            personId: r.named.personID, personName: r.personName, accountId: r.named.accountID,
            accountName: r.accountName, namedAt: r.named.createdAt,
            progress: ProgressView(
                state: r.progress.key, dealId: d?.dealID, dealTitle: d?.title,
                stage: d.flatMap { $0.stageName.isEmpty ? nil : $0.stageName }, stall: d?.stall,
                waiting: (d?.waiting ?? []).map {
                    WaitingView(title: $0.title, organizationIds: $0.organizationIDs, ownerId: $0.ownerID)
                }))
    }

    static let components: [(String, Schema)] = [
        (
            "NamedAccount",
            .object(
                [
                    ("person_id", .uuid), ("person_name", .string()), ("account_id", .uuid),
                    ("account_name", .string()), ("named_at", .dateTime),
                    (
                        "progress",
                        .object(
                            [
                                ("state", .enumeration(["no_deal", "open", "stalled", "won", "lost"])),
                                ("deal_id", .uuid), ("deal_title", .string()), ("stage", .string()),
                                ("stall", .string()),
                                (
                                    "waiting",
                                    .array(
                                        .object(
                                            [
                                                ("title", .string()), ("organization_ids", .array(.uuid)),
                                                ("owner_id", .uuid),
                                            ], required: ["title", "organization_ids"]))
                                ),
                            ], required: ["state", "waiting"])
                    ),
                ], required: ["person_id", "person_name", "account_id", "account_name", "named_at", "progress"])
        ),
        (
            "NamedAccountsOfCompany",
            .object(
                [
                    ("organization_id", .uuid), ("organization_name", .string()),
                    ("named_accounts", .array(.ref("NamedAccount"))),
                ], required: ["organization_id", "organization_name", "named_accounts"])
        ),
        (
            "NamedAccounts",
            .object(
                [
                    ("partnership_id", .uuid),
                    (
                        "named_accounts_per_seller",
                        .integer(
                            min: CoSellPlan.namedAccountsPerSellerRange.lowerBound,
                            max: CoSellPlan.namedAccountsPerSellerRange.upperBound)
                    ),
                    ("yours", .ref("NamedAccountsOfCompany")), ("theirs", .ref("NamedAccountsOfCompany")),
                ], required: ["partnership_id", "named_accounts_per_seller", "yours"])
        ),
    ]

    static func operations() -> [APIOperation] {
        [
            APIOperation(
                .GET, "/api/v1/partnerships/{partnership_id}/named-accounts", id: "getNamedAccounts",
                summary:
                    "Named accounts per account executive: your company's, and the other company's where its sharing allows, each with its deal's progress",
                tag: "partnerships", response: .ref("NamedAccounts")
            ) { req in
                let p = try await req.principal()
                let id = try req.id("partnership_id", "partnership")
                return try APIJSON.response(view(try await req.workflows.namedAccounts.board(in: id, by: p)))
            },
            APIOperation(
                .PUT, "/api/v1/partnerships/{partnership_id}/named-accounts", id: "putNamedAccounts",
                summary:
                    "Replace your company's named accounts (admins and partner managers: the whole list; an account executive: their own entries); at most the plan's named_accounts_per_seller per person",
                tag: "partnerships",
                body: .object(
                    [
                        (
                            "named_accounts",
                            .array(
                                .object(
                                    [("person_id", .uuid), ("account_id", .uuid)],
                                    required: ["person_id", "account_id"]),
                                maxItems: NamedAccountWorkflows.maxEntries)
                        )
                    ], required: ["named_accounts"]),
                response: .ref("NamedAccounts")
            ) { req in
                let p = try await req.principal()
                let id = try req.id("partnership_id", "partnership")
                let board = try await req.workflows.namedAccounts.replace(in: id, by: p) {
                    try APIJSON.decode(Body.self, from: req).namedAccounts.map {
                        .init(personID: $0.personID, accountID: $0.accountID)
                    }
                }
                return try APIJSON.response(view(board))
            },
        ]
    }
}
