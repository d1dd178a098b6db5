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
        var missing: String?
        var companies: [Company]
        var operation: String
        var moveID: UUID?
        var ownerID: UUID?
        var ownerName: String?
        var dueOn: LocalDate?
        var overdue: Bool
        var blockedBy: [String]
        var waitsOnYou: Bool

        init(_ a: NextAction, deal: DealFacts, waitsOnYou: Bool, companyNames: [UUID: String], people: [UUID: String]) {
            dealID = a.dealID
            dealTitle = deal.title
            stageKey = a.stageKey
            part = a.part
            title = a.title
            missing = nil
            companies = a.organizationIDs.map { Company(id: $0, name: companyNames[$0] ?? "Unknown company") }
            operation = a.operation
            moveID = a.moveID
            ownerID = a.ownerID
            ownerName = a.ownerID.flatMap { people[$0] }
            dueOn = a.dueOn
            overdue = a.overdue
            blockedBy = a.blockedBy
            self.waitsOnYou = waitsOnYou
        }

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
            "deal_id", "deal_title", "stage_key", "part", "title", "companies", "operation", "overdue",
            "blocked_by", "waits_on_you",
        ])

    static let waitingOnValues = ["me", "my_company", "partner"]

    /// Something a partnership waits on the reader for, as the API shows it.
    struct PartnershipActionView: Encodable {
        var partnershipID: UUID
        var partnershipName: String
        var kind: String
        var title: String
        var organizationID: UUID
        var dueOn: LocalDate?
        var overdue: Bool
        /// The page where it is done.
        var path: String
        var callID: UUID?
        var decisionID: UUID?
        var week: String?
        var valuePropositionVersion: Int?

        init(_ w: PartnershipWorkflows.WaitingAction) {
            let a = w.action
            partnershipID = w.partnership.id
            partnershipName = w.partnership.name
            kind = a.kind.rawValue
            title = a.title
            organizationID = a.organizationID
            dueOn = a.dueOn
            overdue = a.overdue
            path = a.path
            callID = a.callID
            decisionID = a.decisionID
            week = a.week?.description
            valuePropositionVersion = a.valuePropositionVersion
        }
    }

    static let partnershipActionSchema = Schema.object(
        [
            ("partnership_id", .uuid), ("partnership_name", .string()),
            ("kind", .enumeration(PartnershipAction.Kind.allCases.map(\.rawValue))), ("title", .string()),
            ("organization_id", .uuid), ("due_on", .date), ("overdue", .boolean), ("path", .string()),
            ("call_id", .uuid), ("decision_id", .uuid), ("week", .string()),
            ("value_proposition_version", .integer(min: 1)),
        ], required: ["partnership_id", "partnership_name", "kind", "title", "organization_id", "overdue", "path"])

    /// What a deal's gate still needs, as actions.
    static func actionOperations() -> [APIOperation] {
        [
            APIOperation(
                .GET, "/api/v1/me/actions", id: "listMyActions",
                summary:
                    "Next actions across the deals you see: waiting on you (default), on your company, or on the partner company; overdue first, then by due date",
                tag: "deals",
                query: [
                    QueryParameter(
                        name: "waiting_on", schema: .enumeration(waitingOnValues),
                        description:
                            "me: owned by you, or unowned and yours to do; my_company: your company's others; partner: the other company's."
                    ),
                    limitParam, offsetParam,
                ],
                response: .object(
                    [
                        ("items", .array(actionSchema)), ("total", .integer(min: 0)), ("limit", .integer()),
                        ("offset", .integer()),
                    ], required: ["items", "total", "limit", "offset"])
            ) { req in
                let p = try await req.principal()
                var waitingOn = "me"
                if let raw = try? req.query.get(String.self, at: "waiting_on") {
                    guard waitingOnValues.contains(raw) else {
                        throw Problem.invalid(
                            "waiting_on", "waiting_on must be one of: \(waitingOnValues.joined(separator: ", ")).")
                    }
                    waitingOn = raw
                }
                let (limit, offset) = try paging(req)
                let me = p.person
                let partnerships = Dictionary(
                    try await req.store.partnerships(of: me.organizationID).map { ($0.id, $0) },
                    uniquingKeysWith: { a, _ in a })
                let orgIDs = Array(Set(partnerships.values.flatMap(\.organizationIDs) + [me.organizationID]))
                let names = Dictionary(
                    try await req.store.organizations(orgIDs).map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
                let everyone = try await req.store.people(inOrganizations: orgIDs)
                let people = Dictionary(everyone.map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
                let organizationOf = Dictionary(
                    everyone.map { ($0.id, $0.organizationID) }, uniquingKeysWith: { a, _ in a })
                var list = try await ActionList.load(
                    store: req.store, person: me, companyNames: names, today: LocalDate(Date()),
                    canSee: { d in
                        partnerships[d.partnershipID].map { Visibility.canSee(d, person: me, partnership: $0) } ?? false
                    }, organizationOfPerson: { organizationOf[$0] })
                let chosen = waitingOn == "me" ? list.mine : waitingOn == "my_company" ? list.myCompanys : list.partners
                var page: [ActionView] = []
                for e in chosen.dropFirst(offset).prefix(limit) {
                    let (a, _) = try await list.action(e, store: req.store)
                    page.append(
                        ActionView(
                            a, deal: list.deal(e), waitsOnYou: e.waitsOnReader, companyNames: names, people: people))
                }
                return try APIJSON.response(
                    ListView(items: page, total: chosen.count, limit: limit, offset: offset))
            },
            APIOperation(
                .GET, "/api/v1/me/partnership-actions", id: "listMyPartnershipActions",
                summary:
                    "What your active partnerships wait on you for: hold or confirm the discovery call, its next move, approve the value proposition's draft, a weekly review's decision you own; overdue first",
                tag: "partnerships",
                response: .object([("items", .array(partnershipActionSchema))], required: ["items"])
            ) { req in
                let p = try await req.principal()
                struct Items: Encodable { var items: [PartnershipActionView] }
                let waiting = try await req.workflows.partnerships.actionsWaiting(on: p)
                return try APIJSON.response(Items(items: waiting.map(PartnershipActionView.init)))
            },
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
            },
        ]
    }
}
