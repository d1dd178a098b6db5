import CoSellDomain
import CoSellMatching
import CoSellPersistence
import CoSellWorkflows
import Foundation
import Vapor

enum PartnershipController {
    /// The best targets the partnership page shows; the targets page has them all.
    static let targetsShown = 10

    static func show(_ req: Request) async throws -> Response {
        let s = try await req.requirePageSession()
        let data = try await PageData.load(req, s)
        let ps = try await req.workflows.access.visiblePartnership(
            try req.id("partnership_id", "partnership"), s.principal)
        var m = try await model(data, ps, notice: Pages.notice(req))
        m.discovery = try await discovery(data, ps)
        return Pages.html(PartnershipViews.detail(m))
    }

    static func model(_ data: PageData, _ ps: Partnership, notice: String?) async throws -> PartnershipModel {
        let req = data.req
        let p = data.session.principal
        let people = try await data.people()
        let partnerID = ps.counterpart(of: data.org) ?? data.org
        let sharing = try await req.store.sharing(of: ps)
        func level(_ org: UUID, _ pop: String) -> String { sharing.level(of: org, pop).rawValue }
        let pops = Population.allCases.map(\.rawValue)
        var matrix: [(population: String, counts: [Int?])] = []
        var targets: [PartnershipModel.Target] = []
        var counts: TargetCounts?
        var profiles = ProfileState(yours: true, partners: true)
        if ps.status == .active {
            let mv = try await req.workflows.targets.matrix(in: ps.id, by: p)
            matrix = mv.rows.map { ($0.population, $0.counts) }
            let all = try await req.workflows.targets.ranked(in: ps.id, by: p)
            let top = TargetWorkflows.page(all, filter: .init(), offset: 0, limit: targetsShown)
            counts = TargetCounts(
                sameAccount: top.sameAccount, sameFamily: top.sameFamily,
                localeIdentifier: req.displayFormat.locale.identifier)
            let has = try await req.workflows.targets.profiles(in: ps.id, by: p)
            profiles = ProfileState(yours: has.yours, partners: has.partners)
            targets = try await rows(top.items, data, partner: data.name(of: partnerID), in: ps.id)
        }
        let myName = data.session.organization.name
        let theirName = data.name(of: partnerID)
        func admins(_ org: UUID) -> String {
            let names = people.values.filter {
                $0.organizationID == org && $0.role == .admin && $0.deactivatedAt == nil
            }
            .map(\.name).sorted()
            return names.isEmpty ? "no admin yet" : names.joined(separator: ", ")
        }
        var answer: PartnershipModel.Answer? = nil
        if ps.status == .pending {
            if ps.invitedBy == data.org {
                answer = .waitingFor(theirName)
            } else if data.me.role == .admin {
                answer = .canAnswer(invitedBy: theirName)
            } else {
                answer = .askAdmins(admins(data.org))
            }
        }
        var steps: [PartnershipModel.Step] = []
        let matching = MatchingRuns.shared.state(ps.id)
        if ps.status == .active {
            let r = try await req.workflows.targets.readiness(in: ps.id, by: p)
            steps = PartnershipReadiness.steps(
                r,
                .init(
                    mine: myName, theirs: theirName, myAdmins: admins(data.org), theirAdmins: admins(partnerID),
                    readerIsAdmin: data.me.role == .admin,
                    readerCanImport: data.me.role == .admin || data.me.role == .partnerManager,
                    readerCanWrite: data.me.role.canWrite), matching: matching, format: data.format)
        }
        var runs = false
        if case .running = matching { runs = true }
        var m = PartnershipModel(
            chrome: data.session.chrome(ps.name, .partnerships, notice: notice), id: ps.id, name: ps.name,
            partner: data.name(of: partnerID), status: ps.status.rawValue, segments: ps.plan?.segments ?? [],
            owners: ps.plan?.owners.map {
                "\(people[$0.personID]?.name ?? "someone") for \(data.name(of: $0.organizationID))"
            } ?? [],
            cadence: ps.plan.map { "Weekly deal review on \($0.reviewWeekday.rawValue.capitalized)" },
            namedAccounts: ps.plan?.namedAccountIDs.count ?? 0,
            sharing: pops.map { .init(population: $0, yours: level(data.org, $0), theirs: level(partnerID, $0)) },
            canEditSharing: data.me.role == .admin && ps.status == .active, matrixPopulations: pops, matrix: matrix,
            targets: targets, targetsTotal: counts?.total ?? 0, canStartDeals: data.me.role.canWrite,
            active: ps.status == .active, answer: answer, steps: steps, matchingRuns: runs, counts: counts,
            profiles: profiles)
        m.valueProposition = .make(ps.id, try await req.store.valueProposition(of: ps.id))
        return m
    }

    /// Ranked targets as the pages' rows: each fit in words ("no profile yet" when a company has none),
    /// the door-opener by company name, and the deal already open on the account.
    static func rows(
        _ targets: [TargetWorkflows.RankedTarget], _ data: PageData, partner: String, in partnershipID: UUID
    ) async throws -> [PartnershipModel.Target] {
        let open = try await data.req.store.dealsInPlay(
            partnershipID: partnershipID, jointAccountIDs: targets.compactMap(\.jointAccountID))
        let yours = data.session.organization.name
        return targets.map {
            .init(
                overlapID: $0.overlapID, account: $0.yours.name, partnersAccount: $0.partners.name,
                yourPopulation: $0.yours.population, partnerPopulation: $0.partners.population,
                yourFit: $0.yourFit?.rawValue ?? "no profile yet",
                partnerFit: $0.partnerFit?.rawValue ?? "\(partner) has no profile yet",
                play: $0.play.rawValue,
                doorOpener: $0.doorOpener.map { $0 == .host ? yours : partner } ?? "either",
                hasJointAccount: $0.jointAccountID != nil, openDealID: $0.jointAccountID.flatMap { open[$0] },
                relation: $0.relation, method: $0.method, score: $0.score)
        }
    }

    static func setSharing(_ req: Request) async throws -> Response {
        let s = try await req.requirePageSession()
        let p = s.principal
        let id = try req.id("partnership_id", "partnership")
        let ps = try await req.workflows.partnerships.setSharing(in: id, by: p) {
            guard let pop = req.formValue("population"), Population(rawValue: pop) != nil else {
                throw Problem.invalid("population", "Choose customer, open opportunity or prospect.")
            }
            guard let raw = req.formValue("level"), let level = SharingLevel(rawValue: raw) else {
                throw Problem.invalid("level", "Choose a sharing level.")
            }
            return .init(population: pop, level: level)
        }
        return Pages.seeOther(SiteRoute.partnership(ps.id), notice: "Sharing saved.")
    }

    static func startDeal(_ req: Request) async throws -> Response {
        let s = try await req.requirePageSession()
        let id = try req.id("partnership_id", "partnership")
        let r = try await req.workflows.targets.openDeal(in: id, by: s.principal) {
            .init(overlapID: try req.id("overlap_id", "target account"))
        }
        return Pages.seeOther(SiteRoute.deal(r.deal.id), notice: "Deal started at target account selection.")
    }
}
