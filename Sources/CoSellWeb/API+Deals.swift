import CoSellDomain
import CoSellPersistence
import CoSellWorkflows
import Foundation
import Vapor

extension API {
    /// Joint deals: list, open, read, change the details, and the gate, timeline and diagnosis of one.
    static func dealOperations() -> [APIOperation] {
        [
            APIOperation(
                .GET, "/api/v1/deals", id: "listDeals", summary: "Joint deals of your partnerships, newest first",
                tag: "deals",
                query: [
                    QueryParameter(
                        name: "partnership_id", schema: .uuid, description: "Only this partnership's deals."),
                    QueryParameter(
                        name: "status", schema: .enumeration(DealStatus.allCases.map(\.rawValue)),
                        description: "Only deals with this status."),
                    QueryParameter(
                        name: "stage", schema: .enumeration(CriterionKind.allCases.map(\.rawValue)),
                        description: "Only deals at this stage."),
                    limitParam, offsetParam,
                ],
                response: APISchemas.list("DealView")
            ) { req in
                let p = try await req.principal()
                let (limit, offset) = try paging(req)
                var filter = DealFilter(limit: limit, offset: offset)
                if let raw = try? req.query.get(String.self, at: "partnership_id") {
                    guard let id = UUID(uuidString: raw) else {
                        throw Problem.invalid("partnership_id", "partnership_id must be a UUID.")
                    }
                    filter.partnershipID = id
                }
                if let raw = try? req.query.get(String.self, at: "status") {
                    guard let s = DealStatus(rawValue: raw) else {
                        throw Problem.invalid(
                            "status",
                            "status must be one of: \(DealStatus.allCases.map(\.rawValue).joined(separator: ", ")).")
                    }
                    filter.status = s
                }
                if let raw = try? req.query.get(String.self, at: "stage") {
                    guard CriterionKind(rawValue: raw) != nil else {
                        throw Problem.invalid(
                            "stage",
                            "stage must be one of: \(CriterionKind.allCases.map(\.rawValue).joined(separator: ", ")).")
                    }
                    filter.stageKey = raw
                }
                var page = try await req.store.deals(visibleTo: p.person.organizationID, filter: filter)
                if p.person.role == .seller {
                    // Sellers see the deals they are on: filter the whole visible set, then page it.
                    var all = filter
                    all.limit = 100_000
                    all.offset = 0
                    var partnerships: [UUID: Partnership] = [:]
                    for ps in try await req.store.partnerships(of: p.person.organizationID) { partnerships[ps.id] = ps }
                    let mine = try await req.store.deals(visibleTo: p.person.organizationID, filter: all).items.filter {
                        d in
                        partnerships[d.partnershipID].map { Visibility.canSee(d, person: p.person, partnership: $0) }
                            ?? false
                    }
                    page = Page(items: Array(mine.dropFirst(offset).prefix(limit)), total: mine.count)
                }
                let now = Date()
                var cache: [PlaybookVersion: Playbook] = [:]
                var views: [DealView] = []
                for d in page.items {
                    let key = d.playbookVersionKey
                    if cache[key] == nil {
                        cache[key] = try await req.store.playbook(d.playbookID, version: d.playbookVersion)
                    }
                    guard let pb = cache[key] else { continue }
                    views.append(DealView(d, playbook: pb, now: now))
                }
                return try APIJSON.response(ListView(items: views, total: page.total, limit: limit, offset: offset))
            },
            APIOperation(
                .POST, "/api/v1/deals", id: "createDeal", summary: "Open a joint deal on a joint account, at stage one",
                tag: "deals", body: APISchemas.createDeal, status: 201, response: .ref("DealView")
            ) { req in
                try await createDeal(req)
            },
            APIOperation(
                .GET, "/api/v1/deals/{deal_id}", id: "getDeal", summary: "A deal with its stage, gate and stall state",
                tag: "deals", response: .ref("DealView")
            ) { req in
                let p = try await req.principal()
                let (deal, playbook) = try await visibleDeal(req, p)
                return try APIJSON.response(DealView(deal, playbook: playbook, now: Date()), etag: deal.version)
            },
            mutation(
                .PATCH, "", id: "updateDeal", summary: "Change the title, amount or expected close date",
                body: APISchemas.updateDeal
            ) { req, _ in
                let b = try APIJSON.decode(UpdateDealRequest.self, from: req)
                return .updateDetails(title: b.title, amount: b.amount, expectedCloseDate: b.expectedCloseDate)
            },
            APIOperation(
                .GET, "/api/v1/deals/{deal_id}/gate", id: "getGate",
                summary: "The current stage's exit criterion, part by part",
                tag: "deals", response: .ref("Gate")
            ) { req in
                let p = try await req.principal()
                let (deal, playbook) = try await visibleDeal(req, p)
                return try APIJSON.response(GateView(Gate.evaluateCurrent(deal, in: playbook)))
            },
            APIOperation(
                .GET, "/api/v1/deals/{deal_id}/timeline", id: "getTimeline",
                summary: "Every change to the deal, oldest first",
                tag: "deals", response: .array(.ref("DealEvent"))
            ) { req in
                let p = try await req.principal()
                let (deal, _) = try await visibleDeal(req, p)
                return try APIJSON.response(try await req.store.timeline(of: deal.id))
            },
            APIOperation(
                .GET, "/api/v1/deals/{deal_id}/diagnosis", id: "getDiagnosis",
                summary: "Stall signals and, for a stalled or lost deal, the pitfall that explains it", tag: "deals",
                response: .ref("Diagnosis")
            ) { req in
                let p = try await req.principal()
                let (deal, playbook) = try await visibleDeal(req, p)
                return try APIJSON.response(DealDiagnostics.diagnose(deal, playbook: playbook, now: Date()))
            },
        ]
    }

    static func createDeal(_ req: Request) async throws -> Response {
        let p = try await req.writer()
        let b = try APIJSON.decode(CreateDealRequest.self, from: req)
        let r = try await req.workflows.deals.open(
            OpenDeal(
                partnershipID: b.partnershipID, jointAccountID: b.jointAccountID, title: b.title,
                playbookID: b.playbookID, hostOrganizationID: b.hostOrganizationID, reason: b.reason, amount: b.amount,
                expectedCloseDate: b.expectedCloseDate, parallelReason: b.parallelReason),
            by: p)
        let response = try APIJSON.response(
            DealView(r.deal, playbook: r.playbook, now: r.at), status: .created, etag: r.deal.version)
        response.headers.replaceOrAdd(name: .location, value: "/api/v1/deals/\(r.deal.id.uuidString)")
        return response
    }
}
