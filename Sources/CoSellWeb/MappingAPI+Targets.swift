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
                let ps = try await activePartnership(req, p)
                try p.requireWrite()
                let n = try await req.store.refreshOverlaps(of: ps, at: Date())
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
                let ps = try await activePartnership(req, p)
                return try APIJSON.response(try await matrix(req, p, ps))
            },
            APIOperation(
                .GET, "/api/v1/partnerships/{partnership_id}/targets", id: "listTargets",
                summary: "Target accounts from the overlap, ranked by both sides' fit and the play",
                tag: "partnerships",
                query: [API.limitParam, API.offsetParam], response: APISchemas.list("Target")
            ) { req in
                let p = try await req.principal()
                let ps = try await activePartnership(req, p)
                let (limit, offset) = try API.paging(req)
                let all = try await targets(req, p, ps)
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
                let ps = try await activePartnership(req, p)
                let (limit, offset) = try API.paging(req)
                guard let partner = ps.counterpart(of: p.person.organizationID), ps.status == .active else {
                    throw Problem.notFound("partnership")
                }
                let shared = Set(
                    try await req.store.sharing(of: ps).filter {
                        $0.organizationID == partner && $0.level == .allAccounts
                    }
                    .map(\.population))
                let all = try await req.store.accounts(of: partner).filter { shared.contains($0.population) }.map(
                    summary)
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
                    [("title", .name), ("amount", APISchemas.money), ("expected_close_date", .date)], required: []),
                status: 201, response: .ref("DealView")
            ) { req in try await startDeal(req) },
        ]
    }

    /// The viewer's side is "yours"; the partner's side is shown as far as the partner shares it.
    static func matrix(_ req: Request, _ p: Principal, _ ps: Partnership) async throws -> MatrixView {
        let me = p.person.organizationID
        let mineIndex = ps.organizationIDs.firstIndex(of: me)!
        let sharing = try await req.store.sharing(of: ps)
        let partner = ps.organizationIDs[1 - mineIndex]
        let partnerSharing = sharing.filter { $0.organizationID == partner }
        let overlaps = try await req.store.overlaps(of: ps).filter {
            $0.relation == OverlapRelation.same_account.rawValue
        }
        let pops = Population.allCases.map(\.rawValue)
        var rows: [MatrixRow] = []
        for mine in pops {
            var counts: [Int?] = []
            for theirs in pops {
                let level = partnerSharing.first { $0.population == theirs }?.level ?? .hidden
                if level == .hidden {
                    counts.append(nil)
                } else {
                    counts.append(
                        overlaps.filter {
                            $0.accounts[mineIndex].population == mine && $0.accounts[1 - mineIndex].population == theirs
                        }.count)
                }
            }
            rows.append(MatrixRow(population: mine, counts: counts))
        }
        return MatrixView(populations: pops, rows: rows, partnerSharing: partnerSharing)
    }

    static func targets(_ req: Request, _ p: Principal, _ ps: Partnership) async throws -> [TargetView] {
        let me = p.person.organizationID
        let mineIndex = ps.organizationIDs.firstIndex(of: me)!
        let partner = ps.organizationIDs[1 - mineIndex]
        let sharing = try await req.store.sharing(of: ps).filter { $0.organizationID == partner }
        let myProfile = try await req.store.settings(of: me).idealCustomerProfile
        let partnerProfile = try await req.store.settings(of: partner).idealCustomerProfile
        var out: [TargetView] = []
        for o in try await req.store.overlaps(of: ps) {
            let mine = o.accounts[mineIndex]
            let theirs = o.accounts[1 - mineIndex]
            let level = sharing.first { $0.population == theirs.population }?.level ?? .hidden
            guard level >= .overlappingAccounts else { continue }
            let hp = Population(rawValue: mine.population) ?? .prospect
            let pp = Population(rawValue: theirs.population) ?? .prospect
            let relation = OverlapRelation(rawValue: o.relation) ?? .same_account
            let play = Play.of(host: hp, partner: pp, relation: relation)
            let myFit = myProfile?.fit(industry: mine.industry, employees: mine.employees, country: mine.country)
            let theirFit = partnerProfile?.fit(
                industry: theirs.industry, employees: theirs.employees, country: theirs.country)
            let fitScore =
                (myFit == CoSellMatching.Fit.none || theirFit == CoSellMatching.Fit.none)
                ? 0 : (myFit?.weight ?? 1) + (theirFit?.weight ?? 1)
            let playWeight =
                [Play.partner_opens_door: 3, .host_opens_door: 3, .shared_customer: 2, .joint_prospect: 1][play] ?? 0
            out.append(
                TargetView(
                    overlapID: o.id, yours: summary(mine), partners: summary(theirs), relation: o.relation,
                    method: o.method,
                    score: o.score, play: play.rawValue, yourFit: myFit?.rawValue, partnerFit: theirFit?.rawValue,
                    doorOpener: play.doorOpener.map { $0 == .host ? "you" : "partner" },
                    priority: fitScore * 100 + playWeight * 10 + (relation == .same_account ? 5 : 0),
                    jointAccountID: o.jointAccountID))
        }
        out.sort {
            if $0.priority != $1.priority { return $0.priority > $1.priority }
            if $0.score != $1.score { return $0.score > $1.score }
            return $0.yours.name < $1.yours.name
        }
        return out
    }

    static func summary(_ a: CRMAccount) -> AccountSummary {
        AccountSummary(
            crmID: a.crmID, name: a.name, domain: a.domain, country: a.country, industry: a.industry,
            employees: a.employees,
            population: a.population)
    }

    static func startDeal(_ req: Request) async throws -> Response {
        let p = try await req.principal()
        let ps = try await activePartnership(req, p)
        try p.requireWrite()
        let overlapID = try req.id("overlap_id", "target account")
        let body: StartDealBody =
            (req.body.data?.readableBytes ?? 0) > 0
            ? try APIJSON.decode(StartDealBody.self, from: req) : StartDealBody()
        let (final, playbook, now) = try await startDeal(req, p, ps, overlapID: overlapID, body: body)
        let r = try APIJSON.response(
            DealView(final, playbook: playbook, now: now), status: .created, etag: final.version)
        r.headers.replaceOrAdd(name: .location, value: "/api/v1/deals/\(final.id.uuidString)")
        return r
    }

    /// Opens a deal on a ranked target account (creating its joint account on first use): the one
    /// way for the API and the partnership page.
    static func startDeal(
        _ req: Request, _ p: Principal, _ ps: Partnership, overlapID: UUID, body: StartDealBody
    ) async throws -> (Deal, Playbook, Date) {
        guard let target = try await targets(req, p, ps).first(where: { $0.overlapID == overlapID }),
            let overlap = try await req.store.overlaps(of: ps).first(where: { $0.id == overlapID })
        else { throw Problem.notFound("target account") }
        let me = p.person.organizationID
        let mineIndex = ps.organizationIDs.firstIndex(of: me)!
        let mine = overlap.accounts[mineIndex]
        let theirs = overlap.accounts[1 - mineIndex]
        // The host's (the person starting the deal) CRM first; the partner's where the host has none.
        let fromPartner = mine.address == nil && theirs.address != nil
        let proposed = JointAccount(
            id: UUID(), partnershipID: ps.id, name: mine.name,
            domain: mine.domain ?? theirs.domain,
            country: fromPartner ? (theirs.country ?? mine.country) : (mine.country ?? theirs.country),
            industry: mine.industry, employees: mine.employees, origin: .overlap,
            reason: nil,
            populations: overlap.accounts.map {
                AccountPopulation(organizationID: $0.organizationID, population: $0.population)
            },
            createdAt: Date(), address: fromPartner ? theirs.address : mine.address)
        var linked: JointAccount? = nil
        if let id = overlap.jointAccountID { linked = try await req.store.jointAccount(id) }
        let pick = TargetPick(
            overlapID: overlapID, linkedAccount: linked, proposedAccount: proposed,
            fits: SidePair<CoSellDomain.Fit>(
                host: target.yourFit.flatMap(CoSellDomain.Fit.init(rawValue:)),
                partner: target.partnerFit.flatMap(CoSellDomain.Fit.init(rawValue:))),
            doorOpener: target.doorOpener.map { $0 == "you" ? .host : .partner },
            title: body.title, amount: body.amount, expectedCloseDate: body.expectedCloseDate)
        let r = try await req.workflows.deals.open(on: pick, in: ps.id, by: p)
        return (r.deal, r.playbook, r.at)
    }
}
