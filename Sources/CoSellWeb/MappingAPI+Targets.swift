import CoSellDomain
import CoSellMatching
import CoSellPersistence
import CoSellWorkflows
import Foundation
import Vapor

extension MappingAPI {
    struct MatrixView: Encodable {
        /// Rows: your populations; columns: the partner's. A nil count is a population the partner hides.
        var populations: [String]
        var rows: [MatrixRow]
        var partnerSharing: [SharingSetting]
    }

    struct MatrixRow: Encodable {
        var population: String
        var counts: [Int?]
    }

    struct AccountSummary: Encodable {
        var crmID: String
        var name: String
        var domain: String?
        var country: String?
        var industry: String?
        var employees: Int?
        var population: String
    }

    struct TargetView: Encodable {
        var overlapID: UUID
        var yours: AccountSummary
        var partners: AccountSummary
        var relation: String
        var method: String
        var score: Double
        var play: String
        var yourFit: String?
        var partnerFit: String?
        var doorOpener: String?
        var priority: Int
        var jointAccountID: UUID?
    }

    struct StartDealBody: Decodable {
        var title: String?
        var amount: Money?
        var expectedCloseDate: LocalDate?
        var parallelReason: String?
    }

    /// The overlap of the two sides' accounts: matching again, the population matrix, ranked targets, the
    /// partner's shared accounts, and starting a deal on a target.
    static func targetOperations() -> [APIOperation] {
        [
            APIOperation(
                .POST, "/api/v1/partnerships/{partnership_id}/overlaps/refresh", id: "refreshOverlaps",
                summary: "Match the two organizations' imported accounts again", tag: "partnerships",
                response: .object([("overlaps", .integer(min: 0))], required: ["overlaps"])
            ) { req in
                let p = try await req.principal()
                let id = try req.id("partnership_id", "partnership")
                let n = try await req.workflows.imports.refreshOverlaps(of: id, by: p)
                struct Count: Encodable { var overlaps: Int }
                return try APIJSON.response(Count(overlaps: n))
            },
            APIOperation(
                .GET, "/api/v1/partnerships/{partnership_id}/matrix", id: "getPopulationMatrix",
                summary: "Your populations x the partner's, with overlap counts (as far as the partner shares)",
                tag: "partnerships",
                response: .object(
                    [
                        ("populations", .array(.string())),
                        (
                            "rows",
                            .array(
                                .object(
                                    [("population", .string()), ("counts", .array(.nullable(.integer())))],
                                    required: ["population", "counts"]))
                        ),
                        ("partner_sharing", .ref("Sharing")),
                    ], required: ["populations", "rows", "partner_sharing"])
            ) { req in
                let p = try await req.principal()
                let m = try await req.workflows.targets.matrix(in: try req.id("partnership_id", "partnership"), by: p)
                return try APIJSON.response(MatrixView(m))
            },
            APIOperation(
                .GET, "/api/v1/partnerships/{partnership_id}/targets", id: "listTargets",
                summary: "Target accounts from the overlap, ranked by both sides' fit and the play",
                tag: "partnerships",
                query: [API.limitParam, API.offsetParam], response: APISchemas.list("Target")
            ) { req in
                let p = try await req.principal()
                let id = try req.id("partnership_id", "partnership")
                let ranked = try await req.workflows.targets.ranked(in: id, by: p)
                let (limit, offset) = try API.paging(req)
                let all = ranked.map(TargetView.init)
                let page = Array(all.dropFirst(offset).prefix(limit))
                return try APIJSON.response(ListView(items: page, total: all.count, limit: limit, offset: offset))
            },
            APIOperation(
                .GET, "/api/v1/partnerships/{partnership_id}/partner-accounts", id: "listPartnerAccounts",
                summary: "The partner's accounts of the populations it shares as all_accounts (greenfield)",
                tag: "partnerships", query: [API.limitParam, API.offsetParam],
                response: .object(
                    [
                        ("items", .array(accountSummary)), ("total", .integer(min: 0)), ("limit", .integer()),
                        ("offset", .integer()),
                    ], required: ["items", "total", "limit", "offset"])
            ) { req in
                let p = try await req.principal()
                let id = try req.id("partnership_id", "partnership")
                let accounts = try await req.workflows.targets.partnerAccounts(in: id, by: p)
                let (limit, offset) = try API.paging(req)
                let all = accounts.map(AccountSummary.init)
                return try APIJSON.response(
                    ListView(
                        items: Array(all.dropFirst(offset).prefix(limit)), total: all.count, limit: limit,
                        offset: offset))
            },
            APIOperation(
                .POST, "/api/v1/partnerships/{partnership_id}/targets/{overlap_id}/deal", id: "startDealFromTarget",
                summary: "Start a deal from a target account, with both fits and the door-opener side filled in",
                tag: "deals",
                body: .object(
                    [
                        ("title", .name), ("amount", APISchemas.money), ("expected_close_date", .date),
                        ("parallel_reason", .string(maxLength: 10_000)),
                    ], required: []),
                status: 201, response: .ref("DealView")
            ) { req in try await startDeal(req) },
        ]
    }

    static func startDeal(_ req: Request) async throws -> Response {
        let p = try await req.principal()
        let r = try await req.workflows.targets.openDeal(in: try req.id("partnership_id", "partnership"), by: p) {
            let overlapID = try req.id("overlap_id", "target account")
            let body: StartDealBody =
                (req.body.data?.readableBytes ?? 0) > 0
                ? try APIJSON.decode(StartDealBody.self, from: req) : StartDealBody()
            return .init(
                overlapID: overlapID, title: body.title, amount: body.amount, expectedCloseDate: body.expectedCloseDate,
                parallelReason: body.parallelReason)
        }
        let response = try APIJSON.response(
            DealView(r.deal, playbook: r.playbook, now: r.at), status: .created, etag: r.deal.version)
        response.headers.replaceOrAdd(name: .location, value: "/api/v1/deals/\(r.deal.id.uuidString)")
        return response
    }
}

extension MappingAPI.MatrixView {
    init(_ m: TargetWorkflows.Matrix) {
        self.init(
            populations: m.populations, rows: m.rows.map { .init(population: $0.population, counts: $0.counts) },
            partnerSharing: m.partnerSharing)
    }
}

extension MappingAPI.AccountSummary {
    init(_ a: CRMAccount) {
        self.init(
            crmID: a.crmID, name: a.name, domain: a.domain, country: a.country, industry: a.industry,
            employees: a.employees, population: a.population)
    }
}

extension MappingAPI.TargetView {
    init(_ t: TargetWorkflows.RankedTarget) {
        self.init(
            overlapID: t.overlapID, yours: .init(t.yours), partners: .init(t.partners), relation: t.relation,
            method: t.method, score: t.score, play: t.play.rawValue, yourFit: t.yourFit?.rawValue,
            partnerFit: t.partnerFit?.rawValue, doorOpener: t.doorOpener.map { $0 == .host ? "you" : "partner" },
            priority: t.priority, jointAccountID: t.jointAccountID)
    }
}
