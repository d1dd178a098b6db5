import CoSellDomain
import CoSellPersistence
import Foundation
import Vapor

enum HomeController {
    static let shown = 20

    static func show(_ req: Request) async throws -> Response {
        let s = try await req.requirePageSession()
        let data = try await PageData.load(req, s)
        return Pages.html(HomeView.render(try await model(data, notice: Pages.notice(req))))
    }

    static func model(_ data: PageData, notice: String?) async throws -> HomeModel {
        let me = data.me
        let today = LocalDate(data.now)
        let people = try await data.people()

        // My deals: the ones I am on, in play; the most urgent (earliest due open move) first.
        let mine = try await data.store.dealFacts(
            DealQuery(
                organizationID: data.org, inPlayOnly: true, mentioning: me.id, order: .nextDueAscending, limit: 30)
        ).filter { Visibility.isOnDeal($0, personID: me.id) && data.canSee($0) }
        var moves: [(item: HomeModel.MoveItem, due: LocalDate?)] = []
        for deal in mine where deal.status == .open {
            guard let pb = try await data.playbook(of: deal) else { continue }
            let stage = pb.stages[deal.stageIndex]
            for mv in deal.openMoves where mv.stageKey == stage.key {
                let item = HomeModel.MoveItem(
                    dealID: deal.id, dealTitle: deal.title, stageName: stage.name, description: mv.description,
                    company: data.sideLabel(
                        deal.sides(of: mv.side), deal.hostOrganizationID, deal.partnerOrganizationID),
                    owner: mv.ownerID.flatMap { people[$0]?.name } ?? mv.ownerName,
                    due: mv.dueOn.map(data.format.format), overdue: mv.isOverdue(today: today))
                moves.append((item, mv.dueOn))
            }
        }
        // Overdue first, then by due date (undated last), then by deal.
        moves.sort {
            if $0.item.overdue != $1.item.overdue { return $0.item.overdue }
            switch ($0.due, $1.due) {
            case (let a?, let b?) where a != b: return a < b
            case (nil, _?): return false
            case (_?, nil): return true
            default: return $0.item.dealTitle < $1.item.dealTitle
            }
        }

        // Waiting on my company: open moves of my side in the current stage, longest in stage first.
        // Deals are read a page at a time until enough are found.
        var waiting: [HomeModel.DealItem] = []
        let waitingQuery = DealQuery(
            organizationID: data.org, statuses: [.open], inPlayOnly: true,
            mentioning: me.role == .seller ? me.id : nil, order: .stageEnteredAscending, limit: 20)
        try await scan(waitingQuery, data) { deal in
            guard let side = deal.side(of: data.org), let pb = try await data.playbook(of: deal) else { return false }
            let stage = pb.stages[deal.stageIndex]
            let open = deal.openMoves.filter { $0.stageKey == stage.key && deal.sides(of: $0.side).contains(side) }
            guard !open.isEmpty else { return false }
            let days = max(0, wholeDays(from: deal.stageEnteredAt, to: data.now))
            waiting.append(
                .init(
                    dealID: deal.id, title: deal.title, stageName: stage.name,
                    detail:
                        "\(open.count) open move\(open.count == 1 ? "" : "s") for \(data.name(of: data.org)): "
                        + open.map(\.description).joined(separator: "; ")
                        + ". In this stage for \(days) day\(days == 1 ? "" : "s")."))
            return waiting.count == shown
        }

        // Stalled: narrowed in SQL, then the exact stall rules and the diagnosis, longest idle first.
        var stalled: [HomeModel.StalledItem] = []
        let stalledQuery = DealQuery(
            organizationID: data.org, inPlayOnly: true, mentioning: me.role == .seller ? me.id : nil,
            possiblyStalled: try await data.stallQuery(), order: .lastActivityAscending, limit: 20)
        try await scan(stalledQuery, data) { deal in
            guard let pb = try await data.playbook(of: deal) else { return false }
            guard DealDiagnostics.stall(of: deal, playbook: pb, now: data.now).stalled else { return false }
            let d = DealDiagnostics.diagnose(deal, playbook: pb, now: data.now)
            stalled.append(
                .init(
                    dealID: deal.id, title: deal.title, stageName: pb.stages[deal.stageIndex].name,
                    cause: d.likelyCause?.pitfall.title, explanation: d.explanation))
            return stalled.count == shown
        }
        return HomeModel(
            chrome: data.session.chrome("Home", .home, notice: notice),
            firstName: String(me.name.split(separator: " ").first ?? Substring(me.name)),
            companyName: data.session.organization.name, moves: moves.prefix(50).map(\.item), waiting: waiting,
            stalled: stalled)
    }

    /// Reads the deals a query selects, a page at a time and at most `maxPages` pages, handing each
    /// visible one to `visit` until it returns true.
    static func scan(
        _ query: DealQuery, _ data: PageData, maxPages: Int = 3, _ visit: (DealFacts) async throws -> Bool
    ) async throws {
        var q = query
        for page in 0..<maxPages {
            q.offset = query.limit * page
            let deals = try await data.store.dealFacts(q)
            for deal in deals where data.canSee(deal) {
                if try await visit(deal) { return }
            }
            if deals.count < q.limit { return }
        }
    }
}
